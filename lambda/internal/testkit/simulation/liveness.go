package simulation

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"sync"
	"time"

	"clockify-discord-relay/lambda/queue"
)

// Liveness bounds, from the retry policy (lambda/queue/policy.go) and
// Discord's pace.
const (
	// longestHold is the longest a channel with jobs waiting may go
	// without a try: the policy's longest backoff (5 minutes), after a
	// try that took at most the function's timeout, and a poll. A 429's
	// hold (at most the channel's minute) and SQS's visibility timeout
	// after a crash (180 s) are shorter.
	longestHold = 5*time.Minute + functionTimeout + 2*time.Second
	// recoveryTries is how many tries a job waiting when Discord recovers
	// may need before it is out: faults go on after the recovery, and six
	// tries in a row fail about once in a million.
	recoveryTries = 6
	// messagesPerMinute is Discord's pace for one channel; a message
	// carries at least 10 events.
	messagesPerMinute = channelLimit
	eventsPerMessage  = 10
)

// liveness watches each channel's queue through the deliverer: when its
// jobs were accepted, tried and settled.
type liveness struct {
	mu         sync.Mutex
	waiting    map[string]map[string]bool // group → the keys of its jobs waiting
	lastTry    map[string]time.Time       // group → its last try, or since it waits
	acceptedAt map[string]time.Time       // job key → when it was first accepted
	settled    map[string]time.Time       // job key → when it was delivered or reported
	held       []string                   // the holds past longestHold
}

func newLiveness() *liveness {
	return &liveness{waiting: map[string]map[string]bool{}, lastTry: map[string]time.Time{}, acceptedAt: map[string]time.Time{}, settled: map[string]time.Time{}}
}

// accepted notes a job the accept half queued.
func (l *liveness) accepted(j queue.Job) {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := time.Now()
	if _, ok := l.settled[j.Key]; ok {
		// SQS took it again within its deduplication window, or a
		// resend of what is out already: nothing new waits.
		return
	}
	w := l.waiting[j.Group]
	if len(w) == 0 {
		w = map[string]bool{}
		l.waiting[j.Group] = w
		l.lastTry[j.Group] = now // the channel waits from now
	}
	w[j.Key] = true
	if _, ok := l.acceptedAt[j.Key]; !ok {
		l.acceptedAt[j.Key] = now
	}
}

// tried notes a try of the jobs, and how long their channels were held.
func (l *liveness) tried(jobs []queue.Job) {
	groups := map[string]bool{}
	for _, j := range jobs {
		groups[j.Group] = true
	}
	l.triedGroups(groups)
}

// triedGroups notes a try of the groups: an invocation that takes their
// outboxes up is one, whatever becomes of it.
func (l *liveness) triedGroups(groups map[string]bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := time.Now()
	for g := range groups {
		if held := now.Sub(l.lastTry[g]); len(l.waiting[g]) > 0 && held > longestHold {
			l.held = append(l.held, fmt.Sprintf("channel %s went %s without a try until %s, %d jobs waiting (the policy's longest wait: %s)",
				g, held.Round(time.Second), now.UTC().Format(time.TimeOnly), len(l.waiting[g]), longestHold))
		}
		l.lastTry[g] = now
	}
}

// done notes the results of a try: delivered, dead or unknown jobs are
// out of the queue.
func (l *liveness) done(jobs []queue.Job, results []queue.Result) {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := time.Now()
	for i, r := range results {
		if r.State == queue.Retry {
			continue
		}
		j := jobs[i]
		delete(l.waiting[j.Group], j.Key)
		if _, ok := l.settled[j.Key]; !ok {
			l.settled[j.Key] = now
		}
	}
}

// afterRecovery checks that the jobs waiting when Discord recovered (at)
// were out within the bound: recoveryTries of the longest hold, and
// Discord's pace for them.
func (l *liveness) afterRecovery(at time.Time) []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	var waiting []string
	for key, t := range l.acceptedAt {
		if t.Before(at) {
			if s, ok := l.settled[key]; !ok || s.After(at) {
				waiting = append(waiting, key)
			}
		}
	}
	slices.Sort(waiting)
	messages := (len(waiting) + eventsPerMessage - 1) / eventsPerMessage
	bound := recoveryTries*longestHold + time.Duration(messages)*time.Minute/messagesPerMinute
	var v []string
	for _, key := range waiting {
		s, ok := l.settled[key]
		switch {
		case !ok:
			v = append(v, fmt.Sprintf("%s was waiting when Discord recovered and was never delivered", key))
		case s.Sub(at) > bound:
			v = append(v, fmt.Sprintf("%s was delivered %s after Discord recovered; the bound for %d waiting jobs is %s",
				key, s.Sub(at).Round(time.Second), len(waiting), bound))
		}
	}
	return v
}

// watched is a deliverer whose tries the liveness sees.
type watched struct {
	queue.Deliverer
	l *liveness
}

func (w watched) Deliver(ctx context.Context, jobs []queue.Job) []queue.Result {
	w.l.tried(jobs)
	results := w.Deliverer.Deliver(ctx, jobs)
	w.l.done(jobs, results)
	return results
}

// acceptedQueue is the accept half's queue, whose new jobs the liveness
// sees.
type acceptedQueue struct {
	queue.Queue
	l *liveness
}

func (q acceptedQueue) Enqueue(ctx context.Context, j queue.Job) (queue.Receipt, error) {
	r, err := q.Queue.Enqueue(ctx, j)
	if err == nil && r.Status == "queued" {
		q.l.accepted(j)
	}
	return r, err
}

// holds are the holds past longestHold.
func (l *liveness) holds() []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return slices.Clone(l.held)
}

// groups are the groups of every job accepted.
func (l *liveness) groups() []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return slices.Sorted(maps.Keys(l.waiting))
}
