package state_test

import (
	"testing"
	"time"

	"clockify-discord-relay/lambda/clockify"
	"clockify-discord-relay/lambda/state"
	"clockify-discord-relay/lambda/state/statetest"
)

// TestBook plays each case's events through state.Book and checks what
// the ledger then holds of the entry: its hours, or nothing.
func TestBook(t *testing.T) {
	at := func(h float64) time.Time { return now.Add(time.Duration(h * float64(time.Hour))) }
	ev := func(typ clockify.EventType, hours float64) clockify.Event {
		return statetest.Finished(typ, "e1", "Ada", "Web", at(0), at(hours))
	}
	running := statetest.Timer(clockify.TimeEntryUpdated, "e1", "Ada", at(0))
	for _, c := range []struct {
		name   string
		events []clockify.Event
		want   float64 // hours counted; 0: not counted
	}{
		{"a stop", []clockify.Event{ev(clockify.TimerStopped, 1.5)}, 1.5},
		{"an update replaces", []clockify.Event{ev(clockify.TimerStopped, 1.5), ev(clockify.TimeEntryUpdated, 2)}, 2},
		{"an update before its create", []clockify.Event{ev(clockify.TimeEntryUpdated, 2), ev(clockify.NewTimeEntry, 1.5)}, 2},
		{"a redelivery changes nothing", []clockify.Event{ev(clockify.TimerStopped, 1.5), ev(clockify.TimeEntryUpdated, 2), ev(clockify.TimeEntryUpdated, 2), ev(clockify.TimerStopped, 1.5)}, 2},
		{"a delete removes", []clockify.Event{ev(clockify.NewTimeEntry, 1), ev(clockify.TimeEntryDeleted, 1)}, 0},
		{"a delete before its create", []clockify.Event{ev(clockify.TimeEntryDeleted, 1), ev(clockify.NewTimeEntry, 1)}, 0},
		{"an update of a deleted entry", []clockify.Event{ev(clockify.NewTimeEntry, 1), ev(clockify.TimeEntryDeleted, 1), ev(clockify.TimeEntryUpdated, 3)}, 0},
		{"a restore puts back", []clockify.Event{ev(clockify.NewTimeEntry, 1), ev(clockify.TimeEntryDeleted, 1), ev(clockify.TimeEntryRestored, 1)}, 1},
		{"a split shortens", []clockify.Event{ev(clockify.TimerStopped, 3), ev(clockify.TimeEntrySplit, 1)}, 1},
		{"a running update is the session's", []clockify.Event{running}, 0},
		{"a start is not booked", []clockify.Event{statetest.Timer(clockify.NewTimerStarted, "e1", "Ada", at(0))}, 0},
		{"7 days are booked", []clockify.Event{ev(clockify.NewTimeEntry, 7*24)}, 7 * 24},
		{"nine years are not", []clockify.Event{ev(clockify.NewTimeEntry, 9*365*24)}, 0},
		{"an update to nine years keeps the entry", []clockify.Event{ev(clockify.NewTimeEntry, 2), ev(clockify.TimeEntryUpdated, 7*24+0.01)}, 2},
		{"an end before the start is not booked", []clockify.Event{ev(clockify.NewTimeEntry, -1)}, 0},
	} {
		t.Run(c.name, func(t *testing.T) {
			var r *state.LedgerRecord
			for _, e := range c.events {
				r = state.Book(r, e, "", at(4))
			}
			got := 0.0
			if r != nil && r.Counts(at(-24), at(24)) {
				got = r.Entry.End.Sub(r.Entry.Start).Hours()
			}
			if got != c.want {
				t.Errorf("counts %gh, want %gh (record %+v)", got, c.want, r)
			}
			if got != 0 && r.Entry.Duration.Hours() != c.want {
				t.Errorf("duration %v, want %gh", r.Entry.Duration, c.want)
			}
			if r != nil && r.Expires.Before(at(4).Add(state.LedgerAge)) {
				t.Errorf("expires %v, before 35 days", r.Expires)
			}
		})
	}
}
