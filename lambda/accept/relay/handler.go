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

// ServeHTTP answers one webhook: verify, decode, route, enqueue, answer.
// Served behind Front, which bounds the body and reports the request.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := withBudget(r.Context())
	defer cancel()
	req := request{header: r.Header, requestID: RequestID(ctx)}
	if read, ok := r.Body.(*body); ok {
		req.body = read.b
	} else {
		var err error
		if req.body, err = readBody(w, r); err != nil {
			status, reason := unreadable(err)
			Refuse(w, r, status, reason)
			return
		}
	}
	out := h.handle(ctx, req)
	if rep := reportOf(ctx); rep != nil {
		out.report.RequestID = rep.RequestID
		*rep = out.report
	}
	write(w, out.status, out.answer)
}

// report is where every request, answered or refused, is logged and
// counted: one line, one metric.
func (h *Handler) report(ctx context.Context, r Report) {
	h.log(ctx, r)
	if h.opts.Observer != nil {
		h.opts.Observer.Observe(r)
	}
}

// request is what the flow reads of a webhook.
type request struct {
	header    http.Header
	body      []byte
	requestID string
}

// reply is the answer to a request, and its report.
type reply struct {
	status int
	answer answer
	report Report
}

func (h *Handler) handle(ctx context.Context, req request) reply {
	sec, err := h.secrets.Secrets(ctx)
	if err != nil {
		return reply{http.StatusInternalServerError, answer{Error: "relay secrets are unavailable"}, Report{Outcome: Failed, Err: err}}
	}
	out := h.handleWith(ctx, req, sec)
	out.report.StaleSecrets = sec.Stale
	return out
}

// handleWith runs the flow with the secrets of this request.
func (h *Handler) handleWith(ctx context.Context, req request, sec secrets.Values) reply {

	// verify
	if refused, ok := h.verify(req, sec.Signing); !ok {
		return refused
	}

	// decode
	event := clockify.ParseEventType(req.header.Get(clockify.EventTypeHeader))
	if event != "" && !event.IsRelayed() {
		return reply{http.StatusOK, answer{Status: "ignored", Event: string(event)}, Report{Outcome: Ignored, Event: event}}
	}
	entry, err := clockify.DecodeTimeEntry(req.body)
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
		return reply{http.StatusOK, answer{Status: "dropped", Event: string(event)}, out}
	}
	// The destination is the route; its webhook URL is the deliver
	// half's business.
	routeName := ""
	if dest.Webhook != "" {
		routeName = dest.Rule
	}
	// enqueue: the job's key is a fingerprint of what its message shows.
	sent := time.Now()
	receipt, err := h.queue.Enqueue(ctx, queue.NewJob(ev, routeName, req.requestID, sent))
	if err != nil {
		out.Outcome, out.Err = Failed, err
		return reply{http.StatusServiceUnavailable, answer{Error: "the delivery could not be queued; send it again"}, out}
	}
	// answer
	out.Outcome = Outcome(receipt.Status)
	return reply{http.StatusOK, answer{Status: receipt.Status, Event: string(event)}, out}
}

// verify checks Clockify's signing token. With no secret configured it
// refuses everything, unless unsigned requests are allowed (local mode).
func (h *Handler) verify(req request, signing clockify.Secrets) (reply, bool) {
	if signing.Len() == 0 {
		if h.opts.AllowUnsigned {
			return reply{}, true
		}
		return reply{http.StatusUnauthorized, answer{Error: "missing or invalid Clockify-Signature"},
			Report{Outcome: Rejected, Err: errors.New("no Clockify signing secret is configured: every request is refused")}}, false
	}
	// A token bound to its webhook's event is valid for that event only.
	event := clockify.ParseEventType(req.header.Get(clockify.EventTypeHeader))
	if !signing.Verify(event, req.header.Get(clockify.SignatureHeader)) {
		return refuse(http.StatusUnauthorized, "missing or invalid Clockify-Signature", ""), false
	}
	return reply{}, true
}

// refuse is a refusal and its report.
func refuse(status int, reason string, event clockify.EventType) reply {
	return reply{status, answer{Error: reason}, Report{Outcome: Rejected, Event: event, Reason: reason}}
}
