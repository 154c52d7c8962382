package queuetest

import (
	"context"
	"maps"
	"testing"
	"time"

	"clockify-discord-relay/lambda/queue"
)

// JournalConformance checks what every queue.Journal must do: marks read
// back as set, per id; Unsent forgets; ids never set are Unsent.
func JournalConformance(t *testing.T, j queue.Journal) {
	t.Helper()
	ctx, now := context.Background(), time.Now()
	set := func(m queue.Mark, ids ...string) {
		t.Helper()
		if err := j.SetMarks(ctx, ids, m, now); err != nil {
			t.Fatal(err)
		}
	}
	want := func(w map[string]queue.Mark) {
		t.Helper()
		got, err := j.Marks(ctx, []string{"a@1", "b@1", "c@1", "a@2"})
		if err != nil {
			t.Fatal(err)
		}
		if !maps.Equal(got, w) {
			t.Errorf("marks %v, want %v", got, w)
		}
	}
	want(map[string]queue.Mark{})
	set(queue.Sending, "a@1", "b@1")
	want(map[string]queue.Mark{"a@1": queue.Sending, "b@1": queue.Sending})
	set(queue.Shown, "a@1")
	set(queue.Unsent, "b@1", "c@1") // c@1 was never set: nothing to forget
	want(map[string]queue.Mark{"a@1": queue.Shown})
	set(queue.Sending, "a@2") // another acceptance of the same key
	want(map[string]queue.Mark{"a@1": queue.Shown, "a@2": queue.Sending})
}
