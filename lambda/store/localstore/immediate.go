package localstore

import (
	"context"
	"time"

	"clockify-discord-relay/lambda/queue"
)

// answerReserve is the time an invocation keeps to answer after its drain.
const answerReserve = 500 * time.Millisecond

// Immediate is a queue that drains itself after each job it stores: for
// an invocation with no delivery queue (sam local invoke, bootstrap
// invoke), which runs one request at a time. The answer is still
// "queued": what Discord did is the deliver half's to log.
type Immediate struct {
	*Queue
	// Wait bounds how long a drain waits for a retry (a 429's hold);
	// what still waits then is delivered by the next drain.
	Wait time.Duration
	// Total is what the drains did, added up.
	Total Drained
}

var _ queue.Queue = (*Immediate)(nil)

// Enqueue stores the job, then drains the queue.
func (q *Immediate) Enqueue(ctx context.Context, job queue.Job) (queue.Receipt, error) {
	r, err := q.Queue.Enqueue(ctx, job)
	if err != nil || r.Status != "queued" {
		return r, err
	}
	wait := q.Wait
	if deadline, ok := ctx.Deadline(); ok {
		wait = min(wait, time.Until(deadline)-answerReserve)
	}
	dctx, cancel := context.WithTimeout(ctx, wait)
	defer cancel()
	d, err := q.Drain(dctx)
	if err != nil {
		q.logger.Error("draining the queue", "error", err.Error())
	}
	q.Total.add(d)
	return r, nil
}
