package localstore

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"testing"
	"testing/synctest"
	"time"

	"clockify-discord-relay/lambda/queue"
)

// TestDrainWaitsForRetriesWithinItsDeadline: a drain delivers what
// waits, waits out a 429's hold while its context allows, and then says
// what still waits.
func TestDrainWaitsForRetriesWithinItsDeadline(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		d := &fakeDeliverer{decide: func(n int, jobs []queue.Job) []queue.Result {
			if jobs[0].Group == "slow" || n == 0 {
				return all(len(jobs), queue.Result{State: queue.Retry, Hold: 5 * time.Second, Err: errors.New("429")})
			}
			return all(len(jobs), queue.Result{State: queue.Delivered})
		}}
		store, err := Open(t.TempDir())
		if err != nil {
			t.Fatal(err)
		}
		defer store.Close()
		q := New(store, d, slog.New(slog.NewTextHandler(io.Discard, nil)))
		enqueue(t, q, job("a", 0), "queued")
		enqueue(t, q, job("a", 1), "queued")
		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
		defer cancel()
		got, err := q.Drain(ctx)
		if err != nil || got.Delivered != 2 || got.Waiting != 0 || len(d.delivered()) != 2 {
			t.Fatalf("drained %+v, %v; batches %v", got, err, d.delivered())
		}
		if gap := d.at[1].Sub(d.at[0]); gap < 5*time.Second {
			t.Errorf("retried after %s, within the hold", gap)
		}
		enqueue(t, q, job("slow", 0), "queued")
		got, err = q.Drain(ctx)
		if err != nil || got.Delivered != 0 || got.Waiting != 1 || got.LastError != "429" {
			t.Errorf("past the deadline: %+v, %v", got, err)
		}
	})
}

// TestImmediateDeliversBeforeItAnswers: each Enqueue is drained before
// it returns, and the totals add up.
func TestImmediateDeliversBeforeItAnswers(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		d := &fakeDeliverer{decide: func(_ int, jobs []queue.Job) []queue.Result {
			if jobs[0].Group == "gone" {
				return all(len(jobs), queue.Result{State: queue.Dead, Err: errors.New("404")})
			}
			return all(len(jobs), queue.Result{State: queue.Delivered})
		}}
		store, err := Open(t.TempDir())
		if err != nil {
			t.Fatal(err)
		}
		defer store.Close()
		q := &Immediate{Queue: New(store, d, slog.New(slog.NewTextHandler(io.Discard, nil))), Wait: time.Second}
		for i, g := range []string{"a", "a", "gone"} {
			r, err := q.Enqueue(context.Background(), job(g, i))
			if err != nil || r.Status != "queued" || len(d.delivered()) != i+1 {
				t.Fatalf("job %d: %+v, %v; %d batches", i, r, err, len(d.delivered()))
			}
		}
		if q.Total.Delivered != 2 || q.Total.Dead != 1 || q.Total.LastError != "404" {
			t.Errorf("totals %+v", q.Total)
		}
	})
}
