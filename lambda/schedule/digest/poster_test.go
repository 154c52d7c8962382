package digest_test

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"testing"
	"time"

	"clockify-discord-relay/lambda/clockify"
	"clockify-discord-relay/lambda/queue"
	"clockify-discord-relay/lambda/queue/queuetest"
	"clockify-discord-relay/lambda/schedule/digest"
	"clockify-discord-relay/lambda/state/statetest"
	"clockify-discord-relay/lambda/store/localstore"
	"clockify-discord-relay/lambda/summary"
)

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
	today := time.Now().In(tokyo) // claims expire by the store's clock
	now := time.Date(today.Year(), today.Month(), today.Day(), 18, 0, 0, 0, tokyo)
	for _, dest := range []string{"a", "b"} {
		ev := statetest.Finished(clockify.TimerStopped, "e-"+dest, "Ada", "Web", now.Add(-3*time.Hour), now.Add(-time.Hour))
		if err := store.State.Book(ctx, dest, "route-"+dest, ev, now); err != nil {
			t.Fatal(err)
		}
	}
	q := &queuetest.Recorder{}
	p := digest.New(store.State, q, slog.New(slog.NewTextHandler(&bytes.Buffer{}, nil)))
	day, week := summary.DayOf(now), summary.WeekOf(now)
	run := func(period summary.Period, force bool) digest.Result {
		t.Helper()
		res, err := p.Run(ctx, period, now, force)
		if (err != nil) != (q.Fail != nil) {
			t.Fatalf("error %v with the queue failing with %v", err, q.Fail)
		}
		return res
	}
	if res := run(day, false); res.Queued != 2 || len(q.Jobs()) != 2 {
		t.Fatalf("first run: %+v", res)
	}
	if j := q.Jobs()[0]; j.Channel != "a" || j.Group != queue.Destination("route-a") || j.Route != "route-a" || j.Digest.Total != 2*time.Hour || j.Kind() != queue.KindDigest {
		t.Errorf("job: %+v", j)
	}
	if res := run(day, false); res.Queued != 0 || res.Already != 2 {
		t.Errorf("second run: %+v", res)
	}
	if res := run(day, true); res.Queued != 2 || q.Jobs()[2].Key == q.Jobs()[0].Key {
		t.Errorf("forced: %+v, keys %s %s", res, q.Jobs()[2].Key, q.Jobs()[0].Key)
	}
	q.Fail = errors.New("queue down")
	if res := run(week, false); res.Queued != 0 {
		t.Errorf("with the queue down: %+v", res)
	}
	q.Fail = nil
	if res := run(week, false); res.Queued != 2 {
		t.Errorf("after the queue came back: %+v", res)
	}
	if res := run(summary.DayOf(now.AddDate(0, 0, -3)), false); !res.Empty || res.Queued != 0 {
		t.Errorf("a day without time: %+v", res)
	}
}
