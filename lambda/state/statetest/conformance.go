package statetest

import (
	"context"
	"fmt"
	"reflect"
	"sync"
	"sync/atomic"
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
	if b, err := s.Board(ctx, "a"); !reflect.DeepEqual(b, state.BoardMessage{}) || err != nil {
		t.Errorf("board before any: %+v, %v", b, err)
	}
	board := state.BoardMessage{ID: "1300000000000000000", Webhook: "w1", Shown: "h1", Stale: []string{"1200000000000000000"}}
	if err := s.SetBoard(ctx, "a", board); err != nil {
		t.Fatal(err)
	}
	if b, _ := s.Board(ctx, "a"); !reflect.DeepEqual(b, board) {
		t.Errorf("board %+v, want %+v", b, board)
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
	for _, x := range f {
		won += winners(t, 2, func() (bool, error) { return s.MarkReminded(ctx, x.Dest, x.Session.EntryID) })
	}
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

// Finished is an event for entry id of user, which ran from start to end
// on project.
func Finished(typ clockify.EventType, id, user, project string, start, end time.Time) clockify.Event {
	d := clockify.Duration(end.Sub(start))
	return clockify.Event{Type: typ, Entry: clockify.TimeEntry{ID: id, UserID: "u-" + user, Billable: true,
		User:         &clockify.User{ID: "u-" + user, Name: user},
		Project:      &clockify.Project{ID: "p-" + project, Name: project, Color: "#03A9F4"},
		TimeInterval: clockify.TimeInterval{Start: start, End: &end, Duration: &d}}}
}

// LedgerConformance runs the store's ledger through what every store must
// get right: an update replaces, a delete removes, a restore puts back, a
// redelivery changes nothing, an update before its create wins,
// destinations apart, running timers counted, expiry, and one claim.
func LedgerConformance(t *testing.T, s state.Store) {
	ctx := context.Background()
	now := time.Date(2026, 11, 27, 18, 0, 0, 0, time.UTC)
	day := now.Truncate(24 * time.Hour)
	book := func(dest string, ev clockify.Event) {
		t.Helper()
		if err := s.Book(ctx, dest, "r1", ev, now); err != nil {
			t.Fatalf("Book %s %s: %v", ev.Type, ev.Entry.ID, err)
		}
	}
	at := func(h float64) time.Time { return day.Add(time.Duration(h * float64(time.Hour))) }
	book("a", Finished(clockify.TimerStopped, "A", "Ada", "Web", at(9), at(10.5)))
	book("a", Finished(clockify.TimeEntryUpdated, "A", "Ada", "Web", at(9), at(11)))
	book("a", Finished(clockify.TimerStopped, "A", "Ada", "Web", at(9), at(10.5))) // redelivered after its update
	book("a", Finished(clockify.TimerStopped, "B", "Bob", "Ops", at(12), at(12.75)))
	book("a", Finished(clockify.TimeEntryDeleted, "B", "Bob", "Ops", at(12), at(12.75)))
	book("a", Finished(clockify.TimeEntryUpdated, "U", "Uma", "Web", at(13), at(14))) // its create comes after
	book("a", Finished(clockify.NewTimeEntry, "U", "Uma", "Web", at(13), at(13.5)))
	book("a", Finished(clockify.TimeEntryDeleted, "D", "Dee", "Web", at(8), at(9))) // its create comes after
	book("a", Finished(clockify.NewTimeEntry, "D", "Dee", "Web", at(8), at(9)))
	book("a", Finished(clockify.NewTimeEntry, "R", "Rae", "Web", at(7), at(8)))
	book("a", Finished(clockify.TimeEntryDeleted, "R", "Rae", "Web", at(7), at(8)))
	book("a", Finished(clockify.TimeEntryRestored, "R", "Rae", "Web", at(7), at(8)))
	book("a", Finished(clockify.NewTimeEntry, "Y", "Yui", "Web", at(-20), at(-19))) // yesterday
	book("b", Finished(clockify.NewTimeEntry, "C", "Cy", "Ops", at(15), at(16)))
	if _, err := s.Apply(ctx, "b", "r2", Timer(clockify.NewTimerStarted, "T", "Tom", at(17)), now); err != nil {
		t.Fatal(err)
	}
	got, err := s.Ledger(ctx, day, day.Add(24*time.Hour), now)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{ // entry → dest, user and hours
		"A": "a Ada 2", "U": "a Uma 1", "R": "a Rae 1", "C": "b Cy 1", "T": "b Tom 1 running",
	}
	if len(got) != len(want) {
		t.Errorf("ledger has %d entries, want %d: %+v", len(got), len(want), got)
	}
	for _, e := range got {
		line := fmt.Sprintf("%s %s %g", e.Dest, e.User, e.End.Sub(e.Start).Hours())
		if e.Running {
			line += " running"
		}
		if want[e.EntryID] != line {
			t.Errorf("entry %s: %q, want %q", e.EntryID, line, want[e.EntryID])
		}
		if e.EntryID == "A" && (e.Route != "r1" || e.Project != "Web" || e.Color != "#03A9F4" || !e.Billable || !e.Work) {
			t.Errorf("entry A lost its details: %+v", e)
		}
	}
	// One destination's ledger is the same entries, that destination's
	// alone.
	if of, err := s.LedgerOf(ctx, "b", day, day.Add(24*time.Hour), now); err != nil || len(of) != 2 {
		t.Errorf("LedgerOf b: %+v, %v; want C and T", of, err)
	} else {
		for _, e := range of {
			if e.Dest != "b" || (e.EntryID != "C" && e.EntryID != "T") {
				t.Errorf("LedgerOf b has %+v", e)
			}
		}
	}
	if got, _ := s.Ledger(ctx, day, day.Add(24*time.Hour), now.Add(36*24*time.Hour)); len(got) != 0 {
		t.Errorf("35 days later the ledger still has %+v", got)
	}

	// A digest is claimed once per destination and name, whoever asks.
	if won := winners(t, 4, func() (bool, error) { return s.Claim(ctx, "a", "daily-2026-11-27", time.Now().Add(time.Hour)) }); won != 1 {
		t.Errorf("%d of 4 claims won, want 1", won)
	}
	if ok, _ := s.Claim(ctx, "b", "daily-2026-11-27", time.Now().Add(time.Hour)); !ok {
		t.Error("another destination's claim was refused")
	}
	if err := s.Release(ctx, "a", "daily-2026-11-27"); err != nil {
		t.Fatal(err)
	}
	if ok, _ := s.Claim(ctx, "a", "daily-2026-11-27", time.Now().Add(time.Hour)); !ok {
		t.Error("a released claim could not be claimed again")
	}
	if ok, _ := s.Claim(ctx, "a", "weekly-2026-11-23", time.Now().Add(-time.Second)); !ok {
		t.Fatal("first weekly claim refused")
	}
	if ok, _ := s.Claim(ctx, "a", "weekly-2026-11-23", time.Now().Add(time.Hour)); !ok {
		t.Error("an expired claim still holds")
	}
}

// winners runs try n times at once and counts the calls that won.
func winners(t *testing.T, n int, try func() (bool, error)) int {
	var won atomic.Int32
	var wg sync.WaitGroup
	for range n {
		wg.Go(func() {
			ok, err := try()
			if err != nil {
				t.Error(err)
			}
			if ok {
				won.Add(1)
			}
		})
	}
	wg.Wait()
	return int(won.Load())
}
