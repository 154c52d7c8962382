package simulation

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"time"

	"clockify-discord-relay/lambda/clockify"
)

// change is one genuine change in Clockify, and the webhook it sends.
type change struct {
	n     int // its place in Clockify's order
	event clockify.EventType
	entry clockify.TimeEntry
	// token is the description it shows: the model counts it in Discord.
	token string
	body  []byte
	// acked: the relay answered 2xx to one of its deliveries.
	acked bool
	// deliveries is how many times Clockify sent it.
	deliveries int
	// channels are where the accept half's rules sent it, at each
	// delivery ("" when they dropped it).
	channels map[string]bool
}

// entryTruth is what Clockify holds of one entry after all changes.
type entryTruth struct {
	entry   clockify.TimeEntry
	deleted bool
}

// workload makes a seed's day in Clockify: people start and stop
// timers, edit descriptions (sometimes back to an earlier one), edit and
// delete finished entries, restore them, and add entries by hand.
type workload struct {
	rng     *rand.Rand
	users   []clockify.User
	running map[string]*clockify.TimeEntry // user id → running entry
	entries map[string]*entryTruth         // entry id → its latest state
	order   []string                       // entry ids, as created
	history map[string][]string            // entry id → the descriptions it had
	changes []*change
	nextID  int
	tokens  int
}

func newWorkload(seed uint64) *workload {
	w := &workload{rng: rand.New(rand.NewPCG(seed, 0x5eed)), running: map[string]*clockify.TimeEntry{},
		entries: map[string]*entryTruth{}, history: map[string][]string{}}
	for i, name := range []string{"Ada", "Ben", "Cy"} {
		w.users = append(w.users, clockify.User{ID: fmt.Sprintf("u%d", i), Name: name})
	}
	return w
}

func (w *workload) token() string {
	w.tokens++
	return fmt.Sprintf("tok%03dz", w.tokens)
}

// next makes the next change at now.
func (w *workload) next(now time.Time) *change {
	u := w.users[w.rng.IntN(len(w.users))]
	r := w.rng.Float64()
	if e := w.running[u.ID]; e != nil {
		switch {
		case r < 0.25: // a new description while running, sometimes an earlier one
			return w.update(e, now)
		default:
			end := now
			e.TimeInterval.End = &end
			e.CurrentlyRunning = false
			delete(w.running, u.ID)
			return w.record(clockify.TimerStopped, e)
		}
	}
	finished := w.finished()
	switch {
	case r < 0.55 || len(finished) == 0:
		e := w.newEntry(u, now.Add(-time.Duration(w.rng.IntN(120))*time.Second), nil)
		w.running[u.ID] = e
		return w.record(clockify.NewTimerStarted, e)
	case r < 0.70:
		end := now.Add(-time.Minute)
		start := end.Add(-time.Duration(10+w.rng.IntN(120)) * time.Minute)
		return w.record(clockify.NewTimeEntry, w.newEntry(u, start, &end))
	case r < 0.85:
		e := &w.entries[finished[w.rng.IntN(len(finished))]].entry
		if w.rng.IntN(2) == 0 {
			end := e.TimeInterval.End.Add(time.Duration(1+w.rng.IntN(30)) * time.Minute)
			e.TimeInterval.End = &end
		}
		return w.update(e, now)
	case r < 0.95:
		t := w.entries[finished[w.rng.IntN(len(finished))]]
		t.deleted = true
		return w.record(clockify.TimeEntryDeleted, &t.entry)
	default:
		for _, id := range w.order {
			if t := w.entries[id]; t.deleted {
				t.deleted = false
				return w.record(clockify.TimeEntryRestored, &t.entry)
			}
		}
		e := w.newEntry(u, now, nil)
		w.running[u.ID] = e
		return w.record(clockify.NewTimerStarted, e)
	}
}

// update changes e's description: a new one, or (one time in four) one it
// had before, as people undo an edit.
func (w *workload) update(e *clockify.TimeEntry, now time.Time) *change {
	h := w.history[e.ID]
	var earlier []string // what it showed before, not what it shows now
	for _, d := range h {
		if d != e.Description {
			earlier = append(earlier, d)
		}
	}
	if len(earlier) > 0 && w.rng.IntN(4) == 0 {
		e.Description = earlier[w.rng.IntN(len(earlier))]
	} else {
		e.Description = w.token()
	}
	if w.rng.IntN(4) == 0 {
		// Another project: the entry may move to another route's channel.
		e.Project = w.project()
	}
	w.history[e.ID] = append(h, e.Description)
	return w.record(clockify.TimeEntryUpdated, e)
}

func (w *workload) newEntry(u clockify.User, start time.Time, end *time.Time) *clockify.TimeEntry {
	w.nextID++
	id := fmt.Sprintf("e%04d", w.nextID)
	user := u
	t := &entryTruth{entry: clockify.TimeEntry{
		ID: id, Description: w.token(), UserID: u.ID, WorkspaceID: "w1", User: &user, Project: w.project(),
		CurrentlyRunning: end == nil, TimeInterval: clockify.TimeInterval{Start: start.UTC(), End: end},
	}}
	w.entries[id] = t
	w.order = append(w.order, id)
	w.history[id] = []string{t.entry.Description}
	return &t.entry
}

// projects are the workspace's: Ops has a route of its own, Web may get
// one during the day, and an entry may have none.
var projects = []*clockify.Project{nil, {ID: "p-ops", Name: "Ops"}, {ID: "p-web", Name: "Web"}}

// project is a project for an entry, or none.
func (w *workload) project() *clockify.Project {
	p := projects[w.rng.IntN(len(projects))]
	if p == nil {
		return nil
	}
	c := *p
	return &c
}

// finished lists the entries that have ended and are not deleted.
func (w *workload) finished() []string {
	var out []string
	for _, id := range w.order {
		if t := w.entries[id]; !t.deleted && t.entry.TimeInterval.End != nil {
			out = append(out, id)
		}
	}
	return out
}

// record is the change that sends e as it now is.
func (w *workload) record(event clockify.EventType, e *clockify.TimeEntry) *change {
	snapshot := *e
	if e.TimeInterval.End != nil {
		end := *e.TimeInterval.End
		snapshot.TimeInterval.End = &end
	}
	body, err := json.Marshal(snapshot)
	if err != nil {
		panic(err)
	}
	c := &change{n: len(w.changes), event: event, entry: snapshot, token: snapshot.Description, body: body}
	w.changes = append(w.changes, c)
	return c
}
