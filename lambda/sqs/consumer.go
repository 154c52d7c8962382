package sqs

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"log/slog"
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
	observer      Observer // may be nil
}

// NewConsumer delivers the jobs of queueURL with d, and sends the dead
// ones to deadLetterURL.
func NewConsumer(client ClientFunc, queueURL, deadLetterURL string, d queue.Deliverer, logger *slog.Logger, observer Observer) *Consumer {
	return &Consumer{client: client, queueURL: queueURL, deadLetterURL: deadLetterURL, deliverer: d, logger: logger, observer: observer}
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
	now := time.Now()
	rep := BatchReport{Received: len(ev.Records)}
	var order []string
	groups := map[string][]message{}
	var failed []string
	var mu sync.Mutex
	for _, r := range ev.Records {
		rep.OldestAge = max(rep.OldestAge, age(r, now))
		var job queue.Job
		if err := json.Unmarshal([]byte(r.Body), &job); err != nil || job.Group == "" {
			// Not a job: nothing can deliver it.
			letter := queue.DeadLetter{Reason: "the message is not a delivery job", DeadAt: now.UTC()}
			letter.Key, letter.Group = r.MessageId, "malformed"
			if c.deadLetter(ctx, r, letter) {
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
	var wg sync.WaitGroup
	for _, g := range order {
		msgs := groups[g]
		slices.SortStableFunc(msgs, inQueueOrder)
		wg.Go(func() {
			f, delivered, retried, dead := c.handleGroup(ctx, msgs, now)
			mu.Lock()
			defer mu.Unlock()
			failed = append(failed, f...)
			rep.Delivered += delivered
			rep.Retried += retried
			rep.DeadLettered += dead
		})
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

// handleGroup delivers one group's messages, in order, and returns the ids
// to report as failed.
func (c *Consumer) handleGroup(ctx context.Context, msgs []message, now time.Time) (failed []string, delivered, retried, dead int) {
	jobs := make([]queue.Job, len(msgs))
	for i, m := range msgs {
		jobs[i] = m.job
	}
	results := c.deliverer.Deliver(ctx, jobs)
	for i, res := range results {
		m := msgs[i]
		wait, letter := queue.Settle(m.job, res, receiveCount(m.record), now)
		switch {
		case letter != nil:
			if !c.deadLetter(ctx, m.record, *letter) {
				failed = append(failed, m.record.MessageId) // not lost: it comes back
				continue
			}
			dead++
		case res.State == queue.Retry:
			retried++
			c.setVisibility(ctx, m.record, wait)
			failed = append(failed, m.record.MessageId)
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

// deadLetter sends the job to the dead-letter queue and reports whether
// it is there. Lambda then deletes it from the queue.
func (c *Consumer) deadLetter(ctx context.Context, r events.SQSMessage, letter queue.DeadLetter) bool {
	err := errors.New("DEAD_LETTER_QUEUE_URL is not set")
	if c.deadLetterURL != "" {
		err = send(ctx, c.client, c.deadLetterURL, letter, letter.Group, r.MessageId)
	}
	if err != nil {
		c.logger.ErrorContext(ctx, "could not dead-letter the message; it will be tried again", slog.String("messageId", r.MessageId), slog.String("error", err.Error()))
		return false
	}
	c.logger.ErrorContext(ctx, "dead-lettered", slog.String("messageId", r.MessageId), slog.String("key", letter.Key), slog.String("reason", letter.Reason))
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
