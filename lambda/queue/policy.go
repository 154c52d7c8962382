package queue

import (
	"fmt"
	"math/rand/v2"
	"time"
)

// The retry policy, after EventBridge API destinations: retry what Discord
// may still accept, with exponential backoff and jitter, for up to a day;
// then dead-letter it.
const (
	// MaxAge is how long a job is retried after it was accepted.
	MaxAge = 24 * time.Hour
	// DedupeWindow is how long an accepted job's key is remembered.
	DedupeWindow = 24 * time.Hour

	firstRetry = time.Second
	// For the first minutes the backoff stays short, so that the backlog
	// of a short outage goes out soon after Discord is back; later it
	// grows, so that a long outage costs few requests.
	// A cap of 8 s (waits of 4 to 8 s) brings the backlog of a short
	// outage out within 10 s of Discord's recovery, the pace's 2 s
	// included (issue 31).
	shortPhase = 10 * time.Minute
	shortCap   = 8 * time.Second
	longCap    = 5 * time.Minute
	// holdJitter spreads consumers that a 429 told to come back together.
	holdJitter = time.Second
)

// Jitter draws a wait in [0, n): random, so that consumers do not retry
// in step. The simulation makes it a function of n alone, to replay a
// seed exactly.
var Jitter = rand.N[time.Duration]

// Next is when to try a job again after its failed attempt number
// attempts (1 for the first), given its age and how long Discord asked to
// wait; dead is true once the job is past MaxAge.
func Next(attempts int, age, hold time.Duration) (wait time.Duration, dead bool) {
	if age >= MaxAge {
		return 0, true
	}
	cap := shortCap
	if age >= shortPhase {
		cap = longCap
	}
	d := min(firstRetry<<min(max(attempts-1, 0), 16), cap)
	wait = d/2 + Jitter(d/2+1) // equal jitter
	if hold > 0 {
		wait = hold + Jitter(holdJitter)
	}
	return wait, false
}

// Settle applies the policy to a job's result: how long until its next
// try (retry), or its dead letter (dead). attempts counts this one. A
// delivered job gets neither.
func Settle(job Job, r Result, attempts int, now time.Time) (retry time.Duration, dead *DeadLetter) {
	switch r.State {
	case Delivered:
		return 0, nil
	case Retry:
		age := now.Sub(job.AcceptedAt)
		switch {
		case job.Board:
			// The board shows the present: its refresh waits out any
			// outage (SQS's retention ends it), and is never a dead letter.
			age = min(age, MaxAge-time.Second)
		case r.Settled:
			age -= MaxAge
		}
		wait, expired := Next(attempts, max(age, 0), r.Hold)
		if !expired {
			return wait, nil
		}
		r.Err = fmt.Errorf("not delivered within %s: %w", MaxAge, r.Err)
	}
	reason := "refused"
	if r.Err != nil {
		reason = r.Err.Error()
	}
	if r.State == Unknown {
		reason = "outcome unknown, not sent again (check the channel; redrive if it is missing): " + reason
	}
	return 0, &DeadLetter{Job: job, Reason: reason, DeadAt: now.UTC(), Attempts: attempts}
}
