package sqs

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"maps"
	"math"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-sdk-go-v2/aws"
	awssqs "github.com/aws/aws-sdk-go-v2/service/sqs"

	"clockify-discord-relay/lambda/queue"
)

// maxVisibility is SQS's longest visibility timeout.
const maxVisibility = 12 * time.Hour

// The invocation's deadline is shared out: the sends stop settleReserve
// before it, so that what must follow them (the send journal, the state,
// dead letters, visibility changes) still has time; the handler answers
// returnMargin before it, so that Lambda never counts a timeout and hands
// the whole batch out again. Each call of the settlement gets callTimeout.
const (
	settleReserve = 8 * time.Second
	returnMargin  = 500 * time.Millisecond
	callTimeout   = 2 * time.Second
)

// BatchReport is what became of one SQS batch (metrics).
type BatchReport struct {
	Received, Delivered, Retried, DeadLettered int
	// OldestAge is how long the oldest message had waited in the queue.
	OldestAge time.Duration
}

// Observer is told of every batch.
type Observer interface {
	ObserveBatch(BatchReport)
}

// Consumer handles the SQS events of Lambda's trigger on the FIFO queue.
type Consumer struct {
	client        ClientFunc
	queueURL      string
	deadLetterURL string
	deliverer     queue.Deliverer
	logger        *slog.Logger
	observer      Observer     // may be nil
	outbox        queue.Outbox // nil: each batch is delivered as it comes
	now           func() time.Time
}

// NewConsumer delivers the jobs of queueURL with d, and sends the dead
// ones to deadLetterURL.
func NewConsumer(client ClientFunc, queueURL, deadLetterURL string, d queue.Deliverer, logger *slog.Logger, observer Observer) *Consumer {
	return &Consumer{client: client, queueURL: queueURL, deadLetterURL: deadLetterURL, deliverer: d, logger: logger, observer: observer, now: time.Now}
}

// message is one SQS record and its job.
type message struct {
	record events.SQSMessage
	job    queue.Job
}

// Handle delivers a batch, group by group, side by side. It reports as
// failed each message to try again, after setting its visibility to the
// retry policy's wait, so Lambda's trigger brings it back then; dead
// messages go to the dead-letter queue and count as handled.
func (c *Consumer) Handle(ctx context.Context, ev events.SQSEvent) (events.SQSEventResponse, error) {
	now := c.now()
	// Settlement runs on a context of its own: the sends may use up theirs.
	dctx, sctx := ctx, context.WithoutCancel(ctx)
	if deadline, ok := ctx.Deadline(); ok {
		var cancelSends, cancelSettle context.CancelFunc
		dctx, cancelSends = context.WithDeadline(ctx, deadline.Add(-settleReserve))
		sctx, cancelSettle = context.WithDeadline(sctx, deadline.Add(-returnMargin))
		defer cancelSends()
		defer cancelSettle()
	}
	rep := BatchReport{Received: len(ev.Records)}
	var order []string
	groups := map[string][]message{}
	flushes := map[string][]events.SQSMessage{}
	var failed []string
	var mu sync.Mutex
	for _, r := range ev.Records {
		rep.OldestAge = max(rep.OldestAge, age(r, now))
		var marker flushMarker
		if json.Unmarshal([]byte(r.Body), &marker) == nil && marker.Flush != "" && c.outbox != nil {
			flushes[marker.Flush] = append(flushes[marker.Flush], r)
			continue
		}
		var job queue.Job
		if err := json.Unmarshal([]byte(r.Body), &job); err != nil || job.Group == "" {
			// Not a job: nothing can deliver it.
			letter := queue.DeadLetter{Reason: "the message is not a delivery job", DeadAt: now.UTC()}
			letter.Key, letter.Group = r.MessageId, "malformed"
			if c.deadLetter(sctx, r.MessageId, letter) {
				rep.DeadLettered++
			} else {
				failed = append(failed, r.MessageId)
			}
			continue
		}
		if _, ok := groups[job.Group]; !ok {
			order = append(order, job.Group)
		}
		groups[job.Group] = append(groups[job.Group], message{r, job})
	}
	tally := func(f []string, delivered, retried, dead int) {
		mu.Lock()
		defer mu.Unlock()
		failed = append(failed, f...)
		rep.Delivered += delivered
		rep.Retried += retried
		rep.DeadLettered += dead
	}
	var wg sync.WaitGroup
	for _, g := range order {
		msgs := groups[g]
		slices.SortStableFunc(msgs, inQueueOrder)
		wg.Go(func() {
			if c.outbox != nil {
				tally(c.gather(dctx, sctx, g, msgs, now))
				return
			}
			tally(c.handleGroup(dctx, sctx, msgs, now))
		})
	}
	for _, g := range slices.Sorted(maps.Keys(flushes)) {
		wg.Go(func() { tally(c.flush(dctx, sctx, g, flushes[g], now)) })
	}
	wg.Wait()
	if c.observer != nil {
		c.observer.ObserveBatch(rep)
	}
	resp := events.SQSEventResponse{BatchItemFailures: []events.SQSBatchItemFailure{}}
	for _, id := range failed {
		resp.BatchItemFailures = append(resp.BatchItemFailures, events.SQSBatchItemFailure{ItemIdentifier: id})
	}
	return resp, nil
}

// FullBatch is the most records of a FIFO queue that one invocation gets.
const FullBatch = 10

// handleGroup delivers one group's messages, in order, within dctx, and
// settles them within sctx. It returns the ids to report as failed: once
// one is, every later message of the group is too, so that none is
// deleted ahead of it (FIFO order); those come back, and the journal
// keeps the delivered ones from being posted again.
func (c *Consumer) handleGroup(dctx, sctx context.Context, msgs []message, now time.Time) (failed []string, delivered, retried, dead int) {
	jobs := make([]queue.Job, len(msgs))
	for i, m := range msgs {
		jobs[i] = m.job
		jobs[i].Tried = receiveCount(m.record) - 1
		// A full batch (the trigger's BatchSize, a FIFO queue's most)
		// likely has more of its group behind it.
		jobs[i].Behind = len(msgs) >= FullBatch
	}
	results := c.deliverer.Deliver(dctx, jobs)
	groupWait := time.Duration(0) // when the group's first failed message comes back
	for i, res := range results {
		m := msgs[i]
		if len(failed) > 0 {
			// It comes back with the first, not after the queue's
			// visibility timeout: SQS holds the whole group while any
			// of its messages is in flight.
			c.setVisibility(sctx, m.record, groupWait)
			failed = append(failed, m.record.MessageId)
			retried++
			continue
		}
		wait, letter := queue.Settle(m.job, res, receiveCount(m.record), now)
		switch {
		case letter != nil:
			if !c.deadLetter(sctx, m.record.MessageId, *letter) {
				failed = append(failed, m.record.MessageId) // not lost: it comes back
				continue
			}
			dead++
		case res.State == queue.Retry:
			retried++
			c.setVisibility(sctx, m.record, wait)
			failed, groupWait = append(failed, m.record.MessageId), wait
		default:
			delivered++
		}
	}
	return failed, delivered, retried, dead
}

// setVisibility brings the message back after wait. Should the call fail,
// the queue's own visibility timeout brings it back instead.
func (c *Consumer) setVisibility(ctx context.Context, r events.SQSMessage, wait time.Duration) {
	seconds := int32(math.Ceil(min(wait, maxVisibility).Seconds()))
	ctx, cancel := context.WithTimeout(ctx, callTimeout)
	defer cancel()
	err := c.call(ctx, func(cl *awssqs.Client) error {
		_, err := cl.ChangeMessageVisibility(ctx, &awssqs.ChangeMessageVisibilityInput{
			QueueUrl: aws.String(c.queueURL), ReceiptHandle: aws.String(r.ReceiptHandle), VisibilityTimeout: seconds,
		})
		return err
	})
	if err != nil {
		c.logger.WarnContext(ctx, "could not delay the message's retry", slog.String("messageId", r.MessageId), slog.String("error", err.Error()))
	}
}

// deadLetter sends the job to the dead-letter queue, deduplicated by id,
// and reports whether it is there. Lambda then deletes it from the queue.
func (c *Consumer) deadLetter(ctx context.Context, id string, letter queue.DeadLetter) bool {
	err := errors.New("DEAD_LETTER_QUEUE_URL is not set")
	ctx, cancel := context.WithTimeout(ctx, callTimeout)
	defer cancel()
	if c.deadLetterURL != "" {
		err = send(ctx, c.client, c.deadLetterURL, letter, letter.Group, id)
	}
	if err != nil {
		c.logger.ErrorContext(ctx, "could not dead-letter the message; it will be tried again", slog.String("messageId", id), slog.String("error", err.Error()))
		return false
	}
	c.logger.ErrorContext(ctx, "dead-lettered", slog.String("messageId", id), slog.String("key", letter.Key), slog.String("reason", letter.Reason))
	return true
}

func (c *Consumer) call(ctx context.Context, f func(*awssqs.Client) error) error {
	cl, err := c.client(ctx)
	if err != nil {
		return err
	}
	return f(cl)
}

// inQueueOrder orders a group's messages by SQS's sequence number, as
// Lambda hands them over, or by when they were accepted where a queue
// gives none (kumo, which also returns messages whose visibility ended
// in no particular order).
func inQueueOrder(a, b message) int {
	sa, sb := a.record.Attributes["SequenceNumber"], b.record.Attributes["SequenceNumber"]
	if sa != "" && sb != "" {
		return cmp.Or(cmp.Compare(len(sa), len(sb)), strings.Compare(sa, sb))
	}
	return a.job.AcceptedAt.Compare(b.job.AcceptedAt)
}

// receiveCount is how many times SQS has handed the message out: this
// attempt's number.
func receiveCount(r events.SQSMessage) int {
	n, err := strconv.Atoi(r.Attributes["ApproximateReceiveCount"])
	if err != nil || n < 1 {
		return 1
	}
	return n
}

// age is how long the message has been in the queue.
func age(r events.SQSMessage, now time.Time) time.Duration {
	ms, err := strconv.ParseInt(r.Attributes["SentTimestamp"], 10, 64)
	if err != nil {
		return 0
	}
	return max(now.Sub(time.UnixMilli(ms)), 0)
}
