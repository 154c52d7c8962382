package relay

import (
	"context"
	"log/slog"
	"net/http"
	"strconv"
	"sync/atomic"
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

// reported is the middleware that reports every request: it names the
// request (the adapter's id, else X-Request-Id, else a count), gives the
// handlers a Report to fill, and logs and counts it once they answered.
// A request nobody reported (an interaction answered) is the answering
// handler's to log.
func (h *Handler) reported(next http.Handler) http.Handler {
	var requests atomic.Int64
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		rep := reportOf(r.Context()) // the adapter's, named already
		if rep == nil {
			rep = &Report{RequestID: r.Header.Get("X-Request-Id")}
			if rep.RequestID == "" {
				rep.RequestID = "local-" + strconv.FormatInt(requests.Add(1), 10)
			}
			r = r.WithContext(context.WithValue(r.Context(), reportKey{}, rep))
		}
		sw := &statusWriter{ResponseWriter: w, status: http.StatusOK}
		next.ServeHTTP(sw, r)
		if rep.Outcome == "" {
			return
		}
		rep.Status, rep.Latency = sw.status, time.Since(start)
		h.report(r.Context(), *rep)
	})
}

type reportKey struct{}

// reportOf is the report of the request ctx serves; nil outside Front.
func reportOf(ctx context.Context) *Report {
	rep, _ := ctx.Value(reportKey{}).(*Report)
	return rep
}

// WithRequestID names the request ctx will serve (Lambda's request id,
// or API Gateway's), in the report Front will fill.
func WithRequestID(ctx context.Context, id string) context.Context {
	return context.WithValue(ctx, reportKey{}, &Report{RequestID: id})
}

// RequestID is the name of the request ctx serves.
func RequestID(ctx context.Context) string {
	if rep := reportOf(ctx); rep != nil {
		return rep.RequestID
	}
	return ""
}

// statusWriter remembers the status written, for the report.
type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(status int) {
	w.status = status
	w.ResponseWriter.WriteHeader(status)
}
