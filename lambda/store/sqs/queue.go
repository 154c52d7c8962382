package sqs

import (
	"context"
	"encoding/json"
	"strconv"
	"sync/atomic"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awssqs "github.com/aws/aws-sdk-go-v2/service/sqs"

	"clockify-discord-relay/lambda/queue"
)

// ClientFunc gives the SQS client, built on first use so that a cold start
// that never needs SQS never loads the AWS configuration.
type ClientFunc func(ctx context.Context) (*awssqs.Client, error)

// Queue sends jobs to a FIFO queue.
type Queue struct {
	client ClientFunc
	url    string
}

var _ queue.Queue = (*Queue)(nil)

// NewQueue sends to the queue at url.
func NewQueue(client ClientFunc, url string) *Queue { return &Queue{client: client, url: url} }

// Enqueue sends the job. SQS drops a job whose key it saw in the last 5
// minutes, and answers as if it took it.
func (q *Queue) Enqueue(ctx context.Context, job queue.Job) (queue.Receipt, error) {
	dedup := job.Key
	if job.Dedup != "" {
		dedup = job.Dedup
	}
	if err := send(ctx, q.client, q.url, job, job.Group, dedup); err != nil {
		return queue.Receipt{}, &queue.NotStoredError{Err: err}
	}
	return queue.Receipt{Status: "queued"}, nil
}

// send puts v, as JSON, on a FIFO queue in group.
func send(ctx context.Context, client ClientFunc, url string, v any, group, dedupID string) error {
	c, err := client(ctx)
	if err != nil {
		return err
	}
	body, err := json.Marshal(v)
	if err != nil {
		return err
	}
	_, err = c.SendMessage(ctx, &awssqs.SendMessageInput{
		QueueUrl:               aws.String(url),
		MessageBody:            aws.String(string(body)),
		MessageGroupId:         aws.String(group),
		MessageDeduplicationId: aws.String(dedupID),
	})
	return err
}

// ids counts the ids this process made up.
var ids atomic.Uint64

// freshID is an id no other call makes: the time, and a count, as two
// calls within one clock tick must not share one (a flush marker's
// deduplication id, a receive's attempt id).
func freshID() string {
	return strconv.FormatInt(time.Now().UnixNano(), 36) + "." + strconv.FormatUint(ids.Add(1), 36)
}
