package queuetest

import (
	"context"
	"sync"

	"clockify-discord-relay/lambda/queue"
)

// Recorder is a queue.Queue that keeps the jobs, or refuses them with
// Fail when it is set.
type Recorder struct {
	mu   sync.Mutex
	jobs []queue.Job
	Fail error
}

var _ queue.Queue = (*Recorder)(nil)

// Enqueue keeps the job.
func (r *Recorder) Enqueue(_ context.Context, j queue.Job) (queue.Receipt, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.Fail != nil {
		return queue.Receipt{}, r.Fail
	}
	r.jobs = append(r.jobs, j)
	return queue.Receipt{Status: "queued"}, nil
}

// Jobs are the jobs kept so far.
func (r *Recorder) Jobs() []queue.Job {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]queue.Job(nil), r.jobs...)
}
