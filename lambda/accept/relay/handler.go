package relay

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"time"

	"clockify-discord-relay/lambda/clockify"
	"clockify-discord-relay/lambda/queue"
	"clockify-discord-relay/lambda/secrets"
)

// Options are the relay's settings.
type Options struct {
	// AllowUnsigned accepts requests without a signature when no signing
	// secret is configured. Only local mode sets it; a Lambda fails closed.
	AllowUnsigned bool
	// Observer, when set, is told of every request (metrics).
	Observer Observer
}

// Handler runs the relay's flow for one request.
type Handler struct {
	secrets secrets.Source
	queue   queue.Queue
	logger  *slog.Logger
	opts    Options
}

// NewHandler wires the relay to its secrets, its delivery queue and its
// log.
func NewHandler(src secrets.Source, q queue.Queue, logger *slog.Logger, opts Options) *Handler {
	return &Handler{secrets: src, queue: q, logger: logger, opts: opts}
}

// Handle answers one request: verify, decode, route, enqueue, answer. It logs one line for the request and reports it to the observer.
func (h *Handler) Handle(ctx context.Context, req Request) Response {
	start := time.Now()
	ctx, cancel := withBudget(ctx)
	defer cancel()
	resp, r := h.handle(ctx, req)
	r.RequestID, r.Status, r.Latency = req.RequestID, resp.Status, time.Since(start)
	h.report(ctx, r)
	return resp
}

// report is where every request, answered or refused, is logged and
// counted: one line, one metric.
func (h *Handler) report(ctx context.Context, r Report) {
	h.log(ctx, r)
	if h.opts.Observer != nil {
		h.opts.Observer.Observe(r)
	}
}

func (h *Handler) handle(ctx context.Context, req Request) (Response, Report) {
	if req.Method != http.MethodPost {
		return refuse(http.StatusMethodNotAllowed, "only POST is accepted", "")
	}
	if len(req.Body) > MaxBodyBytes {
		return refuse(http.StatusRequestEntityTooLarge, "body is larger than 1 MiB", "")
	}
	sec, err := h.secrets.Secrets(ctx)
	if err != nil {
		return fail(http.StatusInternalServerError, "relay secrets are unavailable"), Report{Outcome: Failed, Err: err}
	}
	resp, r := h.handleWith(ctx, req, sec)
	r.StaleSecrets = sec.Stale
	return resp, r
}

// handleWith runs the flow with the secrets of this request.
func (h *Handler) handleWith(ctx context.Context, req Request, sec secrets.Values) (Response, Report) {

	// verify
	if resp, out, ok := h.verify(req, sec.Signing); !ok {
		return resp, out
	}

	// decode
	event := clockify.ParseEventType(req.Header.Get(clockify.EventTypeHeader))
	if event != "" && !event.IsRelayed() {
		return respond(http.StatusOK, answer{Status: "ignored", Event: string(event)}), Report{Outcome: Ignored, Event: event}
	}
	entry, err := clockify.DecodeTimeEntry(req.Body)
	if err != nil {
		return refuse(http.StatusBadRequest, err.Error(), event)
	}
	if event == "" {
		event = entry.InferredEventType()
	}
	ev := clockify.Event{Type: event, Entry: entry}
	out := Report{Event: event, EntryID: entry.ID}

	// route
	dest := sec.Routes.Route(ev)
	out.Route = dest.Rule
	if dest.Drop {
		out.Outcome = Dropped
		return respond(http.StatusOK, answer{Status: "dropped", Event: string(event)}), out
	}
	// The destination is the route; its webhook URL is the deliver
	// half's business.
	routeName := ""
	if dest.Webhook != "" {
		routeName = dest.Rule
	}
	// enqueue: the job's key is a fingerprint of what its message shows.
	sent := time.Now()
	receipt, err := h.queue.Enqueue(ctx, queue.NewJob(ev, routeName, req.RequestID, sent))
	if err != nil {
		out.Outcome, out.Err = Failed, err
		return fail(http.StatusServiceUnavailable, "the delivery could not be queued; send it again"), out
	}
	// answer
	out.Outcome = Outcome(receipt.Status)
	return respond(http.StatusOK, answer{Status: receipt.Status, Event: string(event)}), out
}

// verify checks Clockify's signing token. With no secret configured it
// refuses everything, unless unsigned requests are allowed (local mode).
func (h *Handler) verify(req Request, signing clockify.Secrets) (Response, Report, bool) {
	if signing.Len() == 0 {
		if h.opts.AllowUnsigned {
			return Response{}, Report{}, true
		}
		return fail(http.StatusUnauthorized, "missing or invalid Clockify-Signature"),
			Report{Outcome: Rejected, Err: errors.New("no Clockify signing secret is configured: every request is refused")}, false
	}
	// A token bound to its webhook's event is valid for that event only.
	event := clockify.ParseEventType(req.Header.Get(clockify.EventTypeHeader))
	if !signing.Verify(event, req.Header.Get(clockify.SignatureHeader)) {
		resp, r := refuse(http.StatusUnauthorized, "missing or invalid Clockify-Signature", "")
		return resp, r, false
	}
	return Response{}, Report{}, true
}

// refuse is a refusal and its report.
func refuse(status int, reason string, event clockify.EventType) (Response, Report) {
	return fail(status, reason), Report{Outcome: Rejected, Event: event, Reason: reason}
}
