package sqstest

import (
	"context"
	"encoding/json"
	"fmt"
	"sync/atomic"
	"testing"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-sdk-go-v2/aws"
	awssqs "github.com/aws/aws-sdk-go-v2/service/sqs"
	"github.com/aws/aws-sdk-go-v2/service/sqs/types"
	"github.com/sivchari/kumo"
)

// Emulator is SQS with the relay's two queues.
type Emulator struct {
	URL           string // the endpoint, as AWS_ENDPOINT_URL_SQS
	QueueURL      string // the FIFO queue
	DeadLetterURL string // its dead-letter queue
	QueueARN      string
	client        *awssqs.Client
}

// MaxReceiveCount is the redrive policy's, as template.yaml sets it.
const MaxReceiveCount = 1000

var queues atomic.Int64

// NewEmulator starts kumo and creates the queues, with names of their own:
// kumo keeps its data in the process.
func NewEmulator(t testing.TB) *Emulator {
	t.Helper()
	srv := kumo.NewServer()
	t.Cleanup(srv.Close)
	e := &Emulator{URL: srv.URL}
	e.client = e.Client()
	ctx := context.Background()
	n := queues.Add(1)
	dlq, err := e.client.CreateQueue(ctx, &awssqs.CreateQueueInput{
		QueueName:  aws.String(fmt.Sprintf("relay-%d-dead.fifo", n)),
		Attributes: map[string]string{"FifoQueue": "true"},
	})
	if err != nil {
		t.Fatalf("CreateQueue: %v", err)
	}
	e.DeadLetterURL = aws.ToString(dlq.QueueUrl)
	attrs, err := e.client.GetQueueAttributes(ctx, &awssqs.GetQueueAttributesInput{QueueUrl: dlq.QueueUrl, AttributeNames: []types.QueueAttributeName{types.QueueAttributeNameQueueArn}})
	if err != nil {
		t.Fatal(err)
	}
	redrive, _ := json.Marshal(map[string]any{"deadLetterTargetArn": attrs.Attributes["QueueArn"], "maxReceiveCount": MaxReceiveCount})
	q, err := e.client.CreateQueue(ctx, &awssqs.CreateQueueInput{
		QueueName: aws.String(fmt.Sprintf("relay-%d.fifo", n)),
		Attributes: map[string]string{
			// Shorter than the template's 180 s: a batch whose receive was
			// lost on a loaded machine (the SDK retries it, and the retry
			// finds the group in flight) comes back within a test's wait.
			"FifoQueue": "true", "VisibilityTimeout": "30", "RedrivePolicy": string(redrive),
		},
	})
	if err != nil {
		t.Fatalf("CreateQueue: %v", err)
	}
	e.QueueURL = aws.ToString(q.QueueUrl)
	attrs, err = e.client.GetQueueAttributes(ctx, &awssqs.GetQueueAttributesInput{QueueUrl: q.QueueUrl, AttributeNames: []types.QueueAttributeName{types.QueueAttributeNameQueueArn}})
	if err != nil {
		t.Fatal(err)
	}
	e.QueueARN = attrs.Attributes["QueueArn"]
	return e
}

// Client is a real SDK client pointed at the emulator.
func (e *Emulator) Client() *awssqs.Client {
	return awssqs.New(awssqs.Options{
		Region:       "ap-northeast-1",
		BaseEndpoint: aws.String(e.URL),
		Credentials: aws.CredentialsProviderFunc(func(context.Context) (aws.Credentials, error) {
			return aws.Credentials{AccessKeyID: "test", SecretAccessKey: "test"}, nil
		}),
	})
}

// Depth is how many messages a queue holds, waiting or in flight.
func (e *Emulator) Depth(t testing.TB, url string) int {
	t.Helper()
	out, err := e.client.GetQueueAttributes(context.Background(), &awssqs.GetQueueAttributesInput{
		QueueUrl: aws.String(url),
		AttributeNames: []types.QueueAttributeName{
			types.QueueAttributeNameApproximateNumberOfMessages, types.QueueAttributeNameApproximateNumberOfMessagesNotVisible,
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	var n, m int
	fmt.Sscan(out.Attributes[string(types.QueueAttributeNameApproximateNumberOfMessages)], &n)
	fmt.Sscan(out.Attributes[string(types.QueueAttributeNameApproximateNumberOfMessagesNotVisible)], &m)
	return n + m
}

// Function is the delivery function as the trigger calls it.
type Function func(ctx context.Context, ev events.SQSEvent) (events.SQSEventResponse, error)

// Poll plays one poll of Lambda's SQS trigger: receive up to 10 messages,
// call the function with them, and delete those it did not report as
// failed. It returns how many messages it received. Like the trigger, it
// long-polls (for a second): a short poll may answer empty while messages
// wait, as an emulator under load did.
func (e *Emulator) Poll(ctx context.Context, fn Function) (int, error) {
	out, err := e.client.ReceiveMessage(ctx, &awssqs.ReceiveMessageInput{
		QueueUrl: aws.String(e.QueueURL), MaxNumberOfMessages: 10, WaitTimeSeconds: 1,
		MessageSystemAttributeNames: []types.MessageSystemAttributeName{types.MessageSystemAttributeNameAll},
	})
	if err != nil || len(out.Messages) == 0 {
		return 0, err
	}
	ev := events.SQSEvent{}
	for _, m := range out.Messages {
		ev.Records = append(ev.Records, events.SQSMessage{
			MessageId: aws.ToString(m.MessageId), ReceiptHandle: aws.ToString(m.ReceiptHandle), Body: aws.ToString(m.Body),
			Attributes: m.Attributes, EventSource: "aws:sqs", EventSourceARN: e.QueueARN, AWSRegion: "ap-northeast-1",
		})
	}
	resp, err := fn(ctx, ev)
	if err != nil {
		return len(ev.Records), nil // the whole batch comes back after its visibility timeout
	}
	failed := map[string]bool{}
	for _, f := range resp.BatchItemFailures {
		failed[f.ItemIdentifier] = true
	}
	for _, r := range ev.Records {
		if failed[r.MessageId] {
			continue
		}
		if _, err := e.client.DeleteMessage(ctx, &awssqs.DeleteMessageInput{QueueUrl: aws.String(e.QueueURL), ReceiptHandle: aws.String(r.ReceiptHandle)}); err != nil {
			return len(ev.Records), err
		}
	}
	return len(ev.Records), nil
}
