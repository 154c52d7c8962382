package queue

import (
	"context"
	"time"
)

// Outbox holds a group's jobs where the delivery function can gather
// more than one batch of them. Lambda's SQS trigger hands a FIFO group's
// jobs out at most 10 at a time, and no more of the group while those are
// in flight; parked here and taken out together, a rush goes as a few
// lists instead of a message per 10 events, as locally.
//
// A parked job is deleted from the queue: the outbox holds it until it is
// delivered or reported. Its key orders it within the group.
type Outbox interface {
	// Park keeps jobs in group's outbox under their keys, replacing any
	// already there (a batch that comes back is parked again unchanged).
	Park(ctx context.Context, group string, jobs []Parked) error
	// Parked is group's outbox: up to n jobs in key order, and when its
	// last delivery went out (zero: never).
	Parked(ctx context.Context, group string, n int) (last time.Time, jobs []Parked, err error)
	// Unpark forgets the jobs with these keys.
	Unpark(ctx context.Context, group string, keys []string) error
	// Sent records when group's last delivery went out, for its pace.
	Sent(ctx context.Context, group string, at time.Time) error
}

// Parked is one job in an outbox.
type Parked struct {
	// Key orders the group's jobs: their place in the queue.
	Key string `json:"key"`
	Job Job    `json:"job"`
	// Tried is how many times it was tried since it was parked.
	Tried int `json:"tried,omitempty"`
}
