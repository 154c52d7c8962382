package invocation_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"clockify-discord-relay/lambda/invocation"
	"clockify-discord-relay/lambda/samples"
)

// TestKindOfSamples: every sample in events/ is told apart by its shape.
func TestKindOfSamples(t *testing.T) {
	files, _ := filepath.Glob("../../events/*.json")
	if len(files) == 0 {
		t.Fatal("no samples")
	}
	for _, f := range files {
		raw, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		want := invocation.API
		switch base := filepath.Base(f); {
		case strings.HasPrefix(base, samples.SQSPrefix):
			want = invocation.SQS
		case strings.HasPrefix(base, samples.SchedulePrefix):
			want = invocation.Scheduled
		case !samples.IsWebhook(f):
			continue
		}
		if got := invocation.KindOf(raw); got != want {
			t.Errorf("%s: %s, want %s", f, got, want)
		}
	}
}

func TestKindOf(t *testing.T) {
	for payload, want := range map[string]invocation.Kind{
		`{"Records":[{"eventSource":"aws:sqs","body":"{}"}]}`:                          invocation.SQS,
		`{"source":"aws.scheduler","detail-type":"Scheduled Event","detail":{}}`:       invocation.Scheduled,
		`{"version":"2.0","requestContext":{"http":{"method":"POST"}},"body":"{}"}`:    invocation.API,
		`{"httpMethod":"POST","body":"{\"Records\":[{\"eventSource\":\"aws:sqs\"}]}"}`: invocation.API,
		`{"Records":[{"eventSource":"aws:s3"}]}`:                                       invocation.API,
		`not json`:                                                                     invocation.API,
	} {
		if got := invocation.KindOf([]byte(payload)); got != want {
			t.Errorf("%s: %s, want %s", payload, got, want)
		}
	}
}
