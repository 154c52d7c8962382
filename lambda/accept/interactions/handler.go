package interactions

import (
	"context"
	"crypto/ed25519"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"clockify-discord-relay/lambda/message"
	"clockify-discord-relay/lambda/state"
)

// MaxBodyBytes bounds a request: interactions are small.
const MaxBodyBytes = 64 << 10

// State is what the answers read: the running timers and the ledger of
// one destination.
type State interface {
	Known
	Running(ctx context.Context, dest string, now time.Time) ([]state.Session, error)
	LedgerOf(ctx context.Context, dest string, from, to, now time.Time) ([]state.LedgerEntry, error)
}

// Channels tells which destinations post to a Discord channel.
type Channels interface {
	Destinations(ctx context.Context, channelID string) ([]string, error)
}

// Options are the handler's settings.
type Options struct {
	// ApplicationID, when set, refuses interactions of another
	// application.
	ApplicationID string
	// Language answers when the interaction's locale is neither ja nor en.
	Language message.Language
	Zone     *time.Location
	Now      func() time.Time
	// AllowLinks keeps links in users' text clickable (LINKS=allow); by
	// default the answers defang them, as the messages do.
	AllowLinks bool
}

// Handler answers the interactions endpoint.
type Handler struct {
	key      func(ctx context.Context) (ed25519.PublicKey, error)
	state    State
	channels Channels
	logger   *slog.Logger
	opts     Options
}

// NewHandler answers with the application's public key from key.
func NewHandler(key func(ctx context.Context) (ed25519.PublicKey, error), st State, ch Channels, logger *slog.Logger, opts Options) *Handler {
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.Zone == nil {
		opts.Zone = time.UTC
	}
	return &Handler{key: key, state: st, channels: ch, logger: logger, opts: opts}
}

// Handle answers one request: its status and JSON body.
func (h *Handler) Handle(ctx context.Context, header http.Header, body []byte) (int, []byte) {
	start := h.opts.Now()
	key, err := h.key(ctx)
	if err != nil {
		h.logger.ErrorContext(ctx, "interaction: the public key could not be read", slog.String("error", err.Error()))
		return reply(http.StatusInternalServerError, map[string]string{"error": "the relay's public key is unavailable"})
	}
	if len(body) > MaxBodyBytes {
		return reply(http.StatusRequestEntityTooLarge, map[string]string{"error": "body is too large"})
	}
	if err := Verify(key, header, body, start); err != nil {
		h.logger.InfoContext(ctx, "interaction", slog.String("outcome", "rejected"), slog.String("reason", err.Error()))
		if errors.Is(err, ErrStale) {
			return reply(http.StatusUnauthorized, map[string]string{"error": "stale request timestamp"})
		}
		return reply(http.StatusUnauthorized, map[string]string{"error": "invalid request signature"})
	}
	var in Interaction
	if err := json.Unmarshal(body, &in); err != nil {
		return reply(http.StatusBadRequest, map[string]string{"error": "body is not an interaction"})
	}
	if h.opts.ApplicationID != "" && in.ApplicationID != h.opts.ApplicationID {
		h.logger.WarnContext(ctx, "interaction", slog.String("outcome", "rejected"), slog.String("reason", "another application's interaction"))
		return reply(http.StatusUnauthorized, map[string]string{"error": "interaction of another application"})
	}
	a := h.answer(ctx, in)
	command := ""
	if in.Data != nil {
		command = in.Data.Name
	}
	h.logger.InfoContext(ctx, "interaction", slog.String("outcome", "answered"), slog.Int("type", in.Type),
		slog.String("command", command), slog.Int("answer", a.Type), slog.Float64("latencyMs", float64(h.opts.Now().Sub(start).Microseconds())/1000))
	return reply(http.StatusOK, a)
}

// ServeHTTP answers one request, read whole: the front bounds it.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	status, out := http.StatusBadRequest, []byte(`{"error":"could not read the body"}`)
	if body, err := io.ReadAll(io.LimitReader(r.Body, MaxBodyBytes+1)); err == nil {
		status, out = h.Handle(r.Context(), r.Header, body)
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = w.Write(out)
}

func reply(status int, v any) (int, []byte) {
	b, _ := json.Marshal(v)
	return status, b
}

// answer dispatches a verified interaction.
func (h *Handler) answer(ctx context.Context, in Interaction) Answer {
	lang, w := h.language(in.Locale)
	switch {
	case in.Type == TypePing:
		return Answer{Type: AnswerPong}
	case in.Data == nil || (in.Type != TypeCommand && in.Type != TypeAutocomplete):
		return text(w.unknown, true)
	}
	cmd, ok := find(in.Data.Name)
	if !ok || !knownOptions(cmd, in.Data.Options) {
		return text(w.unknown, true)
	}
	dests, err := h.channels.Destinations(ctx, in.ChannelID)
	if err != nil {
		h.logger.ErrorContext(ctx, "interaction: the relay's channels could not be read", slog.String("error", err.Error()))
		return text(w.failed, true)
	}
	if in.Type == TypeAutocomplete {
		return h.suggest(ctx, in, dests)
	}
	if len(dests) == 0 {
		return text(w.notHere, true)
	}
	var a Answer
	switch cmd.Name {
	case CommandWorking:
		a, err = h.working(ctx, dests, lang, w)
	case CommandHours:
		a, err = h.hours(ctx, in.Data.Options, dests, lang, w)
	}
	if err != nil {
		h.logger.ErrorContext(ctx, "interaction: the state could not be read", slog.String("command", cmd.Name), slog.String("error", err.Error()))
		return text(w.failed, true)
	}
	return a
}

// language is the interaction's locale's, else the relay's.
func (h *Handler) language(locale string) (message.Language, words) {
	code, _, _ := strings.Cut(locale, "-")
	if lang, err := message.LanguageFor(code); err == nil {
		return lang, wording[lang.Code]
	}
	return h.opts.Language, wording[h.opts.Language.Code]
}

func find(name string) (Command, bool) {
	for _, c := range Commands {
		if c.Name == name {
			return c, true
		}
	}
	return Command{}, false
}

// knownOptions: every option given is one the command has.
func knownOptions(c Command, given []Option) bool {
	for _, g := range given {
		found := false
		for _, o := range c.Options {
			found = found || (o.Name == g.Name && o.Type == g.Type)
		}
		if !found {
			return false
		}
	}
	return true
}
