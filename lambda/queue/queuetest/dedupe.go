package queuetest

import (
	"context"
	"testing"
	"time"

	"clockify-discord-relay/lambda/clockify"
	"clockify-discord-relay/lambda/queue"
)

// DedupeConformance checks the one dedupe rule (queue.Redelivery) on a
// queue that applies it: a delivery is dropped only when it repeats the
// latest change accepted for its entry, within queue.DedupeWindow. later
// moves the queue's clock on.
func DedupeConformance(t *testing.T, q queue.Queue, later func(time.Duration)) {
	t.Helper()
	ctx := context.Background()
	change := func(entry string, ev clockify.EventType, shows string) queue.Job {
		return queue.Job{Key: string(ev) + "." + entry + "." + shows, Group: "g", Event: clockify.Event{Type: ev, Entry: clockify.TimeEntry{ID: entry}}, AcceptedAt: time.Now()}
	}
	steps := []struct {
		name string
		job  queue.Job
		want string
	}{
		{"a start", change("e1", clockify.NewTimerStarted, "a"), "queued"},
		{"its redelivery", change("e1", clockify.NewTimerStarted, "a"), "duplicate"},
		{"an edit to B", change("e1", clockify.TimeEntryUpdated, "b"), "queued"},
		{"an edit to C", change("e1", clockify.TimeEntryUpdated, "c"), "queued"},
		{"an edit back to B", change("e1", clockify.TimeEntryUpdated, "b"), "queued"},
		{"its redelivery", change("e1", clockify.TimeEntryUpdated, "b"), "duplicate"},
		{"a delete", change("e1", clockify.TimeEntryDeleted, "b"), "queued"},
		{"a restore", change("e1", clockify.TimeEntryRestored, "b"), "queued"},
		{"the delete again", change("e1", clockify.TimeEntryDeleted, "b"), "queued"},
		{"another entry, the same text", change("e2", clockify.TimeEntryDeleted, "b"), "queued"},
		{"the first entry's redelivery", change("e1", clockify.TimeEntryDeleted, "b"), "duplicate"},
	}
	for _, s := range steps {
		if r, err := q.Enqueue(ctx, s.job); err != nil || r.Status != s.want {
			t.Errorf("%s: %q, %v; want %q", s.name, r.Status, err, s.want)
		}
	}
	later(queue.DedupeWindow - time.Minute)
	if r, _ := q.Enqueue(ctx, change("e2", clockify.TimeEntryDeleted, "b")); r.Status != "duplicate" {
		t.Errorf("a redelivery within the window: %q", r.Status)
	}
	later(2 * time.Minute)
	if r, _ := q.Enqueue(ctx, change("e2", clockify.TimeEntryDeleted, "b")); r.Status != "queued" {
		t.Errorf("a redelivery past the window: %q", r.Status)
	}
}
