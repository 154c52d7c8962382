package queue_test

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"testing"
	"time"

	"clockify-discord-relay/lambda/clockify"
	"clockify-discord-relay/lambda/queue"
	"clockify-discord-relay/lambda/queue/queuetest"
)

type memKeys struct {
	latest             map[string]queue.Latest
	until              map[string]time.Time
	failRead, failSave error
}

func newMemKeys() *memKeys {
	return &memKeys{latest: map[string]queue.Latest{}, until: map[string]time.Time{}}
}

func (m *memKeys) Latest(_ context.Context, entry string, now time.Time) (queue.Latest, error) {
	if m.failRead != nil || !now.Before(m.until[entry]) {
		return queue.Latest{}, m.failRead
	}
	return m.latest[entry], nil
}

func (m *memKeys) SetLatest(_ context.Context, entry string, l queue.Latest, until time.Time) error {
	if m.failSave != nil {
		return m.failSave
	}
	m.latest[entry], m.until[entry] = l, until
	return nil
}

type countQueue struct {
	jobs []queue.Job
	fail error
}

func (c *countQueue) Enqueue(_ context.Context, j queue.Job) (queue.Receipt, error) {
	if c.fail != nil {
		return queue.Receipt{}, c.fail
	}
	c.jobs = append(c.jobs, j)
	return queue.Receipt{Status: "queued"}, nil
}

func newDeduped(keys queue.Keys, q queue.Queue, now *time.Time) queue.Deduped {
	return queue.Deduped{Queue: q, Keys: keys, Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), Now: func() time.Time { return *now }}
}

func TestDedupedConformance(t *testing.T) {
	now := time.Date(2026, 11, 27, 9, 0, 0, 0, time.UTC)
	queuetest.DedupeConformance(t, newDeduped(newMemKeys(), &countQueue{}, &now), func(d time.Duration) { now = now.Add(d) })
}

func TestDeduped(t *testing.T) {
	now := time.Date(2026, 11, 27, 9, 0, 0, 0, time.UTC)
	keys, q := newMemKeys(), &countQueue{}
	d := newDeduped(keys, q, &now)
	ctx := context.Background()
	job := queue.Job{Key: "UPDATED.e1.a", Event: clockify.Event{Type: clockify.TimeEntryUpdated, Entry: clockify.TimeEntry{ID: "e1"}}}
	// A store that fails is not remembered: Clockify's resend goes through.
	q.fail = errors.New("sqs down")
	if _, err := d.Enqueue(ctx, job); err == nil {
		t.Fatal("a failed store was taken")
	}
	q.fail = nil
	if r, err := d.Enqueue(ctx, job); err != nil || r.Status != "queued" {
		t.Errorf("after the failed store: %q, %v", r.Status, err)
	}
	// Keys that cannot be read refuse the job: a redelivery cannot be
	// told from a change, and Clockify sends it again.
	keys.failRead = errors.New("dynamodb down")
	var notStored *queue.NotStoredError
	if _, err := d.Enqueue(ctx, job); !errors.As(err, &notStored) {
		t.Errorf("with the keys unreadable: %v, want NotStoredError", err)
	}
	keys.failRead = nil
	// Keys that cannot be written: the job is stored, and the delivery
	// refused, so that Clockify sends it again. The resend carries the
	// same Dedup id (SQS takes it as the same message), and is
	// remembered; a third delivery is a duplicate.
	keys.failSave = errors.New("throttled")
	other := queue.Job{Key: "UPDATED.e1.b", Event: clockify.Event{Type: clockify.TimeEntryUpdated, Entry: clockify.TimeEntry{ID: "e1"}}}
	if _, err := d.Enqueue(ctx, other); err == nil {
		t.Error("with the keys unwritable, the delivery was taken")
	}
	keys.failSave = nil
	if r, err := d.Enqueue(ctx, other); err != nil || r.Status != "queued" {
		t.Errorf("the resend: %q, %v", r.Status, err)
	}
	if len(q.jobs) != 3 || q.jobs[1].Dedup != q.jobs[2].Dedup {
		t.Fatalf("%d jobs stored; the resend's Dedup id must be the first's", len(q.jobs))
	}
	if r, _ := d.Enqueue(ctx, other); r.Status != "duplicate" {
		t.Errorf("after the resend was remembered: %q", r.Status)
	}
}

// TestDedupIDs: the queue's deduplication id is the same for two
// deliveries of one change read together, and differs for a change that
// shows what an earlier one showed (A → B → A, and A → B → A → B → A
// within SQS's five minutes).
func TestDedupIDs(t *testing.T) {
	now := time.Date(2026, 11, 27, 9, 0, 0, 0, time.UTC)
	q := &countQueue{}
	d := newDeduped(newMemKeys(), q, &now)
	keysOff := newDeduped(&memKeys{latest: map[string]queue.Latest{}, until: map[string]time.Time{}, failSave: errors.New("off")}, q, &now)
	ev := clockify.Event{Type: clockify.TimeEntryUpdated, Entry: clockify.TimeEntry{ID: "e1"}}
	a, b := queue.Job{Key: "U.e1.a", Event: ev}, queue.Job{Key: "U.e1.b", Event: ev}
	for _, j := range []queue.Job{a, b, a, b, a} {
		if _, err := d.Enqueue(context.Background(), j); err != nil {
			t.Fatal(err)
		}
	}
	// Two at once: neither remembered before the other reads.
	_, _ = keysOff.Enqueue(context.Background(), a)
	_, _ = keysOff.Enqueue(context.Background(), a)
	ids := []string{}
	for _, j := range q.jobs {
		ids = append(ids, j.Dedup)
	}
	if ids[0] == ids[2] || ids[2] == ids[4] || ids[1] == ids[3] {
		t.Errorf("alternating changes share ids: %v", ids[:5])
	}
	if ids[5] != ids[6] {
		t.Errorf("one change read twice has two ids: %s, %s", ids[5], ids[6])
	}
}
