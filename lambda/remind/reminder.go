package remind

import (
	"context"
	"log/slog"
	"time"

	"clockify-discord-relay/lambda/deliver"
	"clockify-discord-relay/lambda/message"
	"clockify-discord-relay/lambda/secrets"
	"clockify-discord-relay/lambda/state"
)

// Reminder finds forgotten timers and reminds their channels.
type Reminder struct {
	store   state.Store
	secrets secrets.Source
	sender  deliver.Sender
	logger  *slog.Logger
	opts    Options
}

// Options say when a timer counts as forgotten, and how reminders read.
type Options struct {
	After      time.Duration // LONG_TIMER_HOURS
	Language   message.Language
	AllowLinks bool
}

// New returns a Reminder.
func New(store state.Store, sec secrets.Source, sender deliver.Sender, logger *slog.Logger, opts Options) *Reminder {
	return &Reminder{store: store, secrets: sec, sender: sender, logger: logger, opts: opts}
}

// Run reminds of every timer that has run longer than After and was not
// reminded of yet, and returns how many reminders went out. A reminder is
// marked before it is sent: one that then fails is logged, not repeated.
func (r *Reminder) Run(ctx context.Context, now time.Time) (int, error) {
	forgotten, err := r.store.Forgotten(ctx, now.Add(-r.opts.After), now)
	if err != nil {
		return 0, err
	}
	sec, err := r.secrets.Secrets(ctx)
	if err != nil {
		return 0, err
	}
	sent := 0
	for _, f := range forgotten {
		won, err := r.store.MarkReminded(ctx, f.Dest, f.Session.EntryID)
		if err != nil {
			return sent, err
		}
		if !won {
			continue // another run reminded of it
		}
		webhook, _ := sec.Webhook(f.Route)
		msg := message.Reminder(f.Session, r.opts.Language, now)
		if !r.opts.AllowLinks {
			msg.Defang()
		}
		attrs := []any{slog.String("entryId", f.Session.EntryID), slog.Duration("running", now.Sub(f.Session.Start).Truncate(time.Minute))}
		if _, err := r.sender.Send(ctx, webhook, msg); err != nil {
			r.logger.ErrorContext(ctx, "a reminder was not delivered", append(attrs, slog.String("error", err.Error()))...)
			continue
		}
		sent++
		r.logger.InfoContext(ctx, "reminder", attrs...)
	}
	return sent, nil
}
