package message

import (
	"testing"

	"clockify-discord-relay/lambda/clockify"
)

// TestEveryEventHasAnIcon: the table of relayed events lives with
// Clockify's types; each has an icon here.
func TestEveryEventHasAnIcon(t *testing.T) {
	for _, ev := range clockify.Relayed {
		if iconOf(ev) == "" {
			t.Errorf("%s has no icon", ev)
		}
	}
	if len(icons) != len(clockify.Relayed) {
		t.Errorf("%d icons for %d events", len(icons), len(clockify.Relayed))
	}
}
