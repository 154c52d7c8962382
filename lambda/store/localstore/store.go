package localstore

import (
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync/atomic"
	"time"

	bolt "go.etcd.io/bbolt"

	"clockify-discord-relay/lambda/queue"
)

// FileName is the store's file in DATA_DIR.
const FileName = "queue.db"

var (
	bucketJobs = []byte("jobs") // sequence → record, in the order accepted
	bucketKeys = []byte("keys") // entry id → latestChange
	bucketDead = []byte("dead") // sequence → queue.DeadLetter
)

// latestChange is an entry's latest accepted change, and until when a
// delivery that repeats it is a redelivery.
type latestChange struct {
	queue.Latest
	Until time.Time `json:"until"`
}

// record is a waiting job and its retry state.
type record struct {
	Job       queue.Job `json:"job"`
	Attempts  int       `json:"attempts,omitempty"`
	NotBefore time.Time `json:"notBefore,omitzero"`
	LastError string    `json:"lastError,omitempty"`
}

// Store is the bbolt file: the local queue's jobs and dead letters, and,
// each contract in a type of its own, the state, the journal and the
// outbox.
type Store struct {
	db      *bolt.DB
	idx     index
	writing atomic.Int32 // commits in flight

	State   State
	Journal *Journal
	Outbox  *Outbox
}

// State is the relay's memory (state.Store): the running timers, where
// entries and channels are, and the ledger.
type State struct {
	*Sessions
	*Places
	*Bookings
}

// Sessions are the channels' running timers and boards.
type Sessions struct{ *Store }

// Places say where entries, routes and channels are.
type Places struct{ *Store }

// Bookings are the channels' ledger of booked time, for digests.
type Bookings struct{ *Store }

// Journal marks each job's send (queue.Journal).
type Journal struct{ *Store }

// Outbox holds jobs parked for their group (queue.Outbox).
type Outbox struct{ *Store }

// ErrInUse is a store another relay process holds open.
var ErrInUse = errors.New("in use by another relay process: stop it first")

// Open opens or creates the store in dir.
func Open(dir string) (*Store, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, err
	}
	path := filepath.Join(dir, FileName)
	db, err := bolt.Open(path, 0o600, &bolt.Options{Timeout: time.Second})
	if err == nil {
		// Requests that arrive together share one commit, one fsync.
		db.MaxBatchDelay = time.Millisecond
	}
	if errors.Is(err, bolt.ErrTimeout) {
		return nil, fmt.Errorf("%s: %w", path, ErrInUse)
	}
	if err != nil {
		return nil, fmt.Errorf("opening %s: %w", path, err)
	}
	err = createBuckets(db)
	s := &Store{db: db}
	s.State = State{&Sessions{s}, &Places{s}, &Bookings{s}}
	s.Journal, s.Outbox = &Journal{s}, &Outbox{s}
	if err == nil {
		err = db.View(s.idx.load)
	}
	if err != nil {
		db.Close()
		return nil, err
	}
	return s, nil
}

var buckets = [][]byte{bucketJobs, bucketKeys, bucketDead, bucketSessions, bucketBoards, bucketLedger, bucketClaims, bucketJournal, bucketPlaces, bucketOutbox}

// createBuckets creates the buckets a new file lacks. A file that has
// them all takes no commit: a commit is an fsync, and the relay's start
// waits for it.
func createBuckets(db *bolt.DB) error {
	missing := false
	if err := db.View(func(tx *bolt.Tx) error {
		for _, b := range buckets {
			missing = missing || tx.Bucket(b) == nil
		}
		return nil
	}); err != nil || !missing {
		return err
	}
	return db.Update(func(tx *bolt.Tx) error {
		for _, b := range buckets {
			if _, err := tx.CreateBucketIfNotExists(b); err != nil {
				return err
			}
		}
		return nil
	})
}

// Close closes the file.
func (s *Store) Close() error { return s.db.Close() }

// add stores a job unless it is a redelivery (queue.Redelivery), and
// remembers it as its entry's latest change, in one commit. It returns
// false for a duplicate. The commit is on disk when it returns.
func (s *Store) add(job queue.Job, now time.Time) (bool, error) {
	added, seq := false, uint64(0)
	err := s.commit(func(tx *bolt.Tx) error {
		added = false // Batch may run this again, alone
		keys := tx.Bucket(bucketKeys)
		entry := []byte(queue.EntryOf(job))
		latest, ok := readLatest(keys, entry)
		if !ok || !now.Before(latest.Until) {
			latest = latestChange{}
		}
		if queue.Redelivery(latest.Key, job) {
			return nil
		}
		next := latestChange{Latest: queue.Latest{Key: job.Key, Seq: latest.Seq + 1}, Until: now.Add(queue.DedupeWindow)}
		if err := putJSON(keys, entry, next); err != nil {
			return err
		}
		added = true
		var err error
		seq, err = putRecord(tx.Bucket(bucketJobs), record{Job: job})
		return err
	})
	if err == nil && added {
		s.idx.add(job.Group, seq)
	}
	return added, err
}

// records reads the waiting jobs with these sequence numbers.
func (s *Store) records(seqs []uint64) ([]record, error) {
	recs := make([]record, len(seqs))
	err := s.db.View(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketJobs)
		for i, seq := range seqs {
			raw := b.Get(encodeSeq(seq))
			if raw == nil {
				return fmt.Errorf("job %d is not in the store", seq)
			}
			if err := json.Unmarshal(raw, &recs[i]); err != nil {
				return fmt.Errorf("job %d: %w", seq, err)
			}
		}
		return nil
	})
	return recs, err
}

func readLatest(keys *bolt.Bucket, entry []byte) (latestChange, bool) {
	var l latestChange
	raw := keys.Get(entry)
	return l, raw != nil && json.Unmarshal(raw, &l) == nil
}

// waiting returns the waiting jobs in the order accepted, with their keys.
func (s *Store) waiting() ([]uint64, []record, error) {
	var seqs []uint64
	var recs []record
	err := s.db.View(func(tx *bolt.Tx) error {
		return tx.Bucket(bucketJobs).ForEach(func(k, v []byte) error {
			var r record
			if err := json.Unmarshal(v, &r); err != nil {
				return fmt.Errorf("job %d: %w", binary.BigEndian.Uint64(k), err)
			}
			seqs = append(seqs, binary.BigEndian.Uint64(k))
			recs = append(recs, r)
			return nil
		})
	})
	return seqs, recs, err
}

// commit runs fn in a write transaction, on disk when it returns. Writes
// that arrive together share one commit, one fsync (Batch, which may run
// fn again, alone); a lone one commits at once, without Batch's wait for
// company.
func (s *Store) commit(fn func(*bolt.Tx) error) error {
	defer s.writing.Add(-1)
	if s.writing.Add(1) > 1 {
		return s.db.Batch(fn)
	}
	return s.db.Update(fn)
}

// drop removes a group's jobs that need no delivery (superseded board
// refreshes).
func (s *Store) drop(group string, seqs []uint64) error {
	gone := make(map[uint64]bool, len(seqs))
	err := s.db.Update(func(tx *bolt.Tx) error {
		jobs := tx.Bucket(bucketJobs)
		for _, seq := range seqs {
			gone[seq] = true
			if err := jobs.Delete(encodeSeq(seq)); err != nil {
				return err
			}
		}
		return nil
	})
	if err == nil {
		s.idx.remove(group, gone)
	}
	return err
}

// settle records the outcome of a delivery: delivered jobs leave, jobs to
// retry get their next time, dead ones move to the dead letters.
func (s *Store) settle(seqs []uint64, recs []record, results []queue.Result, now time.Time) error {
	left := map[string]map[uint64]bool{} // group → the jobs that leave the queue
	err := s.db.Update(func(tx *bolt.Tx) error {
		clear(left)
		jobs, dead, journal := tx.Bucket(bucketJobs), tx.Bucket(bucketDead), tx.Bucket(bucketJournal)
		for i, res := range results {
			key := encodeSeq(seqs[i])
			r := recs[i]
			r.Attempts++
			wait, letter := queue.Settle(r.Job, res, r.Attempts, now)
			switch {
			case letter != nil:
				if err := putJSON(dead, key, letter); err != nil {
					return err
				}
			case res.State == queue.Retry:
				r.NotBefore = now.Add(wait)
				if res.Err != nil {
					r.LastError = res.Err.Error()
				}
				if err := putJSON(jobs, key, r); err != nil {
					return err
				}
				continue
			}
			// A job that leaves this queue cannot come back as itself (a
			// redrive is a new acceptance): its journal mark has done its
			// work.
			if err := errors.Join(jobs.Delete(key), journal.Delete([]byte(r.Job.SendID()))); err != nil {
				return err
			}
			g := r.Job.Group
			if left[g] == nil {
				left[g] = map[uint64]bool{}
			}
			left[g][seqs[i]] = true
		}
		return nil
	})
	if err == nil {
		for g, seqs := range left {
			s.idx.remove(g, seqs)
		}
	}
	return err
}

// DeadLetters lists the dead letters, oldest first.
func (s *Store) DeadLetters() ([]queue.DeadLetter, error) {
	var out []queue.DeadLetter
	err := s.db.View(func(tx *bolt.Tx) error {
		return tx.Bucket(bucketDead).ForEach(func(_, v []byte) error {
			var d queue.DeadLetter
			if err := json.Unmarshal(v, &d); err != nil {
				return err
			}
			out = append(out, d)
			return nil
		})
	})
	return out, err
}

// Redrive puts every dead letter back in the queue, behind the jobs
// waiting now, as if accepted now; it returns how many.
func (s *Store) Redrive(now time.Time) (int, error) {
	n := 0
	err := s.db.Update(func(tx *bolt.Tx) error {
		jobs, dead := tx.Bucket(bucketJobs), tx.Bucket(bucketDead)
		c := dead.Cursor()
		for k, v := c.First(); k != nil; k, v = c.Next() {
			var d queue.DeadLetter
			if err := json.Unmarshal(v, &d); err != nil {
				return err
			}
			d.Job.AcceptedAt = now.UTC()
			if _, err := putRecord(jobs, record{Job: d.Job}); err != nil {
				return err
			}
			n++
		}
		// Deleting while iterating skips keys in bbolt: drop the bucket.
		if err := tx.DeleteBucket(bucketDead); err != nil {
			return err
		}
		_, err := tx.CreateBucket(bucketDead)
		return err
	})
	if err == nil {
		err = s.db.View(s.idx.load) // redrives are rare: read the index anew
	}
	return n, err
}

// prune forgets what has expired, whatever the settings: dedupe keys,
// running-timer records (kept a week; BOARD=off never reads them), claims
// of digests, ledger records and journal marks.
func (s *Store) prune(now time.Time) error {
	expiry := map[string]func(v []byte) time.Time{
		string(bucketKeys): func(v []byte) time.Time {
			var l latestChange
			_ = json.Unmarshal(v, &l)
			return l.Until
		},
		string(bucketSessions): expiresField,
		string(bucketLedger):   expiresField,
		string(bucketJournal):  expiresField,
		string(bucketClaims):   decodeTime,
	}
	return s.db.Update(func(tx *bolt.Tx) error {
		for name, expires := range expiry {
			b := tx.Bucket([]byte(name))
			var old [][]byte
			err := b.ForEach(func(k, v []byte) error {
				if !now.Before(expires(v)) {
					old = append(old, append([]byte(nil), k...))
				}
				return nil
			})
			for _, k := range old {
				if err == nil {
					err = b.Delete(k) // after ForEach: deleting within it skips keys
				}
			}
			if err != nil {
				return err
			}
		}
		return nil
	})
}

// expiresField reads the "expires" time of a JSON record; an unreadable
// one has expired.
func expiresField(v []byte) time.Time {
	var r struct {
		Expires time.Time `json:"expires"`
	}
	_ = json.Unmarshal(v, &r)
	return r.Expires
}

func putRecord(b *bolt.Bucket, r record) (uint64, error) {
	// Sequence numbers only grow: full pages, not the half-full ones a
	// split leaves for keys that land anywhere.
	b.FillPercent = 0.95
	seq, err := b.NextSequence()
	if err != nil {
		return 0, err
	}
	return seq, putJSON(b, encodeSeq(seq), r)
}

func putJSON(b *bolt.Bucket, key []byte, v any) error {
	raw, err := json.Marshal(v)
	if err != nil {
		return err
	}
	return b.Put(key, raw)
}

func encodeSeq(n uint64) []byte { return binary.BigEndian.AppendUint64(nil, n) }

func encodeTime(t time.Time) []byte {
	return binary.BigEndian.AppendUint64(nil, uint64(t.UnixNano()))
}

func decodeTime(b []byte) time.Time {
	if len(b) != 8 {
		return time.Time{}
	}
	return time.Unix(0, int64(binary.BigEndian.Uint64(b)))
}

// Waiting counts the jobs not yet delivered or dead-lettered.
func (s *Store) Waiting() (int, error) {
	n := 0
	err := s.db.View(func(tx *bolt.Tx) error {
		n = tx.Bucket(bucketJobs).Stats().KeyN
		return nil
	})
	return n, err
}
