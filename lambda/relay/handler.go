package relay

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"time"

	"clockify-discord-relay/lambda/clockify"
	"clockify-discord-relay/lambda/discord"
	"clockify-discord-relay/lambda/message"
)

// Sender delivers a message to a Discord webhook.
type Sender interface {
	Send(ctx context.Context, webhookURL string, msg discord.Message) (discord.Delivery, error)
}

// Options are the relay's settings.
type Options struct {
	Language message.Language
	Style    message.Style
	// AllowUnsigned accepts requests without a signature when no signing
	// secret is configured. Only local mode sets it; a Lambda fails closed.
	AllowUnsigned bool
}

// Handler runs the relay's flow for one request.
type Handler struct {
	secrets SecretSource
	sender  Sender
	logger  *slog.Logger
	opts    Options
}

// NewHandler wires the relay to its secrets, its Discord sender and its log.
func NewHandler(secrets SecretSource, sender Sender, logger *slog.Logger, opts Options) *Handler {
	return &Handler{secrets: secrets, sender: sender, logger: logger, opts: opts}
}

// outcome is what became of a request, for the log.
type outcome struct {
	result   string // delivered, ignored, rejected, failed
	event    clockify.EventType
	entry    string
	rule     string // the route rule that matched
	delivery discord.Delivery
	err      error
}

// Handle answers one request: verify, decode, format, deliver, answer.
func (h *Handler) Handle(ctx context.Context, req Request) Response {
	start := time.Now()
	ctx, cancel := withBudget(ctx)
	defer cancel()
	resp, out := h.handle(ctx, req)
	attrs := []any{
		slog.String("request_id", req.RequestID),
		slog.String("outcome", out.result),
		slog.Int("status", resp.Status),
		slog.Duration("latency", time.Since(start)),
	}
	if out.event != "" {
		attrs = append(attrs, slog.String("event", string(out.event)))
	}
	if out.entry != "" {
		attrs = append(attrs, slog.String("entry_id", out.entry))
	}
	if out.rule != "" {
		attrs = append(attrs, slog.String("route", out.rule))
	}
	if out.delivery.Attempts > 0 {
		attrs = append(attrs, slog.Int("discord_attempts", out.delivery.Attempts), slog.Int("discord_429s", out.delivery.RateLimited))
	}
	if out.err != nil {
		attrs = append(attrs, slog.String("error", out.err.Error()))
		h.logger.Error("request", attrs...)
	} else {
		h.logger.Info("request", attrs...)
	}
	return resp
}

func (h *Handler) handle(ctx context.Context, req Request) (Response, outcome) {
	if req.Method != http.MethodPost {
		return fail(http.StatusMethodNotAllowed, "only POST is accepted"), outcome{result: "rejected"}
	}
	if len(req.Body) > MaxBodyBytes {
		return fail(http.StatusRequestEntityTooLarge, "body is larger than 1 MiB"), outcome{result: "rejected"}
	}
	secrets, err := h.secrets.Secrets(ctx)
	if err != nil {
		return fail(http.StatusInternalServerError, "relay secrets are unavailable"), outcome{result: "failed", err: err}
	}

	// verify
	if resp, out, ok := h.verify(req, secrets.Signing); !ok {
		return resp, out
	}

	// decode
	event := clockify.ParseEventType(req.Header.Get(clockify.EventTypeHeader))
	if event != "" && !message.Handles(event) {
		return respond(http.StatusOK, answer{Status: "ignored", Event: string(event)}), outcome{result: "ignored", event: event}
	}
	entry, err := clockify.DecodeTimeEntry(req.Body)
	if err != nil {
		return fail(http.StatusBadRequest, err.Error()), outcome{result: "rejected", event: event}
	}
	if event == "" {
		event = entry.InferredEventType()
	}
	ev := clockify.Event{Type: event, Entry: entry}
	out := outcome{event: event, entry: entry.ID}

	// route
	dest := secrets.Routes.Route(ev)
	out.rule = dest.Rule
	if dest.Drop {
		out.result = "dropped"
		return respond(http.StatusOK, answer{Status: "dropped", Event: string(event)}), out
	}
	webhook := secrets.DiscordWebhookURL
	if dest.Webhook != "" {
		webhook = dest.Webhook
	}

	// format
	msg := message.Format(ev, h.opts.Language, h.opts.Style)

	// deliver
	delivery, err := h.sender.Send(ctx, webhook, msg)
	out.delivery = delivery
	if err != nil {
		out.result, out.err = "failed", err
		return deliveryFailed(err), out
	}

	// answer
	out.result = "delivered"
	return respond(http.StatusOK, answer{Status: "delivered", Event: string(event)}), out
}

// verify checks Clockify's signing token. With no secret configured it
// refuses everything, unless unsigned requests are allowed (local mode).
func (h *Handler) verify(req Request, signing clockify.Secrets) (Response, outcome, bool) {
	if signing.Len() == 0 {
		if h.opts.AllowUnsigned {
			return Response{}, outcome{}, true
		}
		return fail(http.StatusUnauthorized, "missing or invalid Clockify-Signature"),
			outcome{result: "rejected", err: errors.New("no Clockify signing secret is configured: every request is refused")}, false
	}
	if !signing.Verify(req.Header.Get(clockify.SignatureHeader)) {
		return fail(http.StatusUnauthorized, "missing or invalid Clockify-Signature"), outcome{result: "rejected"}, false
	}
	return Response{}, outcome{}, true
}

// deliveryFailed answers so that Clockify logs the failure and the delivery
// can be resent: 503 when Discord needed more time than the invocation had,
// 502 when it refused or kept failing, 500 when the relay has no webhook.
func deliveryFailed(err error) Response {
	var late *discord.OutOfTimeError
	switch {
	case errors.Is(err, discord.ErrNoWebhookURL):
		return fail(http.StatusInternalServerError, "relay has no Discord webhook configured")
	case errors.As(err, &late):
		return fail(http.StatusServiceUnavailable, "Discord is rate limiting or slow; the message was not delivered in time")
	}
	return fail(http.StatusBadGateway, "Discord did not accept the message")
}
