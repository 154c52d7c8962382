package schedule

import (
	"context"
	"time"
)

// Job is one piece of scheduled work.
type Job struct {
	// Name is the detail-type of its schedule in the template.
	Name string
	// Latest is its latest firing at or before now, for work done once
	// per firing (the digest); nil for work done at every tick (the
	// reminder check).
	Latest func(now time.Time) time.Time
	// Run does the work due at now, and says what it did.
	Run func(ctx context.Context, now time.Time) (any, error)
}

// Handlers are the jobs by name, for Lambda's scheduled invocations: the
// schedule fires at its time, and a late invocation (a retry) still does
// the work of the firing it stands for.
func Handlers(jobs ...Job) map[string]func(context.Context) (any, error) {
	out := make(map[string]func(context.Context) (any, error), len(jobs))
	for _, j := range jobs {
		out[j.Name] = func(ctx context.Context) (any, error) { return j.Run(ctx, time.Now()) }
	}
	return out
}

// The names of the template's schedules (their detail-type).
const (
	Remind = "remind" // forgotten timers, every 15 minutes
	Digest = "digest" // the daily or weekly digest, at DIGEST_TIME
)
