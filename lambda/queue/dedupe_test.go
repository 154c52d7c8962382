package queue_test

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"testing"
	"time"

	"clockify-discord-relay/lambda/queue"
)

type memKeys struct {
	keys map[string]time.Time
	fail error
}

func (m *memKeys) Seen(_ context.Context, key string, now time.Time) (bool, error) {
	until, ok := m.keys[key]
	return ok && now.Before(until), m.fail
}

func (m *memKeys) Remember(_ context.Context, key string, until time.Time) error {
	if m.fail != nil {
		return m.fail
	}
	m.keys[key] = until
	return nil
}

type countQueue struct {
	n    int
	fail error
}

func (c *countQueue) Enqueue(context.Context, queue.Job) (queue.Receipt, error) {
	if c.fail != nil {
		return queue.Receipt{}, c.fail
	}
	c.n++
	return queue.Receipt{Status: "queued"}, nil
}

func TestDeduped(t *testing.T) {
	now := time.Date(2026, 11, 27, 9, 0, 0, 0, time.UTC)
	keys, q := &memKeys{keys: map[string]time.Time{}}, &countQueue{}
	d := queue.Deduped{Queue: q, Keys: keys, Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), Now: func() time.Time { return now }}
	ctx := context.Background()
	job := queue.Job{Key: "k"}
	// A store that fails is not remembered: Clockify's resend goes through.
	q.fail = errors.New("sqs down")
	if _, err := d.Enqueue(ctx, job); err == nil {
		t.Fatal("a failed store was taken")
	}
	q.fail = nil
	for _, want := range []string{"queued", "duplicate"} {
		if r, err := d.Enqueue(ctx, job); err != nil || r.Status != want {
			t.Errorf("%q, %v; want %q", r.Status, err, want)
		}
	}
	now = now.Add(queue.DedupeWindow + time.Second)
	if r, _ := d.Enqueue(ctx, job); r.Status != "queued" {
		t.Errorf("after a day: %q", r.Status)
	}
	// Keys that cannot be read or written do not stop the job.
	keys.fail = errors.New("dynamodb down")
	if r, err := d.Enqueue(ctx, queue.Job{Key: "other"}); err != nil || r.Status != "queued" {
		t.Errorf("with the keys down: %q, %v", r.Status, err)
	}
	if q.n != 3 {
		t.Errorf("%d jobs stored, want 3", q.n)
	}
}
