package schedule

import (
	"context"
	"log/slog"
	"time"
)

// CatchUp is how long after a firing a local relay that was not running
// then still does its work.
const CatchUp = 6 * time.Hour

// Local runs the jobs until ctx ends, as local mode's schedule: at start
// and every minute; a job with Latest once per firing, the one missed
// too when the relay starts within CatchUp after it.
func Local(ctx context.Context, logger *slog.Logger, jobs ...Job) {
	tick := time.NewTicker(time.Minute)
	defer tick.Stop()
	done := make([]time.Time, len(jobs)) // the firing each job last did
	for {
		now := time.Now()
		for i, j := range jobs {
			var fire time.Time
			if j.Latest != nil {
				if fire = j.Latest(now); fire.Equal(done[i]) || now.Sub(fire) >= CatchUp {
					continue
				}
			}
			if _, err := j.Run(ctx, now); err != nil {
				if ctx.Err() == nil {
					logger.Error("scheduled work failed; trying again in a minute", slog.String("job", j.Name), slog.String("error", err.Error()))
				}
				continue
			}
			done[i] = fire
		}
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
	}
}
