package remind

import (
	"context"
	"time"

	"clockify-discord-relay/lambda/schedule"
)

// Job is the reminder check as scheduled work, at every tick.
func Job(r *Reminder) schedule.Job {
	return schedule.Job{
		Name: schedule.Remind,
		Run: func(ctx context.Context, now time.Time) (any, error) {
			n, err := r.Run(ctx, now)
			return map[string]int{"reminders": n}, err
		},
	}
}
