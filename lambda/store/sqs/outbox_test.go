package sqs_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-sdk-go-v2/aws"
	awssqs "github.com/aws/aws-sdk-go-v2/service/sqs"

	"clockify-discord-relay/lambda/queue"
	"clockify-discord-relay/lambda/store/localstore"
	"clockify-discord-relay/lambda/store/sqs"
)

// outboxFixture is a consumer that gathers in a local store's outbox, on
// a clock the test moves; records are handed to it as Lambda would.
type outboxFixture struct {
	*fixture
	store *localstore.Store
	now   time.Time
	seq   int
}

func newOutboxFixture(t *testing.T, decide func([]queue.Job) []queue.Result) *outboxFixture {
	f := &outboxFixture{fixture: newFixture(t, decide), now: time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)}
	store, err := localstore.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	f.store = store
	f.consumer.UseOutbox(store.Outbox)
	f.consumer.SetClock(func() time.Time { return f.now })
	return f
}

// records are the jobs as SQS hands them out, in the queue's order.
func (f *outboxFixture) records(jobs ...queue.Job) []events.SQSMessage {
	var out []events.SQSMessage
	for _, j := range jobs {
		f.seq++
		body, _ := json.Marshal(j)
		out = append(out, events.SQSMessage{MessageId: fmt.Sprintf("m%d", f.seq), ReceiptHandle: "r", Body: string(body),
			Attributes: map[string]string{"SequenceNumber": fmt.Sprintf("%020d", f.seq), "ApproximateReceiveCount": "1"}})
	}
	return out
}

func (f *outboxFixture) handle(t *testing.T, recs ...events.SQSMessage) events.SQSEventResponse {
	t.Helper()
	resp, err := f.consumer.Handle(context.Background(), events.SQSEvent{Records: recs})
	if err != nil {
		t.Fatal(err)
	}
	return resp
}

// markers takes the flush markers the consumer sent (one per batch
// parked) from the queue.
func (f *outboxFixture) markers(t *testing.T, want int) []events.SQSMessage {
	t.Helper()
	out, err := f.emu.Client().ReceiveMessage(context.Background(), &awssqs.ReceiveMessageInput{QueueUrl: aws.String(f.emu.QueueURL), MaxNumberOfMessages: 10})
	if err != nil || len(out.Messages) != want {
		t.Fatalf("want %d flush markers in the queue: %d messages, %v", want, len(out.Messages), err)
	}
	var ms []events.SQSMessage
	for _, m := range out.Messages {
		if body := aws.ToString(m.Body); body != `{"flush":"a"}` {
			t.Fatalf("the marker is %s", body)
		}
		ms = append(ms, events.SQSMessage{MessageId: aws.ToString(m.MessageId), ReceiptHandle: aws.ToString(m.ReceiptHandle), Body: aws.ToString(m.Body)})
	}
	return ms
}

func (f *outboxFixture) parked(t *testing.T) []queue.Parked {
	t.Helper()
	_, ps, err := f.store.Outbox.Parked(context.Background(), "a", 100)
	if err != nil {
		t.Fatal(err)
	}
	return ps
}

// TestARushGathersInTheOutbox: an idle group's batch goes at once; what
// comes within the pace, or as a full batch, waits in the outbox, and
// the flush marker delivers it all as one batch once the pace allows.
func TestARushGathersInTheOutbox(t *testing.T) {
	f := newOutboxFixture(t, func(jobs []queue.Job) []queue.Result {
		return results(len(jobs), queue.Result{State: queue.Delivered})
	})
	f.handle(t, f.records(job("a", 0))...)
	if got := fmt.Sprint(f.d.batches); got != "[[a-00]]" {
		t.Fatalf("an idle group's job: batches %s, want it delivered at once", got)
	}
	f.now = f.now.Add(500 * time.Millisecond)
	if r := f.handle(t, f.records(job("a", 1), job("a", 2))...); len(r.BatchItemFailures) != 0 {
		t.Fatalf("parked jobs reported failed: %+v", r)
	}
	f.handle(t, f.records(job("a", 3))...)
	if len(f.d.batches) != 1 || len(f.parked(t)) != 3 {
		t.Fatalf("within the pace: %d batches delivered, %d parked; want 1 and 3", len(f.d.batches), len(f.parked(t)))
	}
	markers := f.markers(t, 2)
	if r := f.handle(t, markers...); len(r.BatchItemFailures) != 1 || r.BatchItemFailures[0].ItemIdentifier != markers[0].MessageId || len(f.d.batches) != 1 {
		t.Fatalf("a flush before the pace: %+v, %d batches; want the first marker held, the other done, nothing delivered", r, len(f.d.batches))
	}
	f.now = f.now.Add(1600 * time.Millisecond) // 2.1 s after the first delivery
	if r := f.handle(t, markers[0]); len(r.BatchItemFailures) != 0 {
		t.Fatalf("the flush: %+v, want the marker done", r)
	}
	if got := fmt.Sprint(f.d.batches); got != "[[a-00] [a-01 a-02 a-03]]" {
		t.Errorf("batches %s, want the three parked ones together, in order", got)
	}
	if n := len(f.parked(t)); n != 0 {
		t.Errorf("%d still parked", n)
	}
	// A full batch has more behind it: it waits, though the group is idle.
	f.now = f.now.Add(time.Minute)
	var full []queue.Job
	for i := range sqs.FullBatch {
		full = append(full, job("a", 10+i))
	}
	f.handle(t, f.records(full...)...)
	if len(f.d.batches) != 2 || len(f.parked(t)) != sqs.FullBatch {
		t.Errorf("a full batch: %d batches, %d parked; want it parked", len(f.d.batches), len(f.parked(t)))
	}
}

// TestARetriedJobStaysParked: a parked job that must wait stays in the
// outbox with the jobs behind it, its try counted, and the marker comes
// back with the retry; the jobs ahead of it leave.
func TestARetriedJobStaysParked(t *testing.T) {
	f := newOutboxFixture(t, func(jobs []queue.Job) []queue.Result {
		out := results(len(jobs), queue.Result{State: queue.Delivered})
		for i, j := range jobs {
			if j.Event.Entry.ID == "a-02" {
				out[i] = queue.Result{State: queue.Retry, Hold: 30 * time.Second, Err: errors.New("429")}
			}
		}
		return out
	})
	f.handle(t, f.records(job("a", 0))...)
	f.handle(t, f.records(job("a", 1), job("a", 2), job("a", 3))...)
	marker := f.markers(t, 1)[0]
	f.now = f.now.Add(3 * time.Second)
	if r := f.handle(t, marker); len(r.BatchItemFailures) != 1 {
		t.Fatalf("a flush with a retry: %+v, want the marker held", r)
	}
	ps := f.parked(t)
	if len(ps) != 2 || ps[0].Job.Event.Entry.ID != "a-02" || ps[0].Tried != 1 || ps[1].Job.Event.Entry.ID != "a-03" {
		t.Errorf("parked %+v, want a-02 (tried once) and a-03", ps)
	}
}
