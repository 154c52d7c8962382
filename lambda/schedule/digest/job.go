package digest

import (
	"context"
	"time"

	"clockify-discord-relay/lambda/schedule"
)

// Job is the digest as scheduled work: at each firing of s, the period
// that firing covers.
func Job(p *Poster, s *Schedule) schedule.Job {
	return schedule.Job{
		Name:   schedule.Digest,
		Latest: s.Latest,
		Run: func(ctx context.Context, now time.Time) (any, error) {
			period, _ := s.Due(now)
			return p.Run(ctx, period, now, false)
		},
	}
}
