package remind

import (
	"context"
	"log/slog"
	"time"

	"clockify-discord-relay/lambda/queue"
	"clockify-discord-relay/lambda/state"
)

// Reminder finds forgotten timers and queues a reminder for each, to the
// channel that announced it.
type Reminder struct {
	store  state.Store
	queue  queue.Queue
	logger *slog.Logger
	after  time.Duration
}

// New reminds of timers running longer than after (LONG_TIMER_HOURS),
// through q: a reminder keeps its channel's order, rate limits, retries
// and dead letters like any message.
func New(store state.Store, q queue.Queue, logger *slog.Logger, after time.Duration) *Reminder {
	return &Reminder{store: store, queue: q, logger: logger, after: after}
}

// Run queues a reminder of every timer that has run longer than after
// and was not reminded of yet, and returns how many it queued. A reminder
// is marked before it is queued: one that then cannot be queued is
// logged, not repeated.
func (r *Reminder) Run(ctx context.Context, now time.Time) (int, error) {
	forgotten, err := r.store.Forgotten(ctx, now.Add(-r.after), now)
	if err != nil {
		return 0, err
	}
	queued := 0
	for _, f := range forgotten {
		won, err := r.store.MarkReminded(ctx, f.Dest, f.Session.EntryID)
		if err != nil {
			return queued, err
		}
		if !won {
			continue // another run reminded of it
		}
		attrs := []any{slog.String("entryId", f.Session.EntryID), slog.Duration("running", now.Sub(f.Session.Start).Truncate(time.Minute))}
		if _, err := r.queue.Enqueue(ctx, queue.NewReminder(f.Session, f.Dest, f.Route, now)); err != nil {
			r.logger.ErrorContext(ctx, "a reminder could not be queued", append(attrs, slog.String("error", err.Error()))...)
			continue
		}
		queued++
		r.logger.InfoContext(ctx, "reminder", attrs...)
	}
	return queued, nil
}
