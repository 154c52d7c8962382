package queue

import (
	"testing"
	"time"

	"clockify-discord-relay/lambda/clockify"
)

// TestKeysStayTheSame: a job's key is what the dedupe keys in the state
// table and SQS's deduplication ids hold, so a deploy must not change
// it. The value was computed by the relay before the fingerprint moved
// here from package clockify.
func TestKeysStayTheSame(t *testing.T) {
	end := time.Date(2026, 11, 26, 10, 30, 0, 0, time.UTC)
	ev := clockify.Event{Type: clockify.TimerStopped, Entry: clockify.TimeEntry{ID: "e1", Description: "Fix login bug",
		TimeInterval: clockify.TimeInterval{Start: time.Date(2026, 11, 26, 9, 0, 0, 0, time.UTC), End: &end},
		User:         &clockify.User{Name: "Ada"}, Project: &clockify.Project{Name: "Website", ClientName: "ACME", Color: "#03A9F4"},
		Task: &clockify.Task{Name: "Login"}, Tags: []clockify.Tag{{Name: "bug"}}, Billable: true}}
	if got, want := Key(ev), "TIMER_STOPPED.e1.295ac87d33e85ed3a558ff5f"; got != want {
		t.Errorf("Key = %s, want %s", got, want)
	}
	ev.Entry.Description = "Fix logout bug"
	if Key(ev) == "TIMER_STOPPED.e1.295ac87d33e85ed3a558ff5f" {
		t.Error("another description, the same key")
	}
}
