package digest_test

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"sync"
	"testing"
	"time"

	"clockify-discord-relay/lambda/clockify"
	"clockify-discord-relay/lambda/digest"
	"clockify-discord-relay/lambda/localstore"
	"clockify-discord-relay/lambda/queue"
	"clockify-discord-relay/lambda/state/statetest"
	"clockify-discord-relay/lambda/summary"
)

type recorder struct {
	mu   sync.Mutex
	jobs []queue.Job
	fail error
}

func (r *recorder) Enqueue(_ context.Context, j queue.Job) (queue.Receipt, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.fail != nil {
		return queue.Receipt{}, r.fail
	}
	r.jobs = append(r.jobs, j)
	return queue.Receipt{Status: "queued"}, nil
}

// Each destination with time gets one digest per period, however often
// it runs; -force posts again; a digest that could not be queued is not
// claimed.
func TestPostsOncePerDestinationAndPeriod(t *testing.T) {
	ctx := context.Background()
	store, err := localstore.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	tokyo, _ := time.LoadLocation("Asia/Tokyo")
	now := time.Date(2026, 11, 27, 18, 0, 0, 0, tokyo)
	for _, dest := range []string{"a", "b"} {
		ev := statetest.Finished(clockify.TimerStopped, "e-"+dest, "Ada", "Web", now.Add(-3*time.Hour), now.Add(-time.Hour))
		if err := store.Book(ctx, dest, "route-"+dest, ev, now); err != nil {
			t.Fatal(err)
		}
	}
	q := &recorder{}
	p := digest.New(store, q, slog.New(slog.NewTextHandler(&bytes.Buffer{}, nil)))
	period := summary.DayOf(now)
	run := func(force bool) digest.Result {
		t.Helper()
		res, err := p.Run(ctx, period, now, force)
		if err != nil && q.fail == nil {
			t.Fatal(err)
		}
		return res
	}
	if res := run(false); res.Queued != 2 || len(q.jobs) != 2 {
		t.Fatalf("first run: %+v", res)
	}
	if j := q.jobs[0]; j.Group != "a" || j.Route != "route-a" || j.Digest.Total != 2*time.Hour || j.Kind() != queue.KindDigest {
		t.Errorf("job: %+v", j)
	}
	if res := run(false); res.Queued != 0 || res.Already != 2 {
		t.Errorf("second run: %+v", res)
	}
	if res := run(true); res.Queued != 2 || q.jobs[2].Key == q.jobs[0].Key {
		t.Errorf("forced: %+v, keys %s %s", res, q.jobs[2].Key, q.jobs[0].Key)
	}
	weekly := summary.WeekOf(now)
	q.fail = errors.New("queue down")
	if res := run2(t, p, weekly, now); res.Queued != 0 {
		t.Errorf("with the queue down: %+v", res)
	}
	q.fail = nil
	if res := run2(t, p, weekly, now); res.Queued != 2 {
		t.Errorf("after the queue came back: %+v", res)
	}
	if res := run2(t, p, summary.DayOf(now.AddDate(0, 0, -3)), now); !res.Empty || res.Queued != 0 {
		t.Errorf("a day without time: %+v", res)
	}
}

func run2(t *testing.T, p *digest.Poster, period summary.Period, now time.Time) digest.Result {
	res, _ := p.Run(context.Background(), period, now, false)
	return res
}
