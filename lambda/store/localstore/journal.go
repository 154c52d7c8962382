package localstore

import (
	"context"
	"encoding/json"
	"time"

	bolt "go.etcd.io/bbolt"

	"clockify-discord-relay/lambda/queue"
)

var bucketJournal = []byte("journal") // send id → journalEntry

var _ queue.Journal = (*Journal)(nil)

// journalEntry is one job's mark and when it may be forgotten.
type journalEntry struct {
	Mark    queue.Mark `json:"mark"`
	Expires time.Time  `json:"expires"`
}

// Marks reads the marks of ids.
func (s *Journal) Marks(_ context.Context, ids []string) (map[string]queue.Mark, error) {
	out := map[string]queue.Mark{}
	err := s.db.View(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketJournal)
		for _, id := range ids {
			raw := b.Get([]byte(id))
			if raw == nil {
				continue
			}
			var e journalEntry
			if err := json.Unmarshal(raw, &e); err != nil {
				return err
			}
			out[id] = e.Mark
		}
		return nil
	})
	return out, err
}

// SetMarks records m for ids, on disk when it returns.
func (s *Journal) SetMarks(_ context.Context, ids []string, m queue.Mark, now time.Time) error {
	return s.commit(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketJournal)
		for _, id := range ids {
			var err error
			if m == queue.Unsent {
				err = b.Delete([]byte(id))
			} else {
				err = putJSON(b, []byte(id), journalEntry{Mark: m, Expires: now.Add(queue.JournalTTL)})
			}
			if err != nil {
				return err
			}
		}
		return nil
	})
}
