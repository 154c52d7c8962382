package queue

import (
	"context"
	"log/slog"
	"time"
)

// Keys remembers the keys of accepted jobs (the state table in Lambda).
type Keys interface {
	Seen(ctx context.Context, key string, now time.Time) (bool, error)
	Remember(ctx context.Context, key string, until time.Time) error
}

// Deduped is a queue that drops a job whose key was accepted within
// DedupeWindow: SQS remembers keys for 5 minutes only. A job is
// remembered after it is stored, so a failed store is never taken for a
// duplicate; if the keys cannot be read or written, the job is enqueued
// anyway (SQS's own window still holds) and the failure logged.
type Deduped struct {
	Queue  Queue
	Keys   Keys
	Logger *slog.Logger
	Now    func() time.Time
}

var _ Queue = Deduped{}

// Enqueue stores the job unless it is a duplicate.
func (d Deduped) Enqueue(ctx context.Context, job Job) (Receipt, error) {
	now := d.Now()
	seen, err := d.Keys.Seen(ctx, job.Key, now)
	if err != nil {
		d.Logger.WarnContext(ctx, "could not read the dedupe keys", slog.String("error", err.Error()))
	}
	if seen {
		return Receipt{Status: "duplicate"}, nil
	}
	r, err := d.Queue.Enqueue(ctx, job)
	if err != nil {
		return r, err
	}
	if err := d.Keys.Remember(ctx, job.Key, now.Add(DedupeWindow)); err != nil {
		d.Logger.WarnContext(ctx, "could not remember the job's key", slog.String("error", err.Error()))
	}
	return r, nil
}
