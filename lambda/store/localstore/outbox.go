package localstore

import (
	"bytes"
	"context"
	"encoding/json"
	"time"

	bolt "go.etcd.io/bbolt"

	"clockify-discord-relay/lambda/queue"
)

// bucketOutbox: "<group>\x00j<key>" → queue.Parked, "<group>\x00h" → the
// time of the group's last delivery. Local mode gathers in its own queue;
// this serves the simulation's Lambda mode, and a store's conformance.
var bucketOutbox = []byte("outbox")

var _ queue.Outbox = (*Outbox)(nil)

func outboxJob(group, key string) []byte { return []byte(group + "\x00j" + key) }
func outboxHead(group string) []byte     { return []byte(group + "\x00h") }

// Park keeps jobs in group's outbox, on disk when it returns.
func (s *Outbox) Park(_ context.Context, group string, jobs []queue.Parked) error {
	return s.commit(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketOutbox)
		for _, p := range jobs {
			if err := putJSON(b, outboxJob(group, p.Key), p); err != nil {
				return err
			}
		}
		return nil
	})
}

// Parked is group's outbox: up to n jobs in key order, and its last
// delivery.
func (s *Outbox) Parked(_ context.Context, group string, n int) (last time.Time, jobs []queue.Parked, err error) {
	err = s.db.View(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketOutbox)
		if raw := b.Get(outboxHead(group)); raw != nil {
			if err := json.Unmarshal(raw, &last); err != nil {
				return err
			}
		}
		prefix := outboxJob(group, "")
		c := b.Cursor()
		for k, v := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix) && len(jobs) < n; k, v = c.Next() {
			var p queue.Parked
			if err := json.Unmarshal(v, &p); err != nil {
				return err
			}
			jobs = append(jobs, p)
		}
		return nil
	})
	return last, jobs, err
}

// Unpark forgets the jobs with these keys.
func (s *Outbox) Unpark(_ context.Context, group string, keys []string) error {
	return s.commit(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketOutbox)
		for _, k := range keys {
			if err := b.Delete(outboxJob(group, k)); err != nil {
				return err
			}
		}
		return nil
	})
}

// Sent records when group's last delivery went out.
func (s *Outbox) Sent(_ context.Context, group string, at time.Time) error {
	return s.commit(func(tx *bolt.Tx) error { return putJSON(tx.Bucket(bucketOutbox), outboxHead(group), at) })
}
