package localstore

import (
	"bytes"
	"context"
	"encoding/json"

	bolt "go.etcd.io/bbolt"

	"clockify-discord-relay/lambda/state"
)

// bucketPlaces: "channel/<dest>" → state.Channel, "route/<name>" →
// state.RouteChannel, "entry/<id>" → state.Placement.
var bucketPlaces = []byte("places")

var _ state.Places = (*Places)(nil)

// getJSON reads the value at key of bucket into v; found is false when
// there is none.
func getJSON(s *Store, bucket, key []byte, v any) (found bool, err error) {
	err = s.db.View(func(tx *bolt.Tx) error {
		raw := tx.Bucket(bucket).Get(key)
		if raw == nil {
			return nil
		}
		found = true
		return json.Unmarshal(raw, v)
	})
	return found, err
}

func (s *Places) setPlace(key string, v any) error {
	return s.db.Update(func(tx *bolt.Tx) error { return putJSON(tx.Bucket(bucketPlaces), []byte(key), v) })
}

// Channel is what is known of dest's channel.
func (s *Places) Channel(_ context.Context, dest string) (c state.Channel, found bool, err error) {
	found, err = getJSON(s.Store, bucketPlaces, []byte("channel/"+dest), &c)
	return c, found, err
}

// SetChannel records what is known of dest's channel.
func (s *Places) SetChannel(_ context.Context, dest string, c state.Channel) error {
	return s.setPlace("channel/"+dest, c)
}

// RouteChannel is where route posts, as last learned.
func (s *Places) RouteChannel(_ context.Context, route string) (rc state.RouteChannel, found bool, err error) {
	found, err = getJSON(s.Store, bucketPlaces, []byte("route/"+route), &rc)
	return rc, found, err
}

// SetRouteChannel records where route posts.
func (s *Places) SetRouteChannel(_ context.Context, route string, rc state.RouteChannel) error {
	return s.setPlace("route/"+route, rc)
}

// Placement is where entryID is shown.
func (s *Places) Placement(_ context.Context, entryID string) (p state.Placement, err error) {
	_, err = getJSON(s.Store, bucketPlaces, []byte("entry/"+entryID), &p)
	return p, err
}

// Place records where a change of entryID lands (state.Replace).
func (s *Places) Place(_ context.Context, entryID string, p state.Placement) (state.Placement, bool, error) {
	var held state.Placement
	placed := false
	err := change(s.Store, bucketPlaces, []byte("entry/"+entryID), func(old *state.Placement) *state.Placement {
		next, ok := state.Replace(old, p)
		held, placed = *next, ok
		return next
	})
	return held, placed, err
}

// Departed takes left off entryID's channels to leave.
func (s *Places) Departed(_ context.Context, entryID string, left []state.Departure) error {
	return change(s.Store, bucketPlaces, []byte("entry/"+entryID), func(old *state.Placement) *state.Placement {
		return state.Depart(old, left)
	})
}

// Forget removes entryID's running timer and ledger record from dest.
func (s *Places) Forget(_ context.Context, dest, entryID string) error {
	return s.commit(func(tx *bolt.Tx) error {
		if err := tx.Bucket(bucketSessions).Delete(sessionKey(dest, entryID)); err != nil {
			return err
		}
		return tx.Bucket(bucketLedger).Delete(sessionKey(dest, entryID))
	})
}

// Adopt moves from's running timers, ledger, claims and board to the
// channel to, in one commit.
func (s *Places) Adopt(_ context.Context, from, to string) error {
	if from == to {
		return nil
	}
	return s.db.Update(func(tx *bolt.Tx) error {
		for _, name := range [][]byte{bucketSessions, bucketLedger, bucketClaims} {
			b := tx.Bucket(name)
			prefix := []byte(from + "/")
			var keys [][]byte
			c := b.Cursor()
			for k, _ := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, _ = c.Next() {
				keys = append(keys, bytes.Clone(k))
			}
			for _, k := range keys {
				moved := append([]byte(to+"/"), k[len(prefix):]...)
				if b.Get(moved) == nil {
					if err := b.Put(moved, bytes.Clone(b.Get(k))); err != nil {
						return err
					}
				}
				if err := b.Delete(k); err != nil {
					return err
				}
			}
		}
		boards := tx.Bucket(bucketBoards)
		raw := boards.Get([]byte(from))
		if raw == nil {
			return nil
		}
		adopted, err := state.ParseBoardMessage(string(raw))
		if err != nil {
			return err
		}
		kept, err := state.ParseBoardMessage(string(boards.Get([]byte(to))))
		if err != nil {
			return err
		}
		if err := putJSON(boards, []byte(to), state.AdoptBoard(kept, adopted)); err != nil {
			return err
		}
		return boards.Delete([]byte(from))
	})
}
