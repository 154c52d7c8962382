package simulation

import (
	"context"
	"errors"
	"slices"
	"strings"
	"sync"
	"time"

	"clockify-discord-relay/lambda/clockify"
	"clockify-discord-relay/lambda/queue"
	"clockify-discord-relay/lambda/state"
	"clockify-discord-relay/lambda/store/localstore"
)

// Fault probabilities per store call.
const (
	pThrottled = 0.02  // refused before it took effect
	pLostWrite = 0.01  // a write took effect; its answer was lost
	pCrash     = 0.002 // the instance dies at this call, before or after it
)

var errThrottled = errors.New("simulation: the store throttled the call")

// faultyStore is the state store and send journal (the real local store)
// behind a model of a remote one: calls are throttled, writes lose their
// answers, and the instance that calls may die before or after a call.
type faultyStore struct {
	s *localstore.Store
	f *faults
	// late gets the settlement writes made on a context already done:
	// a remote store (DynamoDB's SDK) refuses them.
	late *lateWrites
}

// lateWrites are settlement writes refused because their context was
// done: the deliverer must record what became of a send on a context of
// its own, which outlives the delivery's deadline.
type lateWrites struct {
	mu     sync.Mutex
	writes []string
}

func (l *lateWrites) add(what string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.writes = append(l.writes, what)
}

func (l *lateWrites) list() []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return slices.Clone(l.writes)
}

var (
	_ state.Store   = faultyStore{}
	_ queue.Journal = faultyStore{}
)

// call runs op as one call named label about id: op is the effect;
// write says whether it changes the store.
func (fs faultyStore) call(ctx context.Context, label, id string, write bool, op func() error) error {
	return fs.settle(ctx, label, id, write, false, op)
}

// settle is call for a write that records what became of a send (a
// journal's outcome, the state's change): a done context is then the
// relay's fault, noted in late.
func (fs faultyStore) settle(ctx context.Context, label, id string, write, settles bool, op func() error) error {
	in := instanceOf(ctx)
	if in != nil && !in.alive() {
		return errKilled
	}
	if err := ctx.Err(); err != nil {
		if settles {
			fs.late.add(label + " " + id)
		}
		return err
	}
	if in != nil && fs.f.hit("crash-before", label+id, pCrash) {
		in.kill()
		return errKilled
	}
	if fs.f.hit("throttle", label+id, pThrottled) {
		return errThrottled
	}
	if err := op(); err != nil {
		return err
	}
	if in != nil && fs.f.hit("crash-after", label+id, pCrash) {
		in.kill()
		return errKilled
	}
	if write && fs.f.hit("lost", label+id, pLostWrite) {
		return errThrottled
	}
	return nil
}

func (fs faultyStore) Apply(ctx context.Context, dest, route string, ev clockify.Event, now time.Time) (changed bool, err error) {
	err = fs.settle(ctx, "apply", dest+ev.Entry.ID+string(ev.Type), true, true, func() (err error) {
		changed, err = fs.s.State.Apply(ctx, dest, route, ev, now)
		return err
	})
	return changed, err
}

func (fs faultyStore) Running(ctx context.Context, dest string, now time.Time) (out []state.Session, err error) {
	err = fs.call(ctx, "running", dest, false, func() (err error) { out, err = fs.s.State.Running(ctx, dest, now); return err })
	return out, err
}

func (fs faultyStore) Board(ctx context.Context, dest string) (b state.BoardMessage, err error) {
	err = fs.call(ctx, "board", dest, false, func() (err error) { b, err = fs.s.State.Board(ctx, dest); return err })
	return b, err
}

func (fs faultyStore) SetBoard(ctx context.Context, dest string, b state.BoardMessage) error {
	return fs.call(ctx, "setboard", dest, true, func() error { return fs.s.State.SetBoard(ctx, dest, b) })
}

func (fs faultyStore) Forgotten(ctx context.Context, startedBefore, now time.Time) (out []state.Forgotten, err error) {
	err = fs.call(ctx, "forgotten", "", false, func() (err error) { out, err = fs.s.State.Forgotten(ctx, startedBefore, now); return err })
	return out, err
}

func (fs faultyStore) MarkReminded(ctx context.Context, dest, entryID string) (won bool, err error) {
	err = fs.call(ctx, "reminded", dest+entryID, true, func() (err error) { won, err = fs.s.State.MarkReminded(ctx, dest, entryID); return err })
	return won, err
}

func (fs faultyStore) Announce(ctx context.Context, dest, entryID, messageID string) error {
	return fs.call(ctx, "announce", dest+entryID, true, func() error { return fs.s.State.Announce(ctx, dest, entryID, messageID) })
}

func (fs faultyStore) Entry(ctx context.Context, dest, entryID string) (r *state.Record, err error) {
	err = fs.call(ctx, "entry", dest+entryID, false, func() (err error) { r, err = fs.s.State.Entry(ctx, dest, entryID); return err })
	return r, err
}

func (fs faultyStore) Book(ctx context.Context, dest, route string, ev clockify.Event, now time.Time) error {
	return fs.settle(ctx, "book", dest+ev.Entry.ID+string(ev.Type), true, true, func() error { return fs.s.State.Book(ctx, dest, route, ev, now) })
}

func (fs faultyStore) LedgerOf(ctx context.Context, dest string, from, to, now time.Time) (out []state.LedgerEntry, err error) {
	err = fs.call(ctx, "ledger", "", false, func() (err error) { out, err = fs.s.State.LedgerOf(ctx, dest, from, to, now); return err })
	return out, err
}

func (fs faultyStore) Ledger(ctx context.Context, from, to, now time.Time) (out []state.LedgerEntry, err error) {
	err = fs.call(ctx, "ledger", "", false, func() (err error) { out, err = fs.s.State.Ledger(ctx, from, to, now); return err })
	return out, err
}

func (fs faultyStore) Claim(ctx context.Context, dest, name string, until time.Time) (won bool, err error) {
	err = fs.call(ctx, "claim", dest+name, true, func() (err error) { won, err = fs.s.State.Claim(ctx, dest, name, until); return err })
	return won, err
}

func (fs faultyStore) Release(ctx context.Context, dest, name string) error {
	return fs.call(ctx, "release", dest+name, true, func() error { return fs.s.State.Release(ctx, dest, name) })
}

func (fs faultyStore) Marks(ctx context.Context, ids []string) (out map[string]queue.Mark, err error) {
	err = fs.call(ctx, "marks", strings.Join(ids, ","), false, func() (err error) { out, err = fs.s.Journal.Marks(ctx, ids); return err })
	return out, err
}

func (fs faultyStore) SetMarks(ctx context.Context, ids []string, m queue.Mark, now time.Time) error {
	return fs.settle(ctx, "setmarks", string(m)+strings.Join(ids, ","), true, m != queue.Sending, func() error { return fs.s.Journal.SetMarks(ctx, ids, m, now) })
}

func (fs faultyStore) Channel(ctx context.Context, dest string) (c state.Channel, found bool, err error) {
	err = fs.call(ctx, "channel", dest, false, func() (err error) { c, found, err = fs.s.State.Channel(ctx, dest); return err })
	return c, found, err
}

func (fs faultyStore) SetChannel(ctx context.Context, dest string, c state.Channel) error {
	return fs.call(ctx, "setchannel", dest, true, func() error { return fs.s.State.SetChannel(ctx, dest, c) })
}

func (fs faultyStore) RouteChannel(ctx context.Context, route string) (rc state.RouteChannel, found bool, err error) {
	err = fs.call(ctx, "route", route, false, func() (err error) { rc, found, err = fs.s.State.RouteChannel(ctx, route); return err })
	return rc, found, err
}

func (fs faultyStore) SetRouteChannel(ctx context.Context, route string, rc state.RouteChannel) error {
	return fs.call(ctx, "setroute", route, true, func() error { return fs.s.State.SetRouteChannel(ctx, route, rc) })
}

func (fs faultyStore) Placement(ctx context.Context, entryID string) (p state.Placement, err error) {
	err = fs.call(ctx, "placement", entryID, false, func() (err error) { p, err = fs.s.State.Placement(ctx, entryID); return err })
	return p, err
}

func (fs faultyStore) Place(ctx context.Context, entryID string, p state.Placement) (held state.Placement, placed bool, err error) {
	err = fs.settle(ctx, "place", entryID+p.Dest, true, true, func() (err error) { held, placed, err = fs.s.State.Place(ctx, entryID, p); return err })
	return held, placed, err
}

func (fs faultyStore) Departed(ctx context.Context, entryID string, left []state.Departure) error {
	return fs.settle(ctx, "departed", entryID, true, true, func() error { return fs.s.State.Departed(ctx, entryID, left) })
}

func (fs faultyStore) Forget(ctx context.Context, dest, entryID string) error {
	return fs.settle(ctx, "forget", dest+entryID, true, true, func() error { return fs.s.State.Forget(ctx, dest, entryID) })
}

func (fs faultyStore) Adopt(ctx context.Context, from, to string) error {
	return fs.call(ctx, "adopt", from+to, true, func() error { return fs.s.State.Adopt(ctx, from, to) })
}

var _ queue.Outbox = faultyStore{}

func (fs faultyStore) Park(ctx context.Context, group string, jobs []queue.Parked) error {
	keys := make([]string, len(jobs))
	for i, p := range jobs {
		keys[i] = p.Key
	}
	return fs.call(ctx, "park", group+":"+strings.Join(keys, ","), true, func() error { return fs.s.Outbox.Park(ctx, group, jobs) })
}

func (fs faultyStore) Parked(ctx context.Context, group string, n int) (last time.Time, jobs []queue.Parked, err error) {
	err = fs.call(ctx, "parked", group, false, func() (err error) { last, jobs, err = fs.s.Outbox.Parked(ctx, group, n); return err })
	return last, jobs, err
}

func (fs faultyStore) Unpark(ctx context.Context, group string, keys []string) error {
	return fs.settle(ctx, "unpark", group+":"+strings.Join(keys, ","), true, true, func() error { return fs.s.Outbox.Unpark(ctx, group, keys) })
}

func (fs faultyStore) Sent(ctx context.Context, group string, at time.Time) error {
	return fs.call(ctx, "sent", group, true, func() error { return fs.s.Outbox.Sent(ctx, group, at) })
}
