package localstore

import (
	"context"
	"time"

	"clockify-discord-relay/lambda/queue"
)

// Drained is what one Drain did, counted in jobs.
type Drained struct {
	Delivered int
	Unknown   int // sent, and Discord's answer never came: a dead letter
	Dead      int // refused, or past queue.MaxAge: a dead letter
	Waiting   int // still waiting for a retry when the drain ended
	LastError string
}

// add counts a later drain's jobs in d; Waiting is the later one's.
func (d *Drained) add(later Drained) {
	d.Delivered += later.Delivered
	d.Unknown += later.Unknown
	d.Dead += later.Dead
	d.Waiting = later.Waiting
	if later.LastError != "" {
		d.LastError = later.LastError
	}
}

// Drain delivers what waits, one batch per group at a time, retrying as
// Run would, until nothing waits or ctx ends. One-off commands (invoke,
// digest, remind) deliver with it where no relay runs.
func (q *Queue) Drain(ctx context.Context) (Drained, error) {
	var d Drained
	paused := map[string]time.Time{}
	for {
		now := time.Now()
		ready, next, err := q.ready(now, nil, paused, nil)
		if err != nil {
			return d, err
		}
		for _, b := range ready {
			results, err := q.deliver(ctx, b)
			if err != nil {
				return d, err
			}
			for _, r := range results {
				switch r.State {
				case queue.Delivered:
					d.Delivered++
					continue
				case queue.Unknown:
					d.Unknown++
				case queue.Dead:
					d.Dead++
				}
				if r.Err != nil {
					d.LastError = r.Err.Error()
				}
			}
		}
		if len(ready) > 0 {
			continue
		}
		if next.IsZero() {
			return d, nil
		}
		select {
		case <-ctx.Done():
			d.Waiting, err = q.store.Waiting()
			return d, err
		case <-time.After(next.Sub(now)):
		}
	}
}
