package samples_test

import (
	"encoding/json"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"clockify-discord-relay/lambda/internal/testkit/samples"
)

func TestWebhooks(t *testing.T) {
	files, err := samples.Webhooks("../../../../events")
	if err != nil || len(files) < 7 {
		t.Fatalf("%d webhook samples, %v", len(files), err)
	}
	for _, f := range files {
		if !samples.IsWebhook(f) {
			t.Errorf("%s listed", f)
		}
	}
	for _, name := range []string{"sqs-deliveries.json", "schedule-digest.json", "env.json", "README.md"} {
		if samples.IsWebhook(filepath.Join("events", name)) {
			t.Errorf("%s taken for a webhook", name)
		}
	}
}

// TestMovedEndsOrStartsNow: a stopped entry is moved to end now, keeping
// its length; a running one to start now; the zoned copies go.
func TestMovedEndsOrStartsNow(t *testing.T) {
	now := time.Date(2031, 2, 28, 23, 59, 0, 0, time.UTC)
	for file, want := range map[string][2]string{
		"timer-stopped.json": {"2031-02-28T22:28:30Z", "2031-02-28T23:59:00Z"},
		"timer-started.json": {"2031-02-28T23:59:00Z", "<nil>"},
	} {
		ev, err := samples.Moved(filepath.Join("../../../../events", file), now)
		if err != nil {
			t.Fatal(err)
		}
		var body struct{ TimeInterval map[string]any }
		if err := json.Unmarshal([]byte(ev.Body), &body); err != nil {
			t.Fatal(err)
		}
		ti := body.TimeInterval
		if got := [2]string{fmt.Sprint(ti["start"]), fmt.Sprint(ti["end"])}; got != want || ti["zonedStart"] != nil {
			t.Errorf("%s: %v, want %v", file, ti, want)
		}
		if ev.Headers["Clockify-Signature"] == "" {
			t.Errorf("%s lost its headers", file)
		}
	}
	if _, err := samples.MovedBody([]byte(`{"timeInterval":{"start":"yesterday"}}`), now); err == nil {
		t.Error("a start that is no time was moved")
	}
}
