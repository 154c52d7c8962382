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
		if changed, err := s.Apply(ctx, dest, "", ev, now); err != nil || changed != want {
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
	// Concurrent deliveries: every start is kept, and the entry started
	// and stopped at once ends stopped, whatever the order.
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Go(func() {
			id := string(rune('p' + i))
			if _, err := s.Apply(ctx, "c", "", Timer(clockify.NewTimerStarted, id, id, now), now); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Go(func() { _, _ = s.Apply(ctx, "c", "", Timer(clockify.NewTimerStarted, "z", "z", now), now) })
	wg.Go(func() { _, _ = s.Apply(ctx, "c", "", Timer(clockify.TimerStopped, "z", "z", now), now) })
	wg.Wait()
	if got, _ := s.Running(ctx, "c", now); len(got) != 8 {
		t.Errorf("after concurrent writes %d running, want 8: %+v", len(got), got)
	}

	// Forgotten timers: Bob's (in a) has run since a minute ago, Ada's
	// stopped; ten hours later Bob's and c's timers are forgotten, each
	// reminded of once, whoever asks.
	later := now.Add(10 * time.Hour)
	if f, err := s.Forgotten(ctx, now.Add(-time.Hour), now); err != nil || len(f) != 0 {
		t.Errorf("forgotten now: %+v, %v", f, err)
	}
	f, err := s.Forgotten(ctx, later.Add(-9*time.Hour), later)
	if err != nil || len(f) != 10 {
		t.Fatalf("forgotten ten hours later: %d, %v", len(f), err)
	}
	won := 0
	var mu sync.Mutex
	for _, x := range f {
		for range 2 {
			wg.Go(func() {
				ok, err := s.MarkReminded(ctx, x.Dest, x.Session.EntryID)
				if err != nil {
					t.Error(err)
				}
				if ok {
					mu.Lock()
					won++
					mu.Unlock()
				}
			})
		}
	}
	wg.Wait()
	if won != len(f) {
		t.Errorf("%d reminders marked for %d timers", won, len(f))
	}
	if f, _ := s.Forgotten(ctx, later.Add(-9*time.Hour), later); len(f) != 0 {
		t.Errorf("reminded timers are still forgotten: %+v", f)
	}
	if ok, _ := s.MarkReminded(ctx, "a", "e1"); ok {
		t.Error("a stopped timer was marked")
	}

	// The start's announcement is kept through the stop, for its link.
	apply("d", Timer(clockify.NewTimerStarted, "s1", "Eve", now), true)
	if err := s.Announce(ctx, "d", "s1", "1300000000000000042"); err != nil {
		t.Fatal(err)
	}
	apply("d", Timer(clockify.TimerStopped, "s1", "Eve", now), true)
	if r, err := s.Entry(ctx, "d", "s1"); err != nil || r == nil || !r.Stopped || r.Announced != "1300000000000000042" {
		t.Errorf("the stopped entry: %+v, %v", r, err)
	}
	if r, err := s.Entry(ctx, "d", "none"); r != nil || err != nil {
		t.Errorf("a missing entry: %+v, %v", r, err)
	}
	if got, _ := s.Running(ctx, "a", now.Add(8*24*time.Hour)); len(got) != 0 {
		t.Errorf("a week later: %+v", got)
	}
}
