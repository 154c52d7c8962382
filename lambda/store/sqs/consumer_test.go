package sqs_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-sdk-go-v2/aws"
	awssqs "github.com/aws/aws-sdk-go-v2/service/sqs"
	"github.com/aws/smithy-go/middleware"

	"clockify-discord-relay/lambda/clockify"
	"clockify-discord-relay/lambda/queue"
	"clockify-discord-relay/lambda/store/sqs"
	"clockify-discord-relay/lambda/store/sqs/sqstest"
)

type fakeDeliverer struct {
	mu      sync.Mutex
	batches [][]string
	decide  func(jobs []queue.Job) []queue.Result
	// stall: Discord takes the batch and answers after the deadline.
	stall bool
	// deadline is the deadline the last batch was delivered within.
	deadline time.Time
}

func (f *fakeDeliverer) Deliver(ctx context.Context, jobs []queue.Job) []queue.Result {
	f.mu.Lock()
	f.deadline, _ = ctx.Deadline()
	f.mu.Unlock()
	if f.stall {
		<-ctx.Done()
	}
	f.mu.Lock()
	var ids []string
	for _, j := range jobs {
		ids = append(ids, j.Event.Entry.ID)
	}
	f.batches = append(f.batches, ids)
	f.mu.Unlock()
	return f.decide(jobs)
}

func results(n int, states ...queue.Result) []queue.Result {
	out := make([]queue.Result, n)
	for i := range out {
		out[i] = states[min(i, len(states)-1)]
	}
	return out
}

func job(group string, i int) queue.Job {
	ev := clockify.Event{Type: clockify.NewTimerStarted, Entry: clockify.TimeEntry{ID: fmt.Sprintf("%s-%02d", group, i)}}
	return queue.Job{Key: "k-" + ev.Entry.ID, Group: group, Event: ev, AcceptedAt: time.Now()}
}

type fixture struct {
	emu      *sqstest.Emulator
	client   sqs.ClientFunc
	queue    *sqs.Queue
	consumer *sqs.Consumer
	d        *fakeDeliverer
}

func newFixture(t *testing.T, decide func([]queue.Job) []queue.Result) *fixture {
	emu := sqstest.NewEmulator(t)
	client := func(context.Context) (*awssqs.Client, error) { return emu.Client(), nil }
	d := &fakeDeliverer{decide: decide}
	return &fixture{
		emu: emu, client: client, d: d,
		queue:    sqs.NewQueue(client, emu.QueueURL),
		consumer: sqs.NewConsumer(client, emu.QueueURL, emu.DeadLetterURL, d, slog.New(slog.NewTextHandler(io.Discard, nil)), nil),
	}
}

func (f *fixture) enqueue(t *testing.T, jobs ...queue.Job) {
	t.Helper()
	for _, j := range jobs {
		if r, err := f.queue.Enqueue(context.Background(), j); err != nil || r.Status != "queued" {
			t.Fatalf("Enqueue: %v %v", r, err)
		}
	}
}

func (f *fixture) poll(t *testing.T) int {
	t.Helper()
	n, err := f.emu.Poll(context.Background(), f.consumer.Handle)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// TestPartialBatchFailure: the first failure in a group fails the rest of
// the group, which waits as long as Discord asked; other groups are not
// held back.
func TestPartialBatchFailure(t *testing.T) {
	f := newFixture(t, func(jobs []queue.Job) []queue.Result {
		if jobs[0].Group == "b" {
			return results(len(jobs), queue.Result{State: queue.Delivered})
		}
		retry := queue.Result{State: queue.Retry, Hold: 40 * time.Second, Err: errors.New("429")}
		return results(len(jobs), queue.Result{State: queue.Delivered}, queue.Result{State: queue.Delivered}, retry)
	})
	f.enqueue(t, job("a", 0), job("a", 1), job("a", 2), job("a", 3), job("b", 0))
	if n := f.poll(t); n != 5 {
		t.Fatalf("received %d", n)
	}
	// a-02 and a-03 wait out the 40 s: nothing is left to receive now.
	if n := f.poll(t); n != 0 {
		t.Errorf("received %d more at once; the failed ones should wait", n)
	}
	if depth := f.emu.Depth(t, f.emu.QueueURL); depth != 2 {
		t.Errorf("%d messages left, want a-02 and a-03", depth)
	}
}

func TestDeadLettersAndRedrive(t *testing.T) {
	gone := true
	f := newFixture(t, func(jobs []queue.Job) []queue.Result {
		if gone {
			return results(len(jobs), queue.Result{State: queue.Dead, Gone: true, Err: errors.New("discord: 404 Not Found: the webhook was deleted")})
		}
		return results(len(jobs), queue.Result{State: queue.Delivered})
	})
	f.enqueue(t, job("a", 0), job("a", 1))
	f.poll(t)
	if d := f.emu.Depth(t, f.emu.QueueURL); d != 0 {
		t.Errorf("%d left in the queue", d)
	}
	dl := sqs.NewDeadLetters(f.client, f.emu.DeadLetterURL, f.emu.QueueURL)
	letters, total, err := dl.List(context.Background())
	if err != nil || total != 2 || len(letters) != 2 {
		t.Fatalf("List: %d of %d, %v", len(letters), total, err)
	}
	if letters[0].Event.Entry.ID != "a-00" || letters[0].Reason != "discord: 404 Not Found: the webhook was deleted" || letters[0].Attempts != 1 {
		t.Errorf("letter %+v", letters[0])
	}
	gone = false
	if n, err := dl.Redrive(context.Background()); n != 2 || err != nil {
		t.Fatalf("Redrive: %d, %v", n, err)
	}
	if d := f.emu.Depth(t, f.emu.DeadLetterURL); d != 0 {
		t.Errorf("%d left in the dead-letter queue", d)
	}
	f.poll(t)
	if got := fmt.Sprint(f.d.batches); got != "[[a-00 a-01] [a-00 a-01]]" {
		t.Errorf("batches %s", got)
	}
	if d := f.emu.Depth(t, f.emu.QueueURL); d != 0 {
		t.Errorf("%d left in the queue after the redrive", d)
	}
}

func TestDedupeByKey(t *testing.T) {
	f := newFixture(t, func(jobs []queue.Job) []queue.Result {
		return results(len(jobs), queue.Result{State: queue.Delivered})
	})
	j := job("a", 0)
	f.enqueue(t, j, j)
	if n := f.poll(t); n != 1 {
		t.Errorf("received %d copies", n)
	}
}

func TestRetryWaitsInTheQueue(t *testing.T) {
	f := newFixture(t, func(jobs []queue.Job) []queue.Result {
		return results(len(jobs), queue.Result{State: queue.Retry, Err: errors.New("503")})
	})
	f.enqueue(t, job("a", 0))
	f.poll(t)
	if n := f.poll(t); n != 0 {
		t.Errorf("a failed message came back at once")
	}
	if d := f.emu.Depth(t, f.emu.QueueURL); d != 1 {
		t.Errorf("the failed message is not waiting in the queue (%d)", d)
	}
}

func TestOldJobsAreDeadLettered(t *testing.T) {
	f := newFixture(t, func(jobs []queue.Job) []queue.Result {
		return results(len(jobs), queue.Result{State: queue.Retry, Err: errors.New("503")})
	})
	old := job("a", 0)
	old.AcceptedAt = time.Now().Add(-25 * time.Hour)
	f.enqueue(t, old)
	f.poll(t)
	letters, _, err := sqs.NewDeadLetters(f.client, f.emu.DeadLetterURL, f.emu.QueueURL).List(context.Background())
	if err != nil || len(letters) != 1 || letters[0].Reason != "not delivered within 24h0m0s: 503" {
		t.Errorf("dead letters %+v, %v", letters, err)
	}
}

// TestSettlementOutlivesTheSends: Discord takes a message and answers
// after the deadline. The sends stop settleReserve before the
// invocation's deadline, so the dead letter ("outcome unknown") is still
// sent and nothing is reported failed: the message does not come back to
// be posted twice.
func TestSettlementOutlivesTheSends(t *testing.T) {
	f := newFixture(t, func(jobs []queue.Job) []queue.Result {
		return results(len(jobs), queue.Result{State: queue.Unknown, Err: errors.New("discord: no answer")})
	})
	f.d.stall = true
	f.enqueue(t, job("a", 0))
	var resp events.SQSEventResponse
	var invocation time.Time
	_, err := f.emu.Poll(context.Background(), func(ctx context.Context, ev events.SQSEvent) (events.SQSEventResponse, error) {
		ctx, cancel := context.WithTimeout(ctx, 8*time.Second+300*time.Millisecond) // the sends get 0.3 s
		defer cancel()
		invocation, _ = ctx.Deadline()
		var err error
		resp, err = f.consumer.Handle(ctx, ev)
		return resp, err
	})
	if err != nil || len(resp.BatchItemFailures) != 0 {
		t.Errorf("reported failed: %v, %v", resp.BatchItemFailures, err)
	}
	f.d.mu.Lock()
	sends := f.d.deadline
	f.d.mu.Unlock()
	if reserve := invocation.Sub(sends); reserve < 8*time.Second {
		t.Errorf("the sends ended %s before the invocation's deadline: nothing was kept in reserve", reserve)
	}
	if n := f.emu.Depth(t, f.emu.DeadLetterURL); n != 1 {
		t.Errorf("%d dead letters, want 1", n)
	}
}

// TestAFailedRecordHoldsBackItsGroup: when a dead letter cannot be sent,
// its record is reported failed, and so is every later record of its
// group, delivered or not: none is deleted ahead of it (FIFO order).
func TestAFailedRecordHoldsBackItsGroup(t *testing.T) {
	f := newFixture(t, func(jobs []queue.Job) []queue.Result {
		return []queue.Result{{State: queue.Delivered}, {State: queue.Dead, Err: errors.New("refused")}, {State: queue.Delivered}}
	})
	f.consumer = sqs.NewConsumer(f.client, f.emu.QueueURL, f.emu.QueueURL+"-missing", f.d, slog.New(slog.NewTextHandler(io.Discard, nil)), nil)
	f.enqueue(t, job("a", 0), job("a", 1), job("a", 2))
	var resp events.SQSEventResponse
	var ids []string
	_, err := f.emu.Poll(context.Background(), func(ctx context.Context, ev events.SQSEvent) (events.SQSEventResponse, error) {
		for _, r := range ev.Records {
			ids = append(ids, r.MessageId)
		}
		var err error
		resp, err = f.consumer.Handle(ctx, ev)
		return resp, err
	})
	if err != nil || len(ids) != 3 {
		t.Fatalf("polled %d: %v", len(ids), err)
	}
	var failed []string
	for _, f := range resp.BatchItemFailures {
		failed = append(failed, f.ItemIdentifier)
	}
	if want := ids[1:]; !slices.Equal(failed, want) {
		t.Errorf("reported failed %v, want %v", failed, want)
	}
}

// TestAFullBatchHasMoreBehind: a batch of FullBatch records of one group
// is marked as having more of its group behind it (its board waits for
// them); a smaller one is not.
func TestAFullBatchHasMoreBehind(t *testing.T) {
	var behind [][]bool
	f := newFixture(t, func(jobs []queue.Job) []queue.Result {
		var b []bool
		for _, j := range jobs {
			b = append(b, j.Behind)
		}
		behind = append(behind, b)
		return results(len(jobs), queue.Result{State: queue.Delivered})
	})
	for i := range sqs.FullBatch + sqs.FullBatch - 1 {
		f.enqueue(t, job("a", i))
	}
	for _, want := range []int{sqs.FullBatch, sqs.FullBatch - 1} {
		if n := f.poll(t); n != want {
			t.Fatalf("received %d, want %d", n, want)
		}
	}
	if len(behind) != 2 || slices.Contains(behind[0], false) || slices.Contains(behind[1], true) {
		t.Errorf("behind: %v, want the full batch's all true and the other's all false", behind)
	}
}

// TestAFailedGroupComesBackTogether: when a group's first record fails,
// every later record of the group is given the same visibility as the
// first: SQS holds a FIFO group while any of its messages is in flight,
// so one left at the queue's visibility timeout would hold the channel.
func TestAFailedGroupComesBackTogether(t *testing.T) {
	f := newFixture(t, func(jobs []queue.Job) []queue.Result {
		return results(len(jobs), queue.Result{State: queue.Retry, Hold: 7 * time.Second, Err: errors.New("429")})
	})
	var mu sync.Mutex
	visibility := map[string]int32{} // receipt handle → seconds
	opts := f.emu.Client().Options()
	opts.APIOptions = append(opts.APIOptions, func(s *middleware.Stack) error {
		return s.Initialize.Add(middleware.InitializeMiddlewareFunc("record", func(ctx context.Context, in middleware.InitializeInput, next middleware.InitializeHandler) (middleware.InitializeOutput, middleware.Metadata, error) {
			if v, ok := in.Parameters.(*awssqs.ChangeMessageVisibilityInput); ok {
				mu.Lock()
				visibility[*v.ReceiptHandle] = v.VisibilityTimeout
				mu.Unlock()
			}
			return next.HandleInitialize(ctx, in)
		}), middleware.Before)
	})
	recording := awssqs.New(opts)
	f.consumer = sqs.NewConsumer(func(context.Context) (*awssqs.Client, error) { return recording, nil }, f.emu.QueueURL, f.emu.DeadLetterURL, f.d,
		slog.New(slog.NewTextHandler(io.Discard, nil)), nil)
	f.enqueue(t, job("a", 0), job("a", 1), job("a", 2))
	var receipts []string
	if _, err := f.emu.Poll(context.Background(), func(ctx context.Context, ev events.SQSEvent) (events.SQSEventResponse, error) {
		for _, r := range ev.Records {
			receipts = append(receipts, r.ReceiptHandle)
		}
		return f.consumer.Handle(ctx, ev)
	}); err != nil || len(receipts) != 3 {
		t.Fatalf("polled %d: %v", len(receipts), err)
	}
	for i, r := range receipts {
		if got := visibility[r]; got < 7 || got > 8 {
			t.Errorf("record %d comes back after %ds, want the group's 7–8 s", i, got)
		}
	}
}

// losesOneReceive passes requests to the emulator, and loses the answer of
// the first ReceiveMessage after the emulator has handed its messages out.
type losesOneReceive struct {
	lost atomic.Bool
}

func (l *losesOneReceive) RoundTrip(r *http.Request) (*http.Response, error) {
	resp, err := http.DefaultTransport.RoundTrip(r)
	if err != nil || r.Header.Get("X-Amz-Target") != "AmazonSQS.ReceiveMessage" || l.lost.Swap(true) {
		return resp, err
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return nil, errors.New("read tcp 127.0.0.1:1: connection reset by peer")
}

// TestDeadLettersListedThoughAReceiveIsLost: the SDK retries a receive
// whose answer was lost, and the retry finds the letters hidden; List
// waits them out instead of showing none.
func TestDeadLettersListedThoughAReceiveIsLost(t *testing.T) {
	f := newFixture(t, func(jobs []queue.Job) []queue.Result {
		return results(len(jobs), queue.Result{State: queue.Dead, Gone: true, Err: errors.New("discord: 404 Not Found: the webhook was deleted")})
	})
	f.enqueue(t, job("a", 0), job("a", 1), job("b", 0))
	f.poll(t)
	lossy := &losesOneReceive{}
	client := func(context.Context) (*awssqs.Client, error) {
		return awssqs.New(awssqs.Options{
			Region: "ap-northeast-1", BaseEndpoint: aws.String(f.emu.URL), HTTPClient: &http.Client{Transport: lossy},
			Credentials: aws.CredentialsProviderFunc(func(context.Context) (aws.Credentials, error) {
				return aws.Credentials{AccessKeyID: "test", SecretAccessKey: "test"}, nil
			}),
		}), nil
	}
	dl := sqs.NewDeadLetters(client, f.emu.DeadLetterURL, f.emu.QueueURL)
	dl.SetListVisibility(5 * time.Second) // longer than the empty polls take
	letters, total, err := dl.List(context.Background())
	if !lossy.lost.Load() {
		t.Fatal("no receive was lost")
	}
	if err != nil || total != 3 || len(letters) != 3 {
		t.Fatalf("List: %d shown of %d, %v", len(letters), total, err)
	}
}
