package invocation

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/aws/aws-lambda-go/events"
)

// Kind is what an invocation carries.
type Kind string

// The kinds of invocation the relay serves.
const (
	API       Kind = "api"       // API Gateway: a webhook from Clockify
	SQS       Kind = "sqs"       // Lambda's SQS trigger: jobs to deliver
	Scheduled Kind = "scheduled" // EventBridge: a scheduled job
)

// shape is what tells the kinds apart: SQS batches have Records from
// aws:sqs, and scheduled events a detail-type; the rest is API Gateway.
type shape struct {
	Records []struct {
		EventSource string `json:"eventSource"`
	} `json:"Records"`
	DetailType string `json:"detail-type"`
	Source     string `json:"source"`
}

// KindOf tells what the payload is.
func KindOf(payload []byte) Kind {
	var s shape
	if json.Unmarshal(payload, &s) != nil {
		return API // the API handler answers a 400 for what it cannot read
	}
	switch {
	case len(s.Records) > 0 && s.Records[0].EventSource == "aws:sqs":
		return SQS
	case s.DetailType != "" && s.Source != "":
		return Scheduled
	}
	return API
}

// Handler is the function's lambda.Handler.
type Handler struct {
	// API answers API Gateway events.
	API interface {
		Invoke(ctx context.Context, payload []byte) ([]byte, error)
	}
	// SQS delivers a batch; nil when this function has no queue.
	SQS func(ctx context.Context, ev events.SQSEvent) (events.SQSEventResponse, error)
	// Scheduled runs the scheduled jobs, by the event's detail-type
	// (DetailRemind, DetailDigest); each answers what it did.
	Scheduled map[string]func(ctx context.Context) (any, error)
}

// The detail-types of the template's schedules.
const (
	DetailRemind = "remind" // forgotten timers, every 15 minutes
	DetailDigest = "digest" // the daily or weekly digest, at DIGEST_TIME
)

// ErrNoQueue is an SQS batch for a function configured without a queue.
var ErrNoQueue = errors.New("an SQS batch arrived, but DELIVERY_QUEUE_URL is not set")

// Invoke hands the payload to the handler for its kind.
func (h Handler) Invoke(ctx context.Context, payload []byte) ([]byte, error) {
	switch KindOf(payload) {
	case SQS:
		if h.SQS == nil {
			return nil, ErrNoQueue
		}
		var ev events.SQSEvent
		if err := json.Unmarshal(payload, &ev); err != nil {
			return nil, fmt.Errorf("reading the SQS batch: %w", err)
		}
		resp, err := h.SQS(ctx, ev)
		if err != nil {
			return nil, err
		}
		return json.Marshal(resp)
	case Scheduled:
		var s shape
		_ = json.Unmarshal(payload, &s)
		job := h.Scheduled[s.DetailType]
		if job == nil {
			return nil, fmt.Errorf("a scheduled %q event arrived, but no such job runs here: %q needs STATE_TABLE and LONG_TIMER_HOURS, %q needs STATE_TABLE and DIGEST", s.DetailType, DetailRemind, DetailDigest)
		}
		out, err := job(ctx)
		if err != nil {
			return nil, err
		}
		return json.Marshal(out)
	}
	return h.API.Invoke(ctx, payload)
}
