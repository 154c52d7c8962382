package localstore

import (
	"encoding/binary"
	"encoding/json"
	"fmt"
	"slices"
	"sync"

	bolt "go.etcd.io/bbolt"
)

// index is the waiting jobs' sequence numbers per group, in order, kept
// in memory beside the file. The worker reads a group's first jobs from
// it, instead of decoding the whole backlog on every turn: during an
// outage that backlog is every job since it began. It is loaded when the
// store opens and changed after each commit.
type index struct {
	mu     sync.Mutex
	groups map[string][]uint64
}

// load reads the jobs bucket once.
func (x *index) load(tx *bolt.Tx) error {
	groups := map[string][]uint64{}
	err := tx.Bucket(bucketJobs).ForEach(func(k, v []byte) error {
		var r struct {
			Job struct {
				Group string `json:"group"`
			} `json:"job"`
		}
		if err := json.Unmarshal(v, &r); err != nil {
			return fmt.Errorf("job %d: %w", binary.BigEndian.Uint64(k), err)
		}
		groups[r.Job.Group] = append(groups[r.Job.Group], binary.BigEndian.Uint64(k))
		return nil
	})
	x.mu.Lock()
	x.groups = groups
	x.mu.Unlock()
	return err
}

// add appends a job; sequence numbers only grow.
func (x *index) add(group string, seq uint64) {
	x.mu.Lock()
	defer x.mu.Unlock()
	x.groups[group] = append(x.groups[group], seq)
}

// remove forgets jobs that left the queue.
func (x *index) remove(group string, seqs map[uint64]bool) {
	x.mu.Lock()
	defer x.mu.Unlock()
	left := slices.DeleteFunc(x.groups[group], func(s uint64) bool { return seqs[s] })
	if len(left) == 0 {
		delete(x.groups, group)
		return
	}
	x.groups[group] = left
}

// head is a group's first jobs, and how many of its jobs wait in all.
type head struct {
	seqs    []uint64
	waiting int
}

// heads is the first n jobs of every group that skip does not pass over.
func (x *index) heads(n int, skip func(group string) bool) map[string]head {
	x.mu.Lock()
	defer x.mu.Unlock()
	out := map[string]head{}
	for g, seqs := range x.groups {
		if !skip(g) {
			out[g] = head{slices.Clone(seqs[:min(n, len(seqs))]), len(seqs)}
		}
	}
	return out
}
