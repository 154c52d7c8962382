package localstore

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"time"

	bolt "go.etcd.io/bbolt"

	"clockify-discord-relay/lambda/clockify"
	"clockify-discord-relay/lambda/state"
)

var (
	bucketLedger = []byte("ledger") // dest/entry → state.LedgerRecord
	bucketClaims = []byte("claims") // dest/name → until when the claim holds
)

// Book records ev's effect on dest's ledger.
func (s *Bookings) Book(_ context.Context, dest, route string, ev clockify.Event, now time.Time) error {
	return change(s.Store, bucketLedger, sessionKey(dest, ev.Entry.ID), func(old *state.LedgerRecord) *state.LedgerRecord {
		return state.Book(old, ev, route, now)
	})
}

// Ledger lists the entries overlapping [from, to) across destinations,
// with the timers running at now, and forgets expired records.
func (s *Bookings) Ledger(_ context.Context, from, to, now time.Time) ([]state.LedgerEntry, error) {
	var out []state.LedgerEntry
	var expired [][]byte
	err := s.db.View(func(tx *bolt.Tx) error {
		err := tx.Bucket(bucketLedger).ForEach(func(k, v []byte) error {
			var r state.LedgerRecord
			if err := json.Unmarshal(v, &r); err != nil {
				return err
			}
			if now.After(r.Expires) {
				expired = append(expired, bytes.Clone(k))
			} else if r.Counts(from, to) {
				r.Entry.Dest = destOf(k)
				out = append(out, r.Entry)
			}
			return nil
		})
		if err != nil {
			return err
		}
		return tx.Bucket(bucketSessions).ForEach(func(k, v []byte) error {
			var r state.Record
			if err := json.Unmarshal(v, &r); err != nil {
				return err
			}
			if r.RunsIn(to, now) {
				out = append(out, state.RunningEntry(destOf(k), r, now))
			}
			return nil
		})
	})
	if err == nil && len(expired) > 0 {
		err = s.db.Update(func(tx *bolt.Tx) error {
			for _, k := range expired {
				if err := tx.Bucket(bucketLedger).Delete(k); err != nil {
					return err
				}
			}
			return nil
		})
	}
	return out, err
}

// LedgerOf is Ledger for dest: its keys are one range of each bucket.
func (s *Bookings) LedgerOf(_ context.Context, dest string, from, to, now time.Time) ([]state.LedgerEntry, error) {
	var out []state.LedgerEntry
	prefix := []byte(dest + "/")
	err := s.db.View(func(tx *bolt.Tx) error {
		c := tx.Bucket(bucketLedger).Cursor()
		for k, v := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, v = c.Next() {
			var r state.LedgerRecord
			if err := json.Unmarshal(v, &r); err != nil {
				return err
			}
			if !now.After(r.Expires) && r.Counts(from, to) {
				r.Entry.Dest = dest
				out = append(out, r.Entry)
			}
		}
		c = tx.Bucket(bucketSessions).Cursor()
		for k, v := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, v = c.Next() {
			var r state.Record
			if err := json.Unmarshal(v, &r); err != nil {
				return err
			}
			if r.RunsIn(to, now) {
				out = append(out, state.RunningEntry(dest, r, now))
			}
		}
		return nil
	})
	return out, err
}

func destOf(key []byte) string {
	dest, _, _ := strings.Cut(string(key), "/")
	return dest
}

// Claim records the claim unless one holds.
func (s *Bookings) Claim(_ context.Context, dest, name string, until time.Time) (bool, error) {
	won := false
	err := s.db.Update(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketClaims)
		key := sessionKey(dest, name)
		if held := decodeTime(b.Get(key)); time.Now().Before(held) {
			return nil
		}
		won = true
		return b.Put(key, encodeTime(until))
	})
	return won, err
}

// Release forgets a claim.
func (s *Bookings) Release(_ context.Context, dest, name string) error {
	return s.db.Update(func(tx *bolt.Tx) error { return tx.Bucket(bucketClaims).Delete(sessionKey(dest, name)) })
}
