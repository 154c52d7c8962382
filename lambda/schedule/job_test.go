package schedule_test

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"testing"
	"testing/synctest"
	"time"

	"clockify-discord-relay/lambda/schedule"
)

// TestLocalTicksAndRetries: a job without firings runs at start and every
// minute; a job whose firing failed tries it again a minute later, and
// does it once when it succeeds.
func TestLocalTicksAndRetries(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		start := time.Now()
		ticks, tries, done := 0, 0, 0
		every := schedule.Job{Name: "every", Run: func(context.Context, time.Time) (any, error) { ticks++; return nil, nil }}
		firing := schedule.Job{Name: "firing", Latest: func(time.Time) time.Time { return start },
			Run: func(context.Context, time.Time) (any, error) {
				if tries++; tries < 3 {
					return nil, errors.New("the queue is down")
				}
				done++
				return nil, nil
			}}
		ctx, cancel := context.WithCancel(context.Background())
		go schedule.Local(ctx, slog.New(slog.NewTextHandler(io.Discard, nil)), every, firing)
		time.Sleep(10*time.Minute + time.Second)
		cancel()
		synctest.Wait()
		if ticks != 11 || tries != 3 || done != 1 {
			t.Errorf("ticks %d, tries %d, done %d; want 11, 3, 1", ticks, tries, done)
		}
	})
}

// TestHandlersByName: Lambda's scheduled invocations find each job by
// its schedule's name, and get its answer.
func TestHandlersByName(t *testing.T) {
	h := schedule.Handlers(schedule.Job{Name: schedule.Digest, Run: func(context.Context, time.Time) (any, error) { return 7, nil }})
	if out, err := h[schedule.Digest](context.Background()); out != 7 || err != nil || h[schedule.Remind] != nil {
		t.Errorf("%v, %v, %d handlers", out, err, len(h))
	}
}
