package discord

import (
	"context"
	"net/http"
	"strconv"
	"sync"
	"time"
)

// limiter keeps Discord's rate-limit state for this process, so that a
// warm instance waits before a request it knows would get a 429.
// https://discord.com/developers/docs/topics/rate-limits
type limiter struct {
	mu          sync.Mutex
	buckets     map[string]*bucket // by webhook
	globalUntil time.Time
}

// bucket is what the last answer said of one webhook's limit.
type bucket struct {
	limit     int
	remaining int
	resetAt   time.Time
	heldUntil time.Time // a 429 asked to wait until then
}

func newLimiter() *limiter { return &limiter{buckets: map[string]*bucket{}} }

// wait returns when a request to key may be sent, reserving it a place in
// the bucket, or fails when that is past the deadline.
// Waits over maxWait (when > 0) fail at once.
func (l *limiter) wait(ctx context.Context, key string, maxWait time.Duration) error {
	for {
		l.mu.Lock()
		now := time.Now()
		until := l.globalUntil
		b := l.buckets[key]
		if b != nil {
			if !now.Before(b.resetAt) && b.remaining < b.limit {
				b.remaining = b.limit // the window has passed: the bucket is full again
			}
			if b.remaining <= 0 && b.resetAt.After(until) {
				until = b.resetAt
			}
			if b.heldUntil.After(until) {
				until = b.heldUntil
			}
		}
		if !until.After(now) {
			if b != nil && b.remaining > 0 {
				b.remaining--
			}
			l.mu.Unlock()
			return nil
		}
		l.mu.Unlock()
		if err := sleep(ctx, until.Sub(now), maxWait); err != nil {
			return &OutOfTimeError{Cause: err, Wait: until.Sub(now)}
		}
	}
}

// update records what an answer's headers and verdict say of the limits.
func (l *limiter) update(key string, h http.Header, v verdict) {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := time.Now()
	if v.global {
		l.globalUntil = now.Add(v.wait)
		return
	}
	b := l.buckets[key]
	remaining, errR := strconv.Atoi(h.Get("X-RateLimit-Remaining"))
	resetAfter, errA := strconv.ParseFloat(h.Get("X-RateLimit-Reset-After"), 64)
	if errR == nil && errA == nil {
		if b == nil {
			b = &bucket{}
			l.buckets[key] = b
		}
		b.remaining = remaining
		b.resetAt = now.Add(time.Duration(resetAfter * float64(time.Second)))
		if limit, err := strconv.Atoi(h.Get("X-RateLimit-Limit")); err == nil {
			b.limit = limit
		}
	}
	// Any other 429 holds the webhook for its retry_after, even when the
	// bucket headers show requests left: that is the channel's own limit
	// of about 30 messages a minute (discord-api-docs#367), which Discord
	// does not announce in headers.
	if v.rateLimited && v.permanent == nil {
		if b == nil {
			b = &bucket{}
			l.buckets[key] = b
		}
		b.heldUntil = later(b.heldUntil, now.Add(v.wait))
	}
}

func later(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}
