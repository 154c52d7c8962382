package localstore

import (
	"bytes"
	"context"
	"encoding/json"
	"sort"
	"strings"
	"time"

	bolt "go.etcd.io/bbolt"

	"clockify-discord-relay/lambda/clockify"
	"clockify-discord-relay/lambda/state"
)

var (
	bucketSessions = []byte("sessions") // dest/entry → state.Record
	bucketBoards   = []byte("boards")   // dest → board message id
)

var _ state.Store = State{}

func sessionKey(dest, entry string) []byte { return []byte(dest + "/" + entry) }

// Apply records ev's effect on dest's running timers.
func (s *Sessions) Apply(_ context.Context, dest, route string, ev clockify.Event, now time.Time) (bool, error) {
	changed := false
	err := change(s.Store, bucketSessions, sessionKey(dest, ev.Entry.ID), func(old *state.Record) *state.Record {
		var next *state.Record
		next, changed = state.Transition(old, ev, route, now)
		return next
	})
	return changed, err
}

// change applies f to the record at key in bucket, and writes what f
// returns unless it is old itself. It reads first, so an event that
// changes nothing (a redelivery, a start for the ledger) costs a read,
// not a commit; then f runs again in a write shared with concurrent
// callers (bbolt's Batch, which may also run it again alone), as another
// writer may have come first.
func change[T any](s *Store, bucket, key []byte, f func(old *T) *T) error {
	apply := func(tx *bolt.Tx) (*T, error) {
		var old *T
		if raw := tx.Bucket(bucket).Get(key); raw != nil {
			old = new(T)
			if err := json.Unmarshal(raw, old); err != nil {
				return nil, err
			}
		}
		if next := f(old); next != old {
			return next, nil
		}
		return nil, nil
	}
	var next *T
	if err := s.db.View(func(tx *bolt.Tx) (err error) { next, err = apply(tx); return err }); err != nil || next == nil {
		return err
	}
	return s.commit(func(tx *bolt.Tx) error {
		next, err := apply(tx)
		if err != nil || next == nil {
			return err
		}
		return putJSON(tx.Bucket(bucket), key, next)
	})
}

// Running lists dest's running timers, oldest first, and forgets expired
// records (a write only when there are some).
func (s *Sessions) Running(_ context.Context, dest string, now time.Time) ([]state.Session, error) {
	var out []state.Session
	var expired [][]byte
	prefix := []byte(dest + "/")
	err := s.db.View(func(tx *bolt.Tx) error {
		c := tx.Bucket(bucketSessions).Cursor()
		for k, v := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, v = c.Next() {
			var r state.Record
			if err := json.Unmarshal(v, &r); err != nil {
				return err
			}
			switch {
			case now.After(r.Expires):
				expired = append(expired, append([]byte(nil), k...))
			case !r.Stopped:
				out = append(out, r.Session)
			}
		}
		return nil
	})
	if err == nil && len(expired) > 0 {
		err = s.db.Update(func(tx *bolt.Tx) error {
			b := tx.Bucket(bucketSessions)
			for _, k := range expired {
				if err := b.Delete(k); err != nil {
					return err
				}
			}
			return nil
		})
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Start.Before(out[j].Start) })
	return out, err
}

// Board is dest's board message.
func (s *Sessions) Board(_ context.Context, dest string) (state.BoardMessage, error) {
	var raw string
	err := s.db.View(func(tx *bolt.Tx) error {
		raw = string(tx.Bucket(bucketBoards).Get([]byte(dest)))
		return nil
	})
	if err != nil {
		return state.BoardMessage{}, err
	}
	return state.ParseBoardMessage(raw)
}

// SetBoard remembers dest's board message.
func (s *Sessions) SetBoard(_ context.Context, dest string, b state.BoardMessage) error {
	return s.db.Update(func(tx *bolt.Tx) error {
		return putJSON(tx.Bucket(bucketBoards), []byte(dest), b)
	})
}

// Forgotten lists the timers running since before startedBefore, not
// reminded of yet, across destinations.
func (s *Sessions) Forgotten(_ context.Context, startedBefore, now time.Time) ([]state.Forgotten, error) {
	var out []state.Forgotten
	err := s.db.View(func(tx *bolt.Tx) error {
		return tx.Bucket(bucketSessions).ForEach(func(k, v []byte) error {
			var r state.Record
			if err := json.Unmarshal(v, &r); err != nil {
				return err
			}
			if r.IsForgotten(startedBefore, now) {
				dest, _, _ := strings.Cut(string(k), "/")
				out = append(out, state.Forgotten{Dest: dest, Route: r.Route, Session: r.Session})
			}
			return nil
		})
	})
	return out, err
}

// MarkReminded sets the entry's reminded flag, once.
func (s *Sessions) MarkReminded(_ context.Context, dest, entryID string) (bool, error) {
	won := false
	err := s.update(dest, entryID, func(r *state.Record) bool {
		if r.Reminded || r.Stopped {
			return false
		}
		r.Reminded, won = true, true
		return true
	})
	return won, err
}

// Announce records the message that announced the entry's start.
func (s *Sessions) Announce(_ context.Context, dest, entryID, messageID string) error {
	return s.update(dest, entryID, func(r *state.Record) bool {
		r.Announced = messageID
		return true
	})
}

// Entry is the entry's record, nil when there is none.
func (s *Sessions) Entry(_ context.Context, dest, entryID string) (*state.Record, error) {
	var out *state.Record
	err := s.db.View(func(tx *bolt.Tx) error {
		raw := tx.Bucket(bucketSessions).Get(sessionKey(dest, entryID))
		if raw == nil {
			return nil
		}
		out = &state.Record{}
		return json.Unmarshal(raw, out)
	})
	return out, err
}

// update changes an existing record in one transaction; change reports
// whether to write it.
func (s *Sessions) update(dest, entryID string, change func(*state.Record) bool) error {
	return s.db.Update(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketSessions)
		key := sessionKey(dest, entryID)
		raw := b.Get(key)
		if raw == nil {
			return nil
		}
		var r state.Record
		if err := json.Unmarshal(raw, &r); err != nil {
			return err
		}
		if !change(&r) {
			return nil
		}
		return putJSON(b, key, r)
	})
}
