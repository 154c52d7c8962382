package invocation

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/aws/aws-lambda-go/events"

	"clockify-discord-relay/lambda/accept/apigateway"
	"clockify-discord-relay/lambda/schedule"
)

// Kind is what an invocation carries.
type Kind string

// The kinds of invocation the relay serves.
const (
	API       Kind = "api"       // API Gateway: a webhook from Clockify
	SQS       Kind = "sqs"       // Lambda's SQS trigger: jobs to deliver
	Scheduled Kind = "scheduled" // EventBridge: a scheduled job
)

// Event is one invocation, decoded once: the fields that tell the kinds
// apart, with each kind's own fields beside them. SQS batches have Records
// from aws:sqs, and scheduled events a detail-type; the rest is API
// Gateway.
type Event struct {
	apigateway.Event
	Records    []events.SQSMessage `json:"Records"`
	DetailType string              `json:"detail-type"`
	Source     string              `json:"source"`
	Kind       Kind                `json:"-"`
	Unreadable bool                `json:"-"` // not JSON: the API handler answers a 400
}

// Decode reads the payload in one pass and tells its kind.
func Decode(payload []byte) Event {
	var ev Event
	switch {
	case json.Unmarshal(payload, &ev) != nil:
		ev = Event{Kind: API, Unreadable: true}
	case len(ev.Records) > 0 && ev.Records[0].EventSource == "aws:sqs":
		ev.Kind = SQS
	case ev.DetailType != "" && ev.Source != "":
		ev.Kind = Scheduled
	default:
		ev.Kind = API
	}
	return ev
}

// KindOf tells what the payload is.
func KindOf(payload []byte) Kind { return Decode(payload).Kind }

// Handler is the function's lambda.Handler.
type Handler struct {
	// API answers API Gateway events.
	API interface {
		Serve(ctx context.Context, ev apigateway.Event) ([]byte, error)
		Unreadable(ctx context.Context) ([]byte, error)
	}
	// SQS delivers a batch; nil when this function has no queue.
	SQS func(ctx context.Context, ev events.SQSEvent) (events.SQSEventResponse, error)
	// Scheduled runs the scheduled jobs, by the event's detail-type
	// (schedule.Handlers); each answers what it did.
	Scheduled map[string]func(ctx context.Context) (any, error)
}

// ErrNoQueue is an SQS batch for a function configured without a queue.
var ErrNoQueue = errors.New("an SQS batch arrived, but DELIVERY_QUEUE_URL is not set")

// Invoke hands the payload to the handler for its kind.
func (h Handler) Invoke(ctx context.Context, payload []byte) ([]byte, error) {
	ev := Decode(payload)
	switch ev.Kind {
	case SQS:
		if h.SQS == nil {
			return nil, ErrNoQueue
		}
		resp, err := h.SQS(ctx, events.SQSEvent{Records: ev.Records})
		if err != nil {
			return nil, err
		}
		return json.Marshal(resp)
	case Scheduled:
		job := h.Scheduled[ev.DetailType]
		if job == nil {
			return nil, fmt.Errorf("a scheduled %q event arrived, but no such job runs here: %q needs STATE_TABLE and LONG_TIMER_HOURS, %q needs STATE_TABLE and DIGEST", ev.DetailType, schedule.Remind, schedule.Digest)
		}
		out, err := job(ctx)
		if err != nil {
			return nil, err
		}
		return json.Marshal(out)
	}
	if ev.Unreadable {
		return h.API.Unreadable(ctx)
	}
	return h.API.Serve(ctx, ev.Event)
}
