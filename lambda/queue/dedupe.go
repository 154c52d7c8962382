package queue

import (
	"context"
	"fmt"
	"log/slog"
	"strconv"
	"time"
)

// Clockify sends no version with an entry, and may deliver a change more
// than once. A delivery is a redelivery when it repeats the latest change
// accepted for its entry, within DedupeWindow: then it is dropped. Any
// other change is new, even one that shows what an earlier change
// showed (an edit undone: A → B → A; a delete, a restore, a delete).
//
// Redelivery is that rule: latest is the key of the entry's latest
// accepted change ("" when none is remembered).
func Redelivery(latest string, job Job) bool { return latest != "" && latest == job.Key }

// Latest is an entry's latest accepted change: its key, and how many
// changes of the entry were accepted in a row (each within DedupeWindow
// of the one before).
type Latest struct {
	Key string `json:"key"`
	Seq int    `json:"seq"`
}

// EntryOf names the entry whose changes a job's key is compared with; a
// job of no entry (a digest, a board) is compared with itself.
func EntryOf(job Job) string {
	if job.Event.Type == "" { // a digest, a board, a reminder
		return "job:" + job.Key
	}
	return job.Event.Entry.ID
}

// Keys remembers the key of each entry's latest accepted change (the
// state table in Lambda; the local store keeps its own, by the same rule).
type Keys interface {
	// Latest is what is remembered of entry; zero when nothing (or it
	// expired).
	Latest(ctx context.Context, entry string, now time.Time) (Latest, error)
	// SetLatest remembers l for entry until the given time.
	SetLatest(ctx context.Context, entry string, l Latest, until time.Time) error
}

// Deduped is a queue that drops redeliveries. A job's key is remembered
// after it is stored, so a failed store is never taken for a duplicate.
// When the keys cannot be read, the job is refused (Clockify sends it
// again): a redelivery then cannot be told from a change.
type Deduped struct {
	Queue  Queue
	Keys   Keys
	Logger *slog.Logger
	Now    func() time.Time
}

var _ Queue = Deduped{}

// Enqueue stores the job unless it is a redelivery. The job's Dedup id
// joins its key with the number of the entry's change: two deliveries of
// one change that arrive together read the same number, so the queue
// (SQS keeps ids 5 minutes) takes one; in A → B → A the second A has
// another.
func (d Deduped) Enqueue(ctx context.Context, job Job) (Receipt, error) {
	now := d.Now()
	entry := EntryOf(job)
	latest, err := d.Keys.Latest(ctx, entry, now)
	if err != nil {
		return Receipt{}, &NotStoredError{Err: fmt.Errorf("the latest change of the entry could not be read: %w", err)}
	}
	if Redelivery(latest.Key, job) {
		return Receipt{Status: "duplicate"}, nil
	}
	next := Latest{Key: job.Key, Seq: latest.Seq + 1}
	job.Dedup = job.Key[:min(len(job.Key), 100)] + "." + strconv.Itoa(next.Seq)
	r, err := d.Queue.Enqueue(ctx, job)
	if err != nil {
		return r, err
	}
	// Unremembered, the entry's latest change stays the one before: a
	// redelivery of this one would go through, and a later change that
	// repeats the one before would pass for a redelivery. So it is tried
	// three times; then the delivery is refused, so that Clockify sends
	// it again: the resend reads the same latest change, so it carries
	// the same Dedup id, and the queue takes it as this job.
	var err2 error
	for try := range setLatestTries {
		if try > 0 {
			time.Sleep(setLatestPause << (try - 1))
		}
		if err2 = d.Keys.SetLatest(ctx, entry, next, now.Add(DedupeWindow)); err2 == nil {
			return r, nil
		}
	}
	d.Logger.ErrorContext(ctx, "could not remember the entry's latest change; the delivery is refused, for Clockify to send again", slog.String("key", job.Key), slog.String("error", err2.Error()))
	return Receipt{}, fmt.Errorf("queue: the job was queued, but the entry's latest change could not be remembered: %w", err2)
}

const (
	setLatestTries = 3
	setLatestPause = 20 * time.Millisecond
)
