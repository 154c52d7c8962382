package deliver

import (
	"context"

	"clockify-discord-relay/lambda/queue"
)

// Inline is the queue for when there is none (sam local invoke, make
// invoke, a function without DELIVERY_QUEUE_URL): each job is delivered
// at once, within its request, by the same Deliverer, and a failure goes
// back to the caller.
type Inline struct{ d *Deliverer }

var _ queue.Queue = Inline{}

// NewInline delivers through d.
func NewInline(d *Deliverer) Inline { return Inline{d: d} }

// Enqueue delivers the job now. A failure is a queue.NotDeliveredError:
// retryable when Discord may take it later.
func (q Inline) Enqueue(ctx context.Context, job queue.Job) (queue.Receipt, error) {
	r := q.d.Deliver(ctx, []queue.Job{job})[0]
	switch r.State {
	case queue.Delivered:
		return queue.Receipt{Status: "delivered"}, nil
	case queue.Unknown:
		return queue.Receipt{Status: "unknown"}, r.Err
	}
	return queue.Receipt{}, &queue.NotDeliveredError{Retryable: r.State == queue.Retry, Err: r.Err}
}
