package state

import (
	"context"
	"encoding/json"
	"strings"
	"time"

	"clockify-discord-relay/lambda/clockify"
)

// MaxAge is how long a running entry is kept: a timer older than a week
// was forgotten, or its stop was lost.
const MaxAge = 7 * 24 * time.Hour

// Session is a running timer, as the board shows it.
type Session struct {
	EntryID     string    `json:"entryId"`
	User        string    `json:"user"`
	Project     string    `json:"project,omitempty"`
	Client      string    `json:"client,omitempty"`
	Task        string    `json:"task,omitempty"`
	Description string    `json:"description,omitempty"`
	Break       bool      `json:"break,omitempty"`
	Start       time.Time `json:"start"`
	// For the digest's running timers.
	UserID    string `json:"userId,omitempty"`
	ProjectID string `json:"projectId,omitempty"`
	Color     string `json:"color,omitempty"`
	Billable  bool   `json:"billable,omitempty"`
}

// Record is what a store keeps of one entry: its running session, or a
// tombstone once it stopped, so that a start that arrives late does not
// bring it back.
type Record struct {
	Session Session `json:"session"`
	// Route is the route rule that sends the entry's messages ("" for the
	// default webhook): where a reminder goes.
	Route    string `json:"route,omitempty"`
	Stopped  bool   `json:"stopped,omitempty"`
	Reminded bool   `json:"reminded,omitempty"` // a forgotten-timer reminder went out
	// Announced is the id of the Discord message that announced the start.
	Announced string    `json:"announced,omitempty"`
	Expires   time.Time `json:"expires"`
}

// BoardMessage is the message that shows a destination's board.
type BoardMessage struct {
	ID string `json:"id"`
	// Webhook names (hashed) the webhook that posted it: only that one
	// can edit it, so after a rotation the board is posted anew.
	Webhook string `json:"webhook,omitempty"`
	// Shown is a hash of what it shows, so an unchanged board is not
	// edited again.
	Shown string `json:"shown,omitempty"`
	// Stale are boards this one replaced that are still to be deleted:
	// too old to edit, or posted and not remembered.
	Stale []string `json:"stale,omitempty"`
	// Unsure is when a post of the board began whose outcome is unknown:
	// it may be in the channel, and its id is not known.
	Unsure time.Time `json:"unsure,omitzero"`
}

// ParseBoardMessage reads a stored board: JSON, or a bare message id as
// stores kept it before.
func ParseBoardMessage(raw string) (BoardMessage, error) {
	var b BoardMessage
	if raw == "" || raw[0] != '{' {
		return BoardMessage{ID: raw}, nil
	}
	err := json.Unmarshal([]byte(raw), &b)
	return b, err
}

// Forgotten is a timer that has run long, and where it was announced.
type Forgotten struct {
	Dest, Route string
	Session     Session
}

// Store keeps the destinations' running timers and boards. dest names a
// destination (queue.Job's Group).
type Store interface {
	Ledger
	Places
	// Apply records what ev, sent by route, does to dest's running
	// timers, and reports whether the board changes.
	Apply(ctx context.Context, dest, route string, ev clockify.Event, now time.Time) (bool, error)
	// Running lists dest's running timers, oldest first.
	Running(ctx context.Context, dest string, now time.Time) ([]Session, error)
	// Board is dest's board message; its ID is "" when there is none.
	Board(ctx context.Context, dest string) (BoardMessage, error)
	// SetBoard remembers dest's board message.
	SetBoard(ctx context.Context, dest string, b BoardMessage) error
	// Forgotten lists, across destinations, the timers running since before
	// startedBefore that were not reminded of yet.
	Forgotten(ctx context.Context, startedBefore, now time.Time) ([]Forgotten, error)
	// MarkReminded records the reminder for an entry, and reports whether
	// this call did: of two callers, one wins, so one reminder goes out.
	MarkReminded(ctx context.Context, dest, entryID string) (bool, error)
	// Announce records the message that announced an entry's start.
	Announce(ctx context.Context, dest, entryID, messageID string) error
	// Entry is an entry's record, nil when there is none.
	Entry(ctx context.Context, dest, entryID string) (*Record, error)
}

// Transition is what ev makes of an entry's record (nil: none yet): the
// new record (nil: none), and whether the running timers changed.
//   - A start, or an update of an entry still running, records its session.
//   - A stop, a delete, or an update that shows an end, leaves a tombstone.
//   - A tombstone stays: a redelivered or late start cannot revive it.
//   - Other events (a manual entry, a split, a restore) change nothing.
func Transition(old *Record, ev clockify.Event, route string, now time.Time) (*Record, bool) {
	if old != nil && (old.Stopped || now.After(old.Expires)) {
		if old.Stopped {
			return old, false
		}
		old = nil // expired
	}
	e := ev.Entry
	running := e.CurrentlyRunning || e.TimeInterval.End == nil
	switch ev.Type {
	case clockify.NewTimerStarted, clockify.TimeEntryUpdated:
		if ev.Type == clockify.TimeEntryUpdated && !running {
			return stop(old, now)
		}
		s := sessionOf(e)
		if now.Sub(s.Start) > MaxAge {
			return old, false
		}
		if old != nil && old.Session == s {
			return old, false
		}
		next := &Record{Session: s, Route: route, Expires: s.Start.Add(MaxAge)}
		if old != nil {
			next.Reminded = old.Reminded && old.Session.Start.Equal(s.Start)
			next.Announced = old.Announced
		}
		return next, true
	case clockify.TimerStopped, clockify.TimeEntryDeleted:
		return stop(old, now)
	}
	return old, false
}

func stop(old *Record, now time.Time) (*Record, bool) {
	tomb := &Record{Stopped: true, Expires: now.Add(MaxAge)}
	if old != nil {
		tomb.Session, tomb.Route, tomb.Announced = old.Session, old.Route, old.Announced
	}
	return tomb, old != nil
}

func sessionOf(e clockify.TimeEntry) Session {
	s := Session{
		EntryID:     e.ID,
		Description: strings.Join(strings.Fields(e.Description), " "),
		Break:       e.Type == clockify.EntryBreak,
		Start:       e.TimeInterval.Start.UTC(),
		UserID:      e.UserID,
		Billable:    e.Billable,
	}
	if e.User != nil {
		s.User = strings.TrimSpace(e.User.Name)
	}
	if e.Project != nil {
		s.Project, s.Client = strings.TrimSpace(e.Project.Name), strings.TrimSpace(e.Project.ClientName)
		s.ProjectID, s.Color = e.Project.ID, e.Project.Color
	}
	if e.Task != nil {
		s.Task = strings.TrimSpace(e.Task.Name)
	}
	return s
}

// IsForgotten reports whether the record is a timer running since before
// startedBefore and not reminded of yet.
func (r Record) IsForgotten(startedBefore, now time.Time) bool {
	return !r.Stopped && !r.Reminded && !now.After(r.Expires) && r.Session.Start.Before(startedBefore)
}
