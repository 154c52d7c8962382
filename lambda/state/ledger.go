package state

import (
	"context"
	"reflect"
	"strings"
	"time"

	"clockify-discord-relay/lambda/clockify"
)

// LedgerAge is how long a finished entry is kept: a weekly digest, and
// the days a late edit may still reach.
const LedgerAge = 35 * 24 * time.Hour

// LedgerEntry is a finished time entry, as digests count it, or a timer
// still running when the ledger was read.
type LedgerEntry struct {
	EntryID   string    `json:"entryId"`
	UserID    string    `json:"userId,omitempty"`
	User      string    `json:"user"`
	ProjectID string    `json:"projectId,omitempty"`
	Project   string    `json:"project,omitempty"`
	Client    string    `json:"client,omitempty"`
	Color     string    `json:"color,omitempty"` // the project's, "#rrggbb"
	Tags      []string  `json:"tags,omitempty"`
	Billable  bool      `json:"billable,omitempty"`
	Work      bool      `json:"work"` // not a break, holiday or time off
	Start     time.Time `json:"start"`
	End       time.Time `json:"end"`
	// Duration is Clockify's own (End - Start when it sends none); the
	// digest counts Start to End, cut at its period's edges.
	Duration time.Duration `json:"duration,omitempty"`
	// Running: the timer had not stopped; End is when the ledger was read.
	Running bool `json:"running,omitempty"`
	// Dest and Route say where the entry's messages go (set by Ledger).
	Dest  string `json:"-"`
	Route string `json:"route,omitempty"`
}

// LedgerRecord is what a store keeps of one entry for the ledger.
type LedgerRecord struct {
	Entry LedgerEntry `json:"entry"`
	// Edited: the content came from an update, a split or a restore; a
	// create or stop that arrives later is older, and does not replace it.
	Edited bool `json:"edited,omitempty"`
	// Deleted: a tombstone, so a late create does not bring it back.
	Deleted bool      `json:"deleted,omitempty"`
	Expires time.Time `json:"expires"`
}

// Ledger keeps each destination's finished entries, for digests, and
// which digests went out.
type Ledger interface {
	// Book records what ev does to dest's ledger.
	Book(ctx context.Context, dest, route string, ev clockify.Event, now time.Time) error
	// Ledger lists, across destinations, the entries that overlap
	// [from, to): finished ones, and timers running at now.
	Ledger(ctx context.Context, from, to, now time.Time) ([]LedgerEntry, error)
	// LedgerOf is Ledger for one destination.
	LedgerOf(ctx context.Context, dest string, from, to, now time.Time) ([]LedgerEntry, error)
	// Claim records that name (a digest) went out for dest, and reports
	// whether this call did: of two callers, one wins. The claim is kept
	// until the given time.
	Claim(ctx context.Context, dest, name string, until time.Time) (bool, error)
	// Release forgets a claim whose digest could not be queued.
	Release(ctx context.Context, dest, name string) error
}

// Book is what ev makes of an entry's ledger record (nil: none yet): the
// record to write, or old when nothing changes. Clockify sends no version
// with an entry, so the order of events is told by their kind:
//   - A stop or a manual entry records a finished entry, unless the
//     record was edited or deleted already (that event came first).
//   - An update, a split or a restore records the entry as it now is.
//     A split shortens the entry that it names; its other half comes as
//     an entry of its own.
//   - A delete leaves a tombstone; a restore lifts it.
//
// An event that shows no end (a timer still running) changes nothing:
// running timers are the sessions'.
//
// An entry whose span is not one (Unbookable) is not booked: the record
// stays as it was.
func Book(old *LedgerRecord, ev clockify.Event, route string, now time.Time) *LedgerRecord {
	e := ev.Entry
	finished := !e.CurrentlyRunning && e.TimeInterval.End != nil
	if finished && Unbookable(e) != "" {
		return old
	}
	var next LedgerRecord
	switch ev.Type {
	case clockify.TimerStopped, clockify.NewTimeEntry:
		if !finished || old != nil && (old.Edited || old.Deleted) {
			return old
		}
		next = LedgerRecord{Entry: ledgerEntryOf(e, route)}
	case clockify.TimeEntryUpdated, clockify.TimeEntrySplit, clockify.TimeEntryRestored:
		if !finished {
			if old == nil || ev.Type != clockify.TimeEntryRestored {
				return old
			}
			next = *old // a restore without an end: put back what was kept
		} else {
			next = LedgerRecord{Entry: ledgerEntryOf(e, route)}
		}
		next.Edited = true
		next.Deleted = old != nil && old.Deleted && ev.Type != clockify.TimeEntryRestored
	case clockify.TimeEntryDeleted:
		if old != nil {
			next = *old
		} else {
			next = LedgerRecord{Entry: ledgerEntryOf(e, route)}
		}
		next.Deleted = true
	default:
		return old
	}
	next.Expires = later(next.Entry.End, now).Add(LedgerAge)
	if old != nil {
		next.Expires = later(next.Expires, old.Expires)
		if reflect.DeepEqual(*old, next) {
			return old
		}
	}
	return &next
}

// MaxSpan is the longest entry the ledger books. A signed entry that
// spans nine years would otherwise count 24 hours every day until then.
const MaxSpan = 7 * 24 * time.Hour

// Unbookable says why a finished entry's span cannot be booked ("" when
// it can): longer than MaxSpan, or ending before it starts.
func Unbookable(e clockify.TimeEntry) string {
	if e.TimeInterval.End == nil {
		return ""
	}
	switch span := e.TimeInterval.End.Sub(e.TimeInterval.Start); {
	case span < 0:
		return "the entry ends before it starts"
	case span > MaxSpan:
		return "the entry spans more than 7 days"
	}
	return ""
}

func later(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

func ledgerEntryOf(e clockify.TimeEntry, route string) LedgerEntry {
	out := LedgerEntry{
		EntryID:  e.ID,
		UserID:   e.UserID,
		Billable: e.Billable,
		Work:     e.Type == "" || e.Type == clockify.EntryRegular,
		Start:    e.TimeInterval.Start.UTC(),
		Route:    route,
	}
	if e.TimeInterval.End != nil {
		out.End = e.TimeInterval.End.UTC()
		out.Duration = out.End.Sub(out.Start)
	}
	if e.TimeInterval.Duration != nil {
		out.Duration = time.Duration(*e.TimeInterval.Duration)
	}
	if e.User != nil {
		out.User = strings.TrimSpace(e.User.Name)
		if out.UserID == "" {
			out.UserID = e.User.ID
		}
	}
	if e.Project != nil {
		out.ProjectID, out.Project = e.Project.ID, strings.TrimSpace(e.Project.Name)
		out.Client, out.Color = strings.TrimSpace(e.Project.ClientName), e.Project.Color
	}
	for _, t := range e.Tags {
		out.Tags = append(out.Tags, t.Name)
	}
	return out
}

// Counts reports whether the record is a live entry overlapping [from, to).
func (r LedgerRecord) Counts(from, to time.Time) bool {
	return !r.Deleted && r.Entry.Start.Before(to) && r.Entry.End.After(from)
}

// RunningEntry is a running timer as the ledger shows it, up to now.
func RunningEntry(dest string, r Record, now time.Time) LedgerEntry {
	s := r.Session
	return LedgerEntry{EntryID: s.EntryID, UserID: s.UserID, User: s.User, ProjectID: s.ProjectID, Project: s.Project,
		Client: s.Client, Color: s.Color, Billable: s.Billable, Work: !s.Break, Start: s.Start, End: now, Running: true,
		Dest: dest, Route: r.Route}
}

// RunsIn reports whether the record is a timer running at now that
// started before to.
func (r Record) RunsIn(to, now time.Time) bool {
	return !r.Stopped && !now.After(r.Expires) && r.Session.Start.Before(to) && r.Session.Start.Before(now)
}
