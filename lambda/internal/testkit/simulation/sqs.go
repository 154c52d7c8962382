package simulation

import (
	"bytes"
	"context"
	"crypto/md5"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	awssqs "github.com/aws/aws-sdk-go-v2/service/sqs"
)

// The queue as template.yaml declares it, and Lambda's trigger.
const (
	visibilityTimeout = 180 * time.Second
	dedupWindow       = 5 * time.Minute
	batchSize         = 10
	queueURL          = "https://sqs.sim/1/delivery.fifo"
	deadLetterURL     = "https://sqs.sim/1/dead.fifo"
)

// Fault probabilities per SQS call.
const (
	pSQSRefused    = 0.02 // 500 before the call took effect
	pSQSLostAnswer = 0.02 // the call took effect; its answer was lost
)

// sqsMessage is one message of a FIFO queue.
type sqsMessage struct {
	id, body, group, dedupID string
	seq                      int
	sent                     time.Time
	receives                 int
	visibleAt                time.Time
	receipt                  string
	deleted                  bool
}

// sqsModel is the delivery queue and its dead-letter queue: SendMessage,
// ChangeMessageVisibility, ReceiveMessage and GetQueueAttributes over
// AWS's JSON protocol, as an http.RoundTripper for the real SDK, and the
// trigger's receive and delete.
type sqsModel struct {
	f *faults

	mu       sync.Mutex
	queues   map[string][]*sqsMessage
	seq      int
	receipts int
	// asked are the receipts whose visibility the consumer asked to
	// change (whether or not the call went through); held, the failed
	// records left at the queue's visibility timeout behind their
	// group's first failure.
	asked map[string]bool
	held  []string
	// attempts are the messages each ReceiveMessage attempt id was
	// answered with: SQS answers a retry of a FIFO receive with the same
	// messages and receipt handles.
	attempts map[string][]*sqsMessage
}

func newSQSModel(f *faults) *sqsModel {
	return &sqsModel{f: f, queues: map[string][]*sqsMessage{}, asked: map[string]bool{}, attempts: map[string][]*sqsMessage{}}
}

// client is an SQS client of the real SDK that talks to the model.
func (m *sqsModel) client() *awssqs.Client {
	return awssqs.New(awssqs.Options{
		Region:       "us-east-1",
		BaseEndpoint: aws.String("https://sqs.sim"),
		Credentials:  aws.AnonymousCredentials{},
		HTTPClient:   &http.Client{Transport: m},
		// The SDK's backoff without its jitter, to replay a seed exactly.
		Retryer: retry.NewStandard(func(o *retry.StandardOptions) {
			o.Backoff = retry.BackoffDelayerFunc(func(attempt int, _ error) (time.Duration, error) {
				return time.Duration(attempt) * 50 * time.Millisecond, nil
			})
		}),
	})
}

type sqsRequest struct {
	QueueURL                string `json:"QueueUrl"`
	MessageBody             string
	MessageGroupID          string `json:"MessageGroupId"`
	MessageDeduplicationID  string `json:"MessageDeduplicationId"`
	ReceiptHandle           string
	VisibilityTimeout       int
	MaxNumberOfMessages     int
	WaitTimeSeconds         int
	ReceiveRequestAttemptID string `json:"ReceiveRequestAttemptId"`
}

// RoundTrip plays one SDK call.
func (m *sqsModel) RoundTrip(req *http.Request) (*http.Response, error) {
	in := instanceOf(req.Context())
	if in != nil && !in.alive() {
		return nil, errKilled
	}
	op := strings.TrimPrefix(req.Header.Get("X-Amz-Target"), "AmazonSQS.")
	raw, _ := io.ReadAll(req.Body)
	var r sqsRequest
	if err := json.Unmarshal(raw, &r); err != nil {
		return sqsError(req, http.StatusBadRequest, "InvalidParameterValue", err.Error()), nil
	}
	id := op + r.MessageDeduplicationID + r.ReceiptHandle
	if op == "ChangeMessageVisibility" {
		m.mu.Lock()
		m.asked[r.ReceiptHandle] = true
		m.mu.Unlock()
	}
	if m.f.hit("sqs-refused", id, pSQSRefused) {
		return sqsError(req, http.StatusInternalServerError, "InternalError", "try again"), nil
	}
	var out any
	switch op {
	case "SendMessage":
		out = m.send(r)
	case "ChangeMessageVisibility":
		if err := m.changeVisibility(r); err != nil {
			return sqsError(req, http.StatusBadRequest, "ReceiptHandleIsInvalid", err.Error()), nil
		}
		out = struct{}{}
	case "ReceiveMessage":
		out = m.receiveMessage(r)
	case "GetQueueAttributes":
		out = m.attributes(r.QueueURL)
	default:
		return sqsError(req, http.StatusBadRequest, "InvalidAction", op), nil
	}
	if m.f.hit("sqs-lost", id, pSQSLostAnswer) {
		return nil, io.ErrUnexpectedEOF
	}
	if in != nil && !in.alive() {
		return nil, errKilled
	}
	body, _ := json.Marshal(out)
	h := http.Header{"Content-Type": {"application/x-amz-json-1.0"}}
	return &http.Response{StatusCode: http.StatusOK, Header: h, Body: io.NopCloser(bytes.NewReader(body)), Request: req, ContentLength: int64(len(body))}, nil
}

type sendOutput struct {
	MessageID        string `json:"MessageId"`
	MD5OfMessageBody string
	SequenceNumber   string
}

// send appends a message, unless its deduplication id was sent within
// the window: SQS then answers as if it took it.
func (m *sqsModel) send(r sqsRequest) sendOutput {
	m.mu.Lock()
	defer m.mu.Unlock()
	now := time.Now()
	sum := md5.Sum([]byte(r.MessageBody))
	for _, msg := range m.queues[r.QueueURL] {
		if msg.dedupID == r.MessageDeduplicationID && now.Sub(msg.sent) < dedupWindow {
			return sendOutput{MessageID: msg.id, MD5OfMessageBody: hex.EncodeToString(sum[:]), SequenceNumber: strconv.Itoa(msg.seq)}
		}
	}
	m.seq++
	msg := &sqsMessage{id: fmt.Sprintf("m%06d", m.seq), body: r.MessageBody, group: r.MessageGroupID, dedupID: r.MessageDeduplicationID, seq: m.seq, sent: now}
	m.queues[r.QueueURL] = append(m.queues[r.QueueURL], msg)
	return sendOutput{MessageID: msg.id, MD5OfMessageBody: hex.EncodeToString(sum[:]), SequenceNumber: fmt.Sprintf("%020d", msg.seq)}
}

func (m *sqsModel) changeVisibility(r sqsRequest) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	for _, msg := range m.queues[r.QueueURL] {
		if msg.receipt == r.ReceiptHandle && !msg.deleted {
			msg.visibleAt = time.Now().Add(time.Duration(r.VisibilityTimeout) * time.Second)
			return nil
		}
	}
	return fmt.Errorf("no message has receipt handle %q", r.ReceiptHandle)
}

type receiveOutput struct {
	Messages []receivedMessage `json:",omitempty"`
}

type receivedMessage struct {
	MessageID     string `json:"MessageId"`
	ReceiptHandle string
	MD5OfBody     string
	Body          string
}

// receiveMessage is a ReceiveMessage of a FIFO queue (the dead-letter
// queue, as dlq list reads it): up to MaxNumberOfMessages visible ones,
// in order, none of a group that has a message in flight from an earlier
// receive. A long poll that finds none waits its WaitTimeSeconds.
func (m *sqsModel) receiveMessage(r sqsRequest) receiveOutput {
	m.mu.Lock()
	now := time.Now()
	visibility := time.Duration(r.VisibilityTimeout) * time.Second
	if r.VisibilityTimeout == 0 {
		visibility = visibilityTimeout
	}
	got, again := m.attempts[r.ReceiveRequestAttemptID]
	if !again {
		inFlight := map[string]bool{}
		for _, msg := range m.queues[r.QueueURL] {
			if !msg.deleted && msg.visibleAt.After(now) {
				inFlight[msg.group] = true
			}
		}
		for _, msg := range m.queues[r.QueueURL] {
			if msg.deleted || inFlight[msg.group] || len(got) == max(r.MaxNumberOfMessages, 1) {
				continue
			}
			msg.receives++
			m.receipts++
			msg.receipt = fmt.Sprintf("r%d", m.receipts)
			got = append(got, msg)
		}
		if r.ReceiveRequestAttemptID != "" {
			m.attempts[r.ReceiveRequestAttemptID] = got
		}
	}
	var out receiveOutput
	for _, msg := range got {
		if msg.deleted {
			continue
		}
		msg.visibleAt = now.Add(visibility)
		sum := md5.Sum([]byte(msg.body))
		out.Messages = append(out.Messages, receivedMessage{MessageID: msg.id, ReceiptHandle: msg.receipt, MD5OfBody: hex.EncodeToString(sum[:]), Body: msg.body})
	}
	m.mu.Unlock()
	if len(out.Messages) == 0 {
		time.Sleep(time.Duration(r.WaitTimeSeconds) * time.Second)
	}
	return out
}

// attributes are a queue's message counts: visible, and in flight.
func (m *sqsModel) attributes(url string) map[string]map[string]string {
	m.mu.Lock()
	defer m.mu.Unlock()
	now := time.Now()
	visible, hidden := 0, 0
	for _, msg := range m.queues[url] {
		switch {
		case msg.deleted:
		case msg.visibleAt.After(now):
			hidden++
		default:
			visible++
		}
	}
	return map[string]map[string]string{"Attributes": {
		"ApproximateNumberOfMessages": strconv.Itoa(visible), "ApproximateNumberOfMessagesNotVisible": strconv.Itoa(hidden),
	}}
}

// receive is the trigger's poll: up to 10 visible messages, in order,
// skipping every group that has a message in flight (FIFO).
func (m *sqsModel) receive() events.SQSEvent {
	m.mu.Lock()
	defer m.mu.Unlock()
	now := time.Now()
	blocked := map[string]bool{}
	var ev events.SQSEvent
	for _, msg := range m.queues[queueURL] {
		if msg.deleted || blocked[msg.group] {
			continue
		}
		if msg.visibleAt.After(now) || len(ev.Records) == batchSize {
			blocked[msg.group] = true
			continue
		}
		msg.receives++
		m.receipts++
		msg.receipt = fmt.Sprintf("r%d", m.receipts)
		msg.visibleAt = now.Add(visibilityTimeout)
		ev.Records = append(ev.Records, events.SQSMessage{
			MessageId: msg.id, ReceiptHandle: msg.receipt, Body: msg.body,
			Attributes: map[string]string{
				"SequenceNumber":          fmt.Sprintf("%020d", msg.seq),
				"ApproximateReceiveCount": strconv.Itoa(msg.receives),
				"SentTimestamp":           strconv.FormatInt(msg.sent.UnixMilli(), 10),
				"MessageGroupId":          msg.group,
			},
		})
	}
	return ev
}

// settle is what Lambda does with a batch's answer: it deletes every
// record not reported failed. A timed-out or crashed invocation deletes
// nothing.
func (m *sqsModel) settle(ev events.SQSEvent, resp events.SQSEventResponse) {
	m.mu.Lock()
	defer m.mu.Unlock()
	failed := map[string]bool{}
	for _, f := range resp.BatchItemFailures {
		failed[f.ItemIdentifier] = true
	}
	// SQS holds a FIFO group while any of its messages is in flight: a
	// failed record left at the visibility timeout behind its group's
	// first holds the group that long, whatever the first's retry.
	firstFailed := map[string]bool{} // group → its first failed record was seen
	for _, r := range ev.Records {
		g := r.Attributes["MessageGroupId"]
		if !failed[r.MessageId] {
			continue
		}
		if firstFailed[g] && !m.asked[r.ReceiptHandle] {
			m.held = append(m.held, fmt.Sprintf("%s (group %s) was left at the queue's visibility timeout behind its group's first failed record", r.MessageId, g[:min(8, len(g))]))
		}
		firstFailed[g] = true
	}
	for _, r := range ev.Records {
		if failed[r.MessageId] {
			continue
		}
		for _, msg := range m.queues[queueURL] {
			if msg.receipt == r.ReceiptHandle {
				msg.deleted = true
			}
		}
	}
}

// waiting counts the messages not yet deleted, and says when the next
// one becomes visible.
func (m *sqsModel) waiting() (n int, next time.Time) {
	m.mu.Lock()
	defer m.mu.Unlock()
	for _, msg := range m.queues[queueURL] {
		if msg.deleted {
			continue
		}
		// A message never received has no visibleAt: it is visible
		// now, and must not pass for "no time yet".
		if n++; n == 1 || msg.visibleAt.Before(next) {
			next = msg.visibleAt
		}
	}
	return n, next
}

// deadLetters are the bodies on the dead-letter queue, in order.
func (m *sqsModel) deadLetters() []string {
	m.mu.Lock()
	defer m.mu.Unlock()
	var out []string
	for _, msg := range m.queues[deadLetterURL] {
		out = append(out, msg.body)
	}
	return slices.Clip(out)
}

func sqsError(req *http.Request, status int, code, msg string) *http.Response {
	body, _ := json.Marshal(map[string]string{"__type": "com.amazonaws.sqs#" + code, "message": msg})
	h := http.Header{"Content-Type": {"application/x-amz-json-1.0"}, "X-Amzn-Query-Error": {code + ";Sender"}}
	return &http.Response{StatusCode: status, Header: h, Body: io.NopCloser(bytes.NewReader(body)), Request: req, ContentLength: int64(len(body))}
}

// clientFunc adapts the model's client to the sqs package.
func (m *sqsModel) clientFunc() func(context.Context) (*awssqs.Client, error) {
	c := m.client()
	return func(context.Context) (*awssqs.Client, error) { return c, nil }
}

// heldGroups are the failed records left behind their group's first.
func (m *sqsModel) heldGroups() []string {
	m.mu.Lock()
	defer m.mu.Unlock()
	return slices.Clone(m.held)
}
