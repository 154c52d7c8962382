package schedule_test

import (
	"context"
	"io"
	"log/slog"
	"testing"
	"testing/synctest"
	"time"

	"clockify-discord-relay/lambda/clockify"
	"clockify-discord-relay/lambda/queue/queuetest"
	"clockify-discord-relay/lambda/schedule"
	"clockify-discord-relay/lambda/schedule/digest"
	"clockify-discord-relay/lambda/state/statetest"
	"clockify-discord-relay/lambda/store/localstore"
	"clockify-discord-relay/lambda/summary"
)

// localSchedule runs local mode's schedule in a bubble, from the given
// hour of a day (the bubble's next midnight UTC), over a day with an hour
// of work; it returns the digests queued by each checkpoint (hours from
// midnight).
func localSchedule(t *testing.T, startHour int, checkpoints ...float64) []int {
	var counts []int
	synctest.Test(t, func(t *testing.T) {
		midnight := time.Now().UTC().Truncate(24 * time.Hour).Add(24 * time.Hour)
		time.Sleep(time.Until(midnight))
		store, err := localstore.Open(t.TempDir())
		if err != nil {
			t.Fatal(err)
		}
		defer store.Close()
		ev := statetest.Finished(clockify.TimerStopped, "e1", "Ada", "Web", midnight.Add(9*time.Hour), midnight.Add(10*time.Hour))
		if err := store.State.Book(context.Background(), "a", "", ev, midnight); err != nil {
			t.Fatal(err)
		}
		q := &queuetest.Recorder{}
		logger := slog.New(slog.NewTextHandler(io.Discard, nil))
		sched := &digest.Schedule{Kind: summary.Daily, Hour: 18, Zone: time.UTC}
		time.Sleep(time.Duration(startHour) * time.Hour)
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan struct{})
		go func() {
			defer close(done)
			schedule.Local(ctx, logger, digest.Job(digest.New(store.State, q, logger), sched))
		}()
		for _, h := range checkpoints {
			time.Sleep(midnight.Add(time.Duration(h * float64(time.Hour))).Sub(time.Now()))
			synctest.Wait()
			counts = append(counts, len(q.Jobs()))
		}
		cancel()
		<-done
		if js := q.Jobs(); len(js) > 0 && js[0].Key != "DIGEST.daily-"+midnight.Add(-6*time.Hour).Format("2006-01-02T1504")+".a" {
			t.Errorf("queued %v", js[0].Key)
		}
	})
	return counts
}

// TestLocalScheduleFiresAtDigestTime: nothing before 18:00, one digest
// at 18:00, no second one later that day or the next (no time then).
func TestLocalScheduleFiresAtDigestTime(t *testing.T) {
	if got := localSchedule(t, 0, 17.98, 18.02, 23.5, 42.5); got[0] != 0 || got[1] != 1 || got[2] != 1 || got[3] != 1 {
		t.Errorf("digests by 17:59, 18:01, 23:30, next day 18:30: %v", got)
	}
}

// TestLocalScheduleCatchesUp: a relay started at 20:00 posts the 18:00
// digest it missed, at once; one started the next morning does not.
func TestLocalScheduleCatchesUp(t *testing.T) {
	if got := localSchedule(t, 20, 20.01); got[0] != 1 {
		t.Errorf("started at 20:00: %v", got)
	}
	if got := localSchedule(t, 25, 25.5); got[0] != 0 {
		t.Errorf("started the next morning: %v", got)
	}
}
