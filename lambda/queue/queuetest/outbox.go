package queuetest

import (
	"context"
	"slices"
	"testing"
	"time"

	"clockify-discord-relay/lambda/queue"
)

// OutboxConformance checks what every queue.Outbox must do: jobs read
// back in key order, per group, at most n; parking again replaces;
// Unpark forgets; the last delivery reads back as sent (to the
// millisecond).
func OutboxConformance(t *testing.T, o queue.Outbox) {
	t.Helper()
	ctx := context.Background()
	park := func(group string, keys ...string) {
		t.Helper()
		var ps []queue.Parked
		for _, k := range keys {
			ps = append(ps, queue.Parked{Key: k, Job: queue.Job{Key: "job-" + k, Group: group}})
		}
		if err := o.Park(ctx, group, ps); err != nil {
			t.Fatal(err)
		}
	}
	keys := func(group string, n int) []string {
		t.Helper()
		_, ps, err := o.Parked(ctx, group, n)
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, p := range ps {
			if p.Job.Key != "job-"+p.Key {
				t.Errorf("parked %s holds job %s", p.Key, p.Job.Key)
			}
			out = append(out, p.Key)
		}
		return out
	}
	if last, ps, err := o.Parked(ctx, "g1", 10); err != nil || !last.IsZero() || len(ps) != 0 {
		t.Fatalf("an empty outbox: %v, %v, %v", last, ps, err)
	}
	park("g1", "00000000000000000002", "00000000000000000001")
	park("g1", "00000000000000000010")
	park("g2", "00000000000000000005")
	if got := keys("g1", 10); !slices.Equal(got, []string{"00000000000000000001", "00000000000000000002", "00000000000000000010"}) {
		t.Errorf("g1 holds %v, want its three in key order", got)
	}
	if got := keys("g1", 2); len(got) != 2 {
		t.Errorf("at most 2: %v", got)
	}
	if err := o.Park(ctx, "g1", []queue.Parked{{Key: "00000000000000000002", Job: queue.Job{Key: "job-00000000000000000002"}, Tried: 3}}); err != nil {
		t.Fatal(err)
	}
	if _, ps, _ := o.Parked(ctx, "g1", 10); len(ps) != 3 || ps[1].Tried != 3 {
		t.Errorf("parked again: %+v, want the second replaced, tried 3", ps)
	}
	if err := o.Unpark(ctx, "g1", []string{"00000000000000000001", "00000000000000000002"}); err != nil {
		t.Fatal(err)
	}
	if got := keys("g1", 10); !slices.Equal(got, []string{"00000000000000000010"}) {
		t.Errorf("after unparking two, g1 holds %v", got)
	}
	if got := keys("g2", 10); !slices.Equal(got, []string{"00000000000000000005"}) {
		t.Errorf("g2 holds %v", got)
	}
	at := time.Now().Truncate(time.Millisecond)
	if err := o.Sent(ctx, "g1", at); err != nil {
		t.Fatal(err)
	}
	if last, _, err := o.Parked(ctx, "g1", 1); err != nil || !last.Equal(at) {
		t.Errorf("last delivery %v (%v), want %v", last, err, at)
	}
	park("g1", "00000000000000000011", "00000000000000000012")
	if last, ps, err := o.Parked(ctx, "g1", 2); err != nil || !last.Equal(at) || len(ps) != 2 || ps[0].Key != "00000000000000000010" {
		t.Errorf("two of three with the last delivery: %v, %+v, %v", last, ps, err)
	}
	if last, _, _ := o.Parked(ctx, "g2", 1); !last.IsZero() {
		t.Errorf("g2's last delivery %v, want none", last)
	}
}
