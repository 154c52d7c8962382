package queuetest

import (
	"context"

	"clockify-discord-relay/lambda/queue"
)

// Delivering is a queue.Queue that hands each job to a Deliverer before
// Enqueue returns, and keeps the results: for tests that follow a request
// all the way to Discord without a store.
type Delivering struct {
	Deliverer queue.Deliverer
	Results   []queue.Result
}

var _ queue.Queue = (*Delivering)(nil)

// Enqueue delivers the job; the answer is "queued" whatever became of it.
func (d *Delivering) Enqueue(ctx context.Context, j queue.Job) (queue.Receipt, error) {
	d.Results = append(d.Results, d.Deliverer.Deliver(ctx, []queue.Job{j})...)
	return queue.Receipt{Status: "queued"}, nil
}
