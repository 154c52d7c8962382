package state_test

import (
	"testing"
	"time"

	"clockify-discord-relay/lambda/clockify"
	"clockify-discord-relay/lambda/state"
)

var now = time.Date(2026, 11, 27, 9, 0, 0, 0, time.UTC)

func event(typ clockify.EventType, id string, running bool) clockify.Event {
	e := clockify.TimeEntry{ID: id, Description: "Fix  login", CurrentlyRunning: running,
		User: &clockify.User{Name: "Ada"}, Project: &clockify.Project{Name: "Website", ClientName: "ACME"},
		TimeInterval: clockify.TimeInterval{Start: now.Add(-time.Hour)}}
	if !running {
		end := now
		e.TimeInterval.End = &end
	}
	return clockify.Event{Type: typ, Entry: e}
}

func TestTransition(t *testing.T) {
	start, stop := event(clockify.NewTimerStarted, "e1", true), event(clockify.TimerStopped, "e1", false)
	// A start records the session; the same start again changes nothing.
	r, changed := state.Transition(nil, start, "", now)
	if !changed || r.Stopped || r.Session.Description != "Fix login" || r.Session.Client != "ACME" {
		t.Fatalf("start: %+v %v", r, changed)
	}
	if again, changed := state.Transition(r, start, "", now); changed || again != r {
		t.Errorf("a redelivered start changed the record")
	}
	// An update of a running entry replaces it; one that ended stops it.
	upd := event(clockify.TimeEntryUpdated, "e1", true)
	upd.Entry.Description = "Fix logout"
	if u, changed := state.Transition(r, upd, "", now); !changed || u.Session.Description != "Fix logout" {
		t.Errorf("update: %+v %v", u, changed)
	}
	if u, changed := state.Transition(r, event(clockify.TimeEntryUpdated, "e1", false), "", now); !changed || !u.Stopped {
		t.Errorf("update with an end: %+v %v", u, changed)
	}
	// A stop leaves a tombstone; a late start cannot revive it.
	tomb, changed := state.Transition(r, stop, "", now)
	if !changed || !tomb.Stopped {
		t.Fatalf("stop: %+v %v", tomb, changed)
	}
	if late, changed := state.Transition(tomb, start, "", now); changed || !late.Stopped {
		t.Errorf("a late start revived a stopped entry")
	}
	// A stop before its start: no ghost.
	early, changed := state.Transition(nil, stop, "", now)
	if changed || !early.Stopped {
		t.Errorf("an early stop: %+v %v", early, changed)
	}
	if ghost, changed := state.Transition(early, start, "", now); changed || !ghost.Stopped {
		t.Errorf("the start after its stop left a ghost")
	}
	// A delete is a stop; other events change nothing.
	if _, changed := state.Transition(r, event(clockify.TimeEntryDeleted, "e1", true), "", now); !changed {
		t.Error("a delete did not stop the entry")
	}
	for _, typ := range []clockify.EventType{clockify.NewTimeEntry, clockify.TimeEntrySplit, clockify.TimeEntryRestored} {
		if _, changed := state.Transition(r, event(typ, "e1", false), "", now); changed {
			t.Errorf("%s changed the running timers", typ)
		}
	}
	// A start more than a week old is not recorded; an expired record is
	// gone.
	old := event(clockify.NewTimerStarted, "e2", true)
	old.Entry.TimeInterval.Start = now.Add(-8 * 24 * time.Hour)
	if r, changed := state.Transition(nil, old, "", now); changed || r != nil {
		t.Errorf("a week-old start was recorded")
	}
	if _, changed := state.Transition(r, stop, "", now.Add(state.MaxAge+time.Hour)); changed {
		t.Error("an expired record was stopped as if running")
	}
}
