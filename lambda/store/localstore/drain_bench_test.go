package localstore

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"clockify-discord-relay/lambda/clockify"
	"clockify-discord-relay/lambda/queue"
)

// BenchmarkBacklogDrain: 10,000 jobs in 10 channels wait (Discord was
// down); the worker then drains them, Discord taking each batch at once.
// What it measures is the worker's own cost per batch: finding what is
// due, and recording what was delivered.
func BenchmarkBacklogDrain(b *testing.B) {
	const jobs, groups = 10000, 10
	for range b.N {
		b.StopTimer()
		store, err := Open(b.TempDir())
		if err != nil {
			b.Fatal(err)
		}
		past := time.Now().Add(-time.Hour)
		for i := range jobs {
			ev := clockify.Event{Type: clockify.NewTimerStarted, Entry: clockify.TimeEntry{ID: fmt.Sprintf("e%05d", i)}}
			job := queue.Job{Key: ev.Entry.ID, Group: fmt.Sprintf("g%d", i%groups), Event: ev, AcceptedAt: past}
			if _, err := store.add(job, past); err != nil {
				b.Fatal(err)
			}
		}
		d := &drainDeliverer{done: make(chan struct{})}
		d.left.Store(jobs)
		q := New(store, d, slog.New(slog.NewTextHandler(io.Discard, nil)))
		ctx, cancel := context.WithCancel(context.Background())
		b.StartTimer()
		go func() { _ = q.Run(ctx) }()
		<-d.done
		b.StopTimer()
		cancel()
		store.Close()
	}
}

type drainDeliverer struct {
	done chan struct{}
	once sync.Once
	left atomic.Int64
}

func (d *drainDeliverer) Deliver(_ context.Context, jobs []queue.Job) []queue.Result {
	if d.left.Add(-int64(len(jobs))) <= 0 {
		d.once.Do(func() { close(d.done) })
	}
	return make([]queue.Result, len(jobs))
}
