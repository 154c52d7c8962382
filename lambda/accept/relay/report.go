package relay

import (
	"context"
	"log/slog"
	"time"

	"clockify-discord-relay/lambda/clockify"
)

// Outcome is what became of a request.
type Outcome string

// The outcomes, as logs and metrics name them.
const (
	Queued    Outcome = "queued"    // stored for delivery
	Duplicate Outcome = "duplicate" // the same job was accepted before
	Ignored   Outcome = "ignored"   // an event the relay does not handle
	Dropped   Outcome = "dropped"   // a route rule dropped it
	Rejected  Outcome = "rejected"  // bad signature, method, size or body
	Failed    Outcome = "failed"    // the secrets or the queue failed: Clockify sees an error
)

// Report is one request's record: the relay logs it, and an Observer can
// count it.
type Report struct {
	RequestID    string
	Outcome      Outcome
	Status       int
	Event        clockify.EventType
	EntryID      string
	Route        string        // the route rule that matched, if any
	Latency      time.Duration // the whole request
	Err          error         // why it failed; never holds a secret
	Reason       string        // why it was refused, as the answer says
	StaleSecrets error         // set when SSM failed and the last good secrets served
}

// Observer is told of every request.
type Observer interface {
	Observe(Report)
}

// log writes the request's one line: never a secret, never a message body
// (those only at debug level).
func (h *Handler) log(ctx context.Context, r Report) {
	attrs := []slog.Attr{
		slog.String("requestId", r.RequestID),
		slog.String("outcome", string(r.Outcome)),
		slog.Int("status", r.Status),
		slog.Float64("latencyMs", milliseconds(r.Latency)),
	}
	if r.Event != "" {
		attrs = append(attrs, slog.String("event", string(r.Event)))
	}
	if r.EntryID != "" {
		attrs = append(attrs, slog.String("entryId", r.EntryID))
	}
	if r.Route != "" {
		attrs = append(attrs, slog.String("route", r.Route))
	}
	if r.Reason != "" {
		attrs = append(attrs, slog.String("reason", r.Reason))
	}
	level := slog.LevelInfo
	if r.StaleSecrets != nil {
		attrs = append(attrs, slog.String("staleSecrets", r.StaleSecrets.Error()))
		level = slog.LevelWarn
	}
	if r.Err != nil {
		attrs = append(attrs, slog.String("error", r.Err.Error()))
		level = slog.LevelError
	}
	h.logger.LogAttrs(ctx, level, "request", attrs...)
}

func milliseconds(d time.Duration) float64 {
	return float64(d.Microseconds()) / 1000
}
