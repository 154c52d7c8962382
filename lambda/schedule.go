package main

import (
	"context"
	"log/slog"
	"time"

	"clockify-discord-relay/lambda/digest"
	"clockify-discord-relay/lambda/remind"
)

// catchUp is how long after DIGEST_TIME a local relay that was not
// running then still posts the digest it missed.
const catchUp = 6 * time.Hour

// everyMinute is local mode's schedule: at start and every minute, the
// reminder check, and the digest when DIGEST_TIME has come (a relay
// started within catchUp after it posts the digest it missed). Either
// may be nil.
func everyMinute(ctx context.Context, logger *slog.Logger, r *remind.Reminder, p *digest.Poster, sched *digest.Schedule) {
	tick := time.NewTicker(time.Minute)
	defer tick.Stop()
	var posted time.Time // the firing last posted
	for {
		now := time.Now()
		if r != nil {
			if _, err := r.Run(ctx, now); err != nil && ctx.Err() == nil {
				logger.Error("checking for forgotten timers", slog.String("error", err.Error()))
			}
		}
		if p != nil {
			if period, fire := sched.Due(now); !fire.Equal(posted) && now.Sub(fire) < catchUp {
				if _, err := p.Run(ctx, period, now, false); err != nil {
					logger.Error("the digest was not queued; trying again in a minute", slog.String("period", period.Name()), slog.String("error", err.Error()))
				} else {
					posted = fire
				}
			}
		}
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
	}
}
