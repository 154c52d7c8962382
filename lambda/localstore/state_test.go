package localstore

import (
	"context"
	"testing"
	"time"

	"clockify-discord-relay/lambda/clockify"
)

func timer(typ clockify.EventType, id, user string, start time.Time) clockify.Event {
	return clockify.Event{Type: typ, Entry: clockify.TimeEntry{ID: id, CurrentlyRunning: typ == clockify.NewTimerStarted,
		User: &clockify.User{Name: user}, TimeInterval: clockify.TimeInterval{Start: start}}}
}

// TestStateSurvivesAReopen: running timers per destination, a redelivered
// start, a stop before its start, and a reopened file.
func TestStateSurvivesAReopen(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	s, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 11, 27, 9, 0, 0, 0, time.UTC)
	apply := func(dest string, ev clockify.Event, want bool) {
		t.Helper()
		if changed, err := s.Apply(ctx, dest, ev, now); err != nil || changed != want {
			t.Fatalf("Apply %s %s: %v, %v; want %v", ev.Type, ev.Entry.ID, changed, err, want)
		}
	}
	apply("a", timer(clockify.NewTimerStarted, "e2", "Bob", now.Add(-time.Minute)), true)
	apply("a", timer(clockify.NewTimerStarted, "e1", "Ada", now.Add(-time.Hour)), true)
	apply("a", timer(clockify.NewTimerStarted, "e1", "Ada", now.Add(-time.Hour)), false) // redelivered
	apply("b", timer(clockify.NewTimerStarted, "e3", "Cy", now), true)
	apply("a", timer(clockify.TimerStopped, "e9", "Dee", now), false) // its start comes later
	apply("a", timer(clockify.NewTimerStarted, "e9", "Dee", now), false)
	if err := s.SetBoard(ctx, "a", "1300000000000000000"); err != nil {
		t.Fatal(err)
	}
	s.Close()
	if s, err = Open(dir); err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	got, err := s.Running(ctx, "a", now)
	if err != nil || len(got) != 2 || got[0].User != "Ada" || got[1].User != "Bob" {
		t.Fatalf("running in a: %+v, %v", got, err)
	}
	if id, _ := s.Board(ctx, "a"); id != "1300000000000000000" {
		t.Errorf("board %q", id)
	}
	apply("a", timer(clockify.TimerStopped, "e1", "Ada", now), true)
	if got, _ := s.Running(ctx, "a", now); len(got) != 1 || got[0].User != "Bob" {
		t.Errorf("after the stop: %+v", got)
	}
	// A week later everything has expired.
	if got, _ := s.Running(ctx, "a", now.Add(8*24*time.Hour)); len(got) != 0 {
		t.Errorf("a week later: %+v", got)
	}
}
