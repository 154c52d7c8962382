package sqs

import (
	"context"
	"encoding/json"
	"slices"
	"strconv"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awssqs "github.com/aws/aws-sdk-go-v2/service/sqs"
	"github.com/aws/aws-sdk-go-v2/service/sqs/types"

	"clockify-discord-relay/lambda/queue"
)

// listVisibility hides the messages List has read while it reads on, so
// that the next receive returns others. It is also how long a letter stays
// hidden when a receive's answer is lost on the way, which List waits out.
const listVisibility = 15 * time.Second

// emptyPolls is how many empty long polls in a row end a list that has
// shown fewer letters than the queue counts.
const emptyPolls = 3

// DeadLetters is the dead-letter queue, and the queue to redrive to.
type DeadLetters struct {
	client        ClientFunc
	url, queueURL string
	visibility    time.Duration // listVisibility; tests shorten it
}

// NewDeadLetters reads the dead-letter queue at url and redrives to
// queueURL.
func NewDeadLetters(client ClientFunc, url, queueURL string) *DeadLetters {
	return &DeadLetters{client: client, url: url, queueURL: queueURL, visibility: listVisibility}
}

// List reads the dead letters without removing them, and returns how many
// the queue holds. A FIFO queue shows at most 10 messages of a group until
// they are deleted, so List shows the oldest of each channel.
func (d *DeadLetters) List(ctx context.Context) ([]queue.DeadLetter, int, error) {
	c, err := d.client(ctx)
	if err != nil {
		return nil, 0, err
	}
	attrs, err := c.GetQueueAttributes(ctx, &awssqs.GetQueueAttributesInput{
		QueueUrl: aws.String(d.url), AttributeNames: []types.QueueAttributeName{types.QueueAttributeNameApproximateNumberOfMessages},
	})
	if err != nil {
		return nil, 0, err
	}
	total, _ := strconv.Atoi(attrs.Attributes[string(types.QueueAttributeNameApproximateNumberOfMessages)])
	var out []queue.DeadLetter
	var handles []*string
	err = d.receive(ctx, c, d.visibility, total, func(letter queue.DeadLetter, m types.Message) error {
		out = append(out, letter)
		handles = append(handles, m.ReceiptHandle)
		return nil
	})
	// Show them again at once, so that a redrive need not wait.
	for _, h := range handles {
		if _, verr := c.ChangeMessageVisibility(ctx, &awssqs.ChangeMessageVisibilityInput{QueueUrl: aws.String(d.url), ReceiptHandle: h, VisibilityTimeout: 0}); verr != nil && err == nil {
			err = verr
		}
	}
	return out, total, err
}

// Redrive sends every dead letter back to the queue, as if accepted now,
// and deletes it from the dead-letter queue; it returns how many.
func (d *DeadLetters) Redrive(ctx context.Context) (int, error) {
	c, err := d.client(ctx)
	if err != nil {
		return 0, err
	}
	n := 0
	now := time.Now().UTC()
	err = d.receive(ctx, c, time.Minute, 0, func(letter queue.DeadLetter, m types.Message) error {
		if letter.Kind() == "" || letter.Group == "" {
			return nil // not a job: left for a person to read
		}
		job := letter.Job
		job.AcceptedAt = now
		// A fresh deduplication id: the job's own key may still be in
		// SQS's 5-minute window.
		if err := send(ctx, d.client, d.queueURL, job, job.Group, job.Key+".redrive."+strconv.FormatInt(now.UnixNano(), 36)); err != nil {
			return err
		}
		if _, err := c.DeleteMessage(ctx, &awssqs.DeleteMessageInput{QueueUrl: aws.String(d.url), ReceiptHandle: m.ReceiptHandle}); err != nil {
			return err
		}
		n++
		return nil
	})
	return n, err
}

// receive reads the dead-letter queue until a receive returns nothing
// new. While it has seen fewer than want, and the queue hides more letters
// than it has seen, it polls on until they are visible again: a receive
// whose answer was lost (the SDK then retries it) leaves its letters
// hidden, and a FIFO group held, for the visibility timeout.
func (d *DeadLetters) receive(ctx context.Context, c *awssqs.Client, visibility time.Duration, want int, each func(queue.DeadLetter, types.Message) error) error {
	seen := map[string]bool{}
	empty := 0 // polls in a row that brought nothing new
	until := time.Now().Add(visibility + 2*time.Second)
	for {
		// A long poll, however short: a short one may answer empty
		// while messages wait (SQS samples its servers). One attempt id
		// for the SDK's retries: SQS answers a retry of a FIFO receive
		// with the letters the lost answer held.
		out, err := c.ReceiveMessage(ctx, &awssqs.ReceiveMessageInput{
			QueueUrl: aws.String(d.url), MaxNumberOfMessages: 10, VisibilityTimeout: int32(visibility.Seconds()), WaitTimeSeconds: 1,
			ReceiveRequestAttemptId: aws.String(freshID()),
		})
		if err != nil {
			return err
		}
		type item struct {
			letter queue.DeadLetter
			m      types.Message
		}
		var batch []item
		for _, m := range out.Messages {
			if seen[aws.ToString(m.MessageId)] {
				continue
			}
			seen[aws.ToString(m.MessageId)] = true
			var letter queue.DeadLetter
			if err := json.Unmarshal([]byte(aws.ToString(m.Body)), &letter); err != nil {
				letter.Reason = "the message is not a delivery job: " + aws.ToString(m.Body)
			}
			batch = append(batch, item{letter, m})
		}
		// In the order accepted: a channel's messages go back in order.
		slices.SortStableFunc(batch, func(a, b item) int { return a.letter.AcceptedAt.Compare(b.letter.AcceptedAt) })
		for _, it := range batch {
			if err := each(it.letter, it.m); err != nil {
				return err
			}
		}
		if len(batch) > 0 {
			empty = 0
			continue
		}
		empty++
		if len(seen) >= want {
			return nil
		}
		if empty >= emptyPolls {
			hidden, err := d.hidden(ctx, c)
			if err != nil || hidden <= len(seen) || time.Now().After(until) {
				return err
			}
		}
	}
}

// hidden is how many letters are in flight: the ones this list holds, and
// any whose receive was lost or that another reader holds.
func (d *DeadLetters) hidden(ctx context.Context, c *awssqs.Client) (int, error) {
	name := types.QueueAttributeNameApproximateNumberOfMessagesNotVisible
	attrs, err := c.GetQueueAttributes(ctx, &awssqs.GetQueueAttributesInput{QueueUrl: aws.String(d.url), AttributeNames: []types.QueueAttributeName{name}})
	if err != nil {
		return 0, err
	}
	n, _ := strconv.Atoi(attrs.Attributes[string(name)])
	return n, nil
}
