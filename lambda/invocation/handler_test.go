package invocation_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"clockify-discord-relay/lambda/internal/testkit/samples"
	"clockify-discord-relay/lambda/invocation"
	"clockify-discord-relay/lambda/schedule"
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

// TestScheduledByDetailType: a scheduled event runs the job its
// detail-type names, and answers what it did; one that runs nowhere here
// is an error that says what each job needs.
func TestScheduledByDetailType(t *testing.T) {
	ran := ""
	h := invocation.Handler{Scheduled: map[string]func(context.Context) (any, error){
		schedule.Remind: func(context.Context) (any, error) { ran += "remind "; return map[string]int{"reminders": 2}, nil },
		schedule.Digest: func(context.Context) (any, error) { ran += "digest "; return map[string]int{"digests": 1}, nil },
	}}
	for _, c := range []struct{ detail, want string }{{"remind", `{"reminders":2}`}, {"digest", `{"digests":1}`}} {
		out, err := h.Invoke(context.Background(), []byte(`{"source":"clockify-discord-relay","detail-type":"`+c.detail+`","detail":{}}`))
		if err != nil || string(out) != c.want {
			t.Errorf("%s: %s, %v", c.detail, out, err)
		}
	}
	if ran != "remind digest " {
		t.Errorf("ran %q", ran)
	}
	_, err := invocation.Handler{}.Invoke(context.Background(), []byte(`{"source":"aws.scheduler","detail-type":"digest","detail":{}}`))
	if err == nil || !strings.Contains(err.Error(), "STATE_TABLE and DIGEST") {
		t.Errorf("a digest with no digest job: %v", err)
	}
}

// TestDecodeKeepsEachKindsFields: the one decode that tells the kind also
// carries what that kind's handler reads, so nothing decodes twice.
func TestDecodeKeepsEachKindsFields(t *testing.T) {
	sqs := invocation.Decode([]byte(`{"Records":[{"eventSource":"aws:sqs","messageId":"m1","body":"{\"k\":1}","attributes":{"ApproximateReceiveCount":"2"}}]}`))
	if sqs.Kind != invocation.SQS || len(sqs.Records) != 1 || sqs.Records[0].Body != `{"k":1}` || sqs.Records[0].MessageId != "m1" || sqs.Records[0].Attributes["ApproximateReceiveCount"] != "2" {
		t.Errorf("sqs: %+v", sqs)
	}
	api := invocation.Decode([]byte(`{"version":"2.0","headers":{"x":"y"},"body":"hi","requestContext":{"requestId":"r","http":{"method":"POST"}}}`))
	if api.Kind != invocation.API || api.Body != "hi" || api.Headers["x"] != "y" || api.RequestContext.HTTP.Method != "POST" || api.Unreadable {
		t.Errorf("api: %+v", api)
	}
	sched := invocation.Decode([]byte(`{"version":"0","source":"aws.scheduler","detail-type":"digest"}`))
	if sched.Kind != invocation.Scheduled || sched.DetailType != "digest" {
		t.Errorf("scheduled: %+v", sched)
	}
	if bad := invocation.Decode([]byte(`{"Records":`)); bad.Kind != invocation.API || !bad.Unreadable {
		t.Errorf("not JSON: %+v", bad)
	}
}
