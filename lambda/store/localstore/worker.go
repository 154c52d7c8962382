package localstore

import (
	"context"
	"log/slog"
	"time"

	"clockify-discord-relay/lambda/queue"
)

const (
	// maxBatch is how many jobs go to the Deliverer at once. Up to 10
	// events go as an embed each; more go as a list, which carries about
	// a hundred in one Discord message (coalesce). Lambda's SQS trigger
	// gives at most 10 from a FIFO queue.
	maxBatch = 50
	// pace is the gap a channel's batches keep unless the next one is
	// full: a channel takes about 30 messages a minute, one every 2 s, so
	// a rush goes out one message per pace after its first, while a job to
	// a channel that sent nothing for pace goes at once.
	pace = 2 * time.Second
	// deliveryTimeout bounds one batch's delivery.
	deliveryTimeout = 30 * time.Second
	// storeRetry is the pause after the store failed.
	storeRetry = time.Second
	pruneEvery = time.Hour
	pruneDelay = time.Minute
)

// Queue is local mode's queue: Enqueue stores, Run delivers.
type Queue struct {
	store     *Store
	deliverer queue.Deliverer
	logger    *slog.Logger
	wake      chan struct{}
}

var _ queue.Queue = (*Queue)(nil)

// New returns a queue over store that delivers with d.
func New(store *Store, d queue.Deliverer, logger *slog.Logger) *Queue {
	return &Queue{store: store, deliverer: d, logger: logger, wake: make(chan struct{}, 1)}
}

// Enqueue stores the job, on disk before it returns, unless the same job
// was accepted within queue.DedupeWindow.
func (q *Queue) Enqueue(_ context.Context, job queue.Job) (queue.Receipt, error) {
	added, err := q.store.add(job, time.Now())
	if err != nil {
		return queue.Receipt{}, &queue.NotStoredError{Err: err}
	}
	if !added {
		return queue.Receipt{Status: "duplicate"}, nil
	}
	q.signal()
	return queue.Receipt{Status: "queued"}, nil
}

func (q *Queue) signal() {
	select {
	case q.wake <- struct{}{}:
	default:
	}
}

// batch is the jobs of one group that go out together.
type batch struct {
	group string
	seqs  []uint64
	recs  []record
}

// Run delivers until ctx ends, one batch per group at a time, groups side
// by side. Deliveries in flight when ctx ends are settled before it
// returns.
func (q *Queue) Run(ctx context.Context) error {
	busy := map[string]bool{}
	paused := map[string]time.Time{} // groups whose store write failed
	sent := map[string]time.Time{}   // when each group's last batch went
	type finished struct {
		group string
		err   error
	}
	done := make(chan finished)
	// The first prune waits a while: at start it would take the file
	// from the first delivery.
	lastPrune := time.Now().Add(pruneDelay - pruneEvery)
	for {
		now := time.Now()
		if now.Sub(lastPrune) >= pruneEvery {
			if err := q.store.prune(now); err != nil {
				q.logger.Error("pruning the dedupe keys", slog.String("error", err.Error()))
			}
			lastPrune = now
		}
		ready, next, err := q.ready(now, busy, paused, sent)
		if err != nil {
			q.logger.Error("reading the queue", slog.String("error", err.Error()))
			next = now.Add(storeRetry)
		}
		for _, b := range ready {
			busy[b.group] = true
			sent[b.group] = now
			go func() {
				// A stop (SIGTERM) lets a send in flight finish within
				// its deadline: cut off, it would end "outcome unknown"
				// and need a redrive.
				_, err := q.deliver(context.WithoutCancel(ctx), b)
				done <- finished{b.group, err}
			}()
		}
		var timer *time.Timer
		var fire <-chan time.Time
		if !next.IsZero() {
			timer = time.NewTimer(next.Sub(now))
			fire = timer.C
		}
		select {
		case <-ctx.Done():
			for len(busy) > 0 {
				delete(busy, (<-done).group)
			}
			return nil
		case f := <-done:
			delete(busy, f.group)
			if f.err != nil {
				q.logger.Error("recording a delivery", slog.String("error", f.err.Error()))
				paused[f.group] = time.Now().Add(storeRetry)
			}
		case <-q.wake:
		case <-fire:
		}
		if timer != nil {
			timer.Stop()
		}
	}
}

// ready picks a batch for each group that is idle and due, and says when
// the next group falls due. With sent, a batch that is not full waits
// until pace after its group's last one.
func (q *Queue) ready(now time.Time, busy map[string]bool, paused, sent map[string]time.Time) ([]*batch, time.Time, error) {
	var next time.Time
	due := func(t time.Time) {
		if next.IsZero() || t.Before(next) {
			next = t
		}
	}
	var out []*batch
	// Twice a batch is read, so that board refreshes, which ride along,
	// do not take the events' places.
	for g, h := range q.store.idx.heads(2*maxBatch, func(g string) bool { return busy[g] }) {
		recs, err := q.store.records(h.seqs)
		if err != nil {
			return nil, time.Time{}, err
		}
		b, superseded := pick(g, h.seqs, recs)
		if len(superseded) > 0 {
			if err := q.store.drop(g, superseded); err != nil {
				return nil, time.Time{}, err
			}
		}
		for i := range b.recs {
			b.recs[i].Job.Behind = h.waiting-len(superseded) > len(b.seqs)
		}
		// Group commit: a job to an idle channel goes at once; the jobs
		// that arrive while a send is in flight, while Discord holds the
		// channel, or within pace of its last message gather and go
		// together.
		at := b.recs[0].NotBefore
		if last, ok := sent[b.group]; ok && !b.full() && last.Add(pace).After(at) {
			at = last.Add(pace)
		}
		if p, ok := paused[b.group]; ok && p.After(at) {
			at = p
		}
		if at.After(now) {
			due(at)
			continue
		}
		delete(paused, b.group)
		out = append(out, b)
	}
	return out, next, nil
}

// full says the batch carries as many jobs as one delivery takes.
func (b *batch) full() bool {
	n := 0
	for _, r := range b.recs {
		if !r.Job.Board {
			n++
		}
	}
	return n >= maxBatch
}

// pick makes a group's batch of its first jobs: up to maxBatch events,
// digests and reminders, and the board refreshes among them. A refresh
// with a later one behind it is superseded: the later one shows the
// board as it will be then, and only the latest state is sent.
func pick(group string, seqs []uint64, recs []record) (b *batch, superseded []uint64) {
	last := -1
	for i, r := range recs {
		if r.Job.Board {
			last = i
		}
	}
	b = &batch{group: group}
	others := 0
	for i, r := range recs {
		switch {
		case r.Job.Board && i != last:
			superseded = append(superseded, seqs[i])
			continue
		case !r.Job.Board && others == maxBatch:
			return b, superseded
		case !r.Job.Board:
			others++
		}
		b.seqs, b.recs = append(b.seqs, seqs[i]), append(b.recs, r)
	}
	return b, superseded
}

// deliver delivers one batch and records the outcome.
func (q *Queue) deliver(ctx context.Context, b *batch) ([]queue.Result, error) {
	jobs := make([]queue.Job, len(b.recs))
	for i, r := range b.recs {
		jobs[i] = r.Job
		jobs[i].Tried = r.Attempts
	}
	dctx, cancel := context.WithTimeout(ctx, deliveryTimeout)
	results := q.deliverer.Deliver(dctx, jobs)
	cancel()
	return results, q.store.settle(b.seqs, b.recs, results, time.Now())
}
