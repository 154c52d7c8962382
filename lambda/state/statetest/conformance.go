// Package statetest checks that a state.Store keeps running timers as the
// relay needs, whatever keeps them (bbolt locally, DynamoDB in Lambda).
package statetest

import (
	"context"
	"sync"
	"testing"
	"time"

	"clockify-discord-relay/lambda/clockify"
	"clockify-discord-relay/lambda/state"
)

// Timer is an event for entry id of user, started at start.
func Timer(typ clockify.EventType, id, user string, start time.Time) clockify.Event {
	return clockify.Event{Type: typ, Entry: clockify.TimeEntry{ID: id, CurrentlyRunning: typ == clockify.NewTimerStarted,
		User: &clockify.User{Name: user}, TimeInterval: clockify.TimeInterval{Start: start}}}
}

// Conformance runs the store through the cases every store must get
// right: destinations apart, a redelivered start, a stop before its start,
// a stop, the board's message, expiry after a week, and concurrent writes.
func Conformance(t *testing.T, s state.Store) {
	ctx := context.Background()
	now := time.Date(2026, 11, 27, 9, 0, 0, 0, time.UTC)
	apply := func(dest string, ev clockify.Event, want bool) {
		t.Helper()
		if changed, err := s.Apply(ctx, dest, ev, now); err != nil || changed != want {
			t.Fatalf("Apply %s %s: %v, %v; want %v", ev.Type, ev.Entry.ID, changed, err, want)
		}
	}
	apply("a", Timer(clockify.NewTimerStarted, "e2", "Bob", now.Add(-time.Minute)), true)
	apply("a", Timer(clockify.NewTimerStarted, "e1", "Ada", now.Add(-time.Hour)), true)
	apply("a", Timer(clockify.NewTimerStarted, "e1", "Ada", now.Add(-time.Hour)), false) // redelivered
	apply("b", Timer(clockify.NewTimerStarted, "e3", "Cy", now), true)
	apply("a", Timer(clockify.TimerStopped, "e9", "Dee", now), false) // its start comes later
	apply("a", Timer(clockify.NewTimerStarted, "e9", "Dee", now), false)
	got, err := s.Running(ctx, "a", now)
	if err != nil || len(got) != 2 || got[0].User != "Ada" || got[1].User != "Bob" {
		t.Fatalf("running in a: %+v, %v", got, err)
	}
	if got, _ := s.Running(ctx, "b", now); len(got) != 1 || got[0].User != "Cy" {
		t.Errorf("running in b: %+v", got)
	}
	if id, err := s.Board(ctx, "a"); id != "" || err != nil {
		t.Errorf("board before any: %q, %v", id, err)
	}
	if err := s.SetBoard(ctx, "a", "1300000000000000000"); err != nil {
		t.Fatal(err)
	}
	if id, _ := s.Board(ctx, "a"); id != "1300000000000000000" {
		t.Errorf("board %q", id)
	}
	apply("a", Timer(clockify.TimerStopped, "e1", "Ada", now), true)
	if got, _ := s.Running(ctx, "a", now); len(got) != 1 || got[0].User != "Bob" {
		t.Errorf("after the stop: %+v", got)
	}
	if got, _ := s.Running(ctx, "a", now.Add(8*24*time.Hour)); len(got) != 0 {
		t.Errorf("a week later: %+v", got)
	}
	// Concurrent deliveries: every start is kept, and the entry started
	// and stopped at once ends stopped, whatever the order.
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Go(func() {
			id := string(rune('p' + i))
			if _, err := s.Apply(ctx, "c", Timer(clockify.NewTimerStarted, id, id, now), now); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Go(func() { _, _ = s.Apply(ctx, "c", Timer(clockify.NewTimerStarted, "z", "z", now), now) })
	wg.Go(func() { _, _ = s.Apply(ctx, "c", Timer(clockify.TimerStopped, "z", "z", now), now) })
	wg.Wait()
	if got, _ := s.Running(ctx, "c", now); len(got) != 8 {
		t.Errorf("after concurrent writes %d running, want 8: %+v", len(got), got)
	}
}
