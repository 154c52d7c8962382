package samples_test

import (
	"path/filepath"
	"testing"

	"clockify-discord-relay/lambda/samples"
)

func TestWebhooks(t *testing.T) {
	files, err := samples.Webhooks("../../events")
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
