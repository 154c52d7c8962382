package queue_test

import (
	"errors"
	"regexp"
	"strings"
	"testing"
	"time"

	"clockify-discord-relay/lambda/clockify"
	"clockify-discord-relay/lambda/queue"
)

func TestNext(t *testing.T) {
	tests := []struct {
		name     string
		attempts int
		age      time.Duration
		hold     time.Duration
		min, max time.Duration
	}{
		{"first retry", 1, time.Second, 0, 500 * time.Millisecond, time.Second},
		{"fourth", 4, time.Minute, 0, 4 * time.Second, 8 * time.Second},
		{"capped early", 12, 5 * time.Minute, 0, 4 * time.Second, 8 * time.Second},
		{"capped later", 12, time.Hour, 0, 150 * time.Second, 5 * time.Minute},
		{"many attempts", 1000, 23 * time.Hour, 0, 150 * time.Second, 5 * time.Minute},
		{"Discord asked", 1, time.Second, 42 * time.Second, 42 * time.Second, 43 * time.Second},
	}
	for _, tt := range tests {
		for range 50 { // the jitter
			wait, dead := queue.Next(tt.attempts, tt.age, tt.hold)
			if dead || wait < tt.min || wait > tt.max {
				t.Fatalf("%s: Next = %s, %v; want %s to %s", tt.name, wait, dead, tt.min, tt.max)
			}
		}
	}
	if _, dead := queue.Next(3, 24*time.Hour, 0); !dead {
		t.Error("a day-old job is still retried")
	}
}

func TestSettle(t *testing.T) {
	now := time.Date(2026, 11, 27, 9, 0, 0, 0, time.UTC)
	job := queue.Job{Key: "k", AcceptedAt: now.Add(-time.Minute)}
	old := queue.Job{Key: "old", AcceptedAt: now.Add(-25 * time.Hour)}
	down := errors.New("discord: 503 Service Unavailable")
	if wait, dead := queue.Settle(job, queue.Result{State: queue.Delivered}, 1, now); wait != 0 || dead != nil {
		t.Errorf("delivered: %s %v", wait, dead)
	}
	if wait, dead := queue.Settle(job, queue.Result{State: queue.Retry, Err: down}, 2, now); wait <= 0 || dead != nil {
		t.Errorf("retry: %s %v", wait, dead)
	}
	if _, dead := queue.Settle(old, queue.Result{State: queue.Retry, Err: down}, 300, now); dead == nil ||
		dead.Reason != "not delivered within 24h0m0s: discord: 503 Service Unavailable" || dead.Attempts != 300 || dead.Key != "old" {
		t.Errorf("expired: %+v", dead)
	}
	lost := errors.New("discord: EOF (the message may have reached Discord)")
	if _, dead := queue.Settle(job, queue.Result{State: queue.Unknown, Err: lost}, 1, now); dead == nil || !strings.HasPrefix(dead.Reason, "outcome unknown, not sent again") {
		t.Errorf("unknown: %+v", dead)
	}
	gone := errors.New("discord: 404 Not Found: the webhook was deleted")
	if _, dead := queue.Settle(job, queue.Result{State: queue.Dead, Err: gone}, 1, now); dead == nil || dead.Reason != gone.Error() || !dead.DeadAt.Equal(now) {
		t.Errorf("dead: %+v", dead)
	}
}

func TestKeyAndGroup(t *testing.T) {
	ev := clockify.Event{Type: clockify.TimerStopped, Entry: clockify.TimeEntry{ID: "64a1f0c2b3e4d5f6a7b8c9e0"}}
	edited := ev
	edited.Entry.Description += " (edited)"
	a, b := queue.Key(ev), queue.Key(edited)
	if a == b || a != queue.Key(ev) {
		t.Errorf("keys %s %s", a, b)
	}
	// SQS's MessageDeduplicationId: up to 128 of these characters.
	valid := regexp.MustCompile("^[A-Za-z0-9!\"#$%&'()*+,\\-./:;<=>?@\\[\\\\\\]^_`{|}~]{1,128}$")
	weird := clockify.Event{Type: clockify.NewTimerStarted, Entry: clockify.TimeEntry{ID: strings.Repeat("é/ x", 60)}}
	for _, k := range []string{a, queue.Key(weird)} {
		if !valid.MatchString(k) {
			t.Errorf("key %q is not a valid deduplication id", k)
		}
	}
	if !strings.HasPrefix(a, "TIMER_STOPPED.64a1f0c2b3e4d5f6a7b8c9e0.") {
		t.Errorf("key %s", a)
	}
	url := "https://discord.com/api/webhooks/1/secret-token"
	if h := queue.Hash(url); h != queue.Hash(url) || strings.Contains(h, "secret") || h == queue.Hash(url+"x") || len(h) > 128 {
		t.Errorf("hash %s", h)
	}
	if d := queue.Destination(""); d == queue.Destination("billing") || !valid.MatchString(d) {
		t.Errorf("destination %s", d)
	}
}

// TestPolicyAtItsLimits: the retry limit and the short phase, one unit
// under and one over; a shown job whose state failed gets MaxAge more; a
// board refresh never expires (issue 24).
func TestPolicyAtItsLimits(t *testing.T) {
	if _, dead := queue.Next(3, queue.MaxAge-time.Nanosecond, 0); dead {
		t.Error("dead a nanosecond before MaxAge")
	}
	if _, dead := queue.Next(3, queue.MaxAge, 0); !dead {
		t.Error("not dead at MaxAge")
	}
	for range 50 {
		if wait, _ := queue.Next(20, 10*time.Minute-time.Nanosecond, 0); wait > 20*time.Second {
			t.Fatalf("waits %s in the short phase", wait)
		}
	}
	long := false
	for range 50 {
		if wait, _ := queue.Next(20, 10*time.Minute, 0); wait > 20*time.Second {
			long = true
		}
	}
	if !long {
		t.Error("the short phase outlives 10 minutes")
	}
	now := time.Date(2026, 11, 27, 9, 0, 0, 0, time.UTC)
	aged := queue.Job{Key: "k", AcceptedAt: now.Add(-queue.MaxAge - time.Hour)}
	if _, dead := queue.Settle(aged, queue.Result{State: queue.Retry}, 5, now); dead == nil {
		t.Error("a job past MaxAge was not dead-lettered")
	}
	if _, dead := queue.Settle(aged, queue.Result{State: queue.Retry, Settled: true}, 5, now); dead != nil {
		t.Error("a shown job waiting for its state was dead-lettered at MaxAge")
	}
	board := queue.NewBoard("d", "", now.Add(-4*24*time.Hour))
	if _, dead := queue.Settle(board, queue.Result{State: queue.Retry}, 500, now); dead != nil {
		t.Error("a board refresh was dead-lettered")
	}
}

// TestBoardRefreshesAtOneInstantDiffer: two refreshes made at the same
// instant (a coarse clock, a simulation) have keys of their own, so a
// queue does not drop the second as a duplicate of the first.
func TestBoardRefreshesAtOneInstantDiffer(t *testing.T) {
	at := time.Date(2026, 11, 29, 0, 0, 0, 0, time.UTC)
	a, b := queue.NewBoard("dest", "", at), queue.NewBoard("dest", "", at)
	if a.Key == b.Key || !a.Board || !b.Board {
		t.Errorf("keys %q and %q", a.Key, b.Key)
	}
}
