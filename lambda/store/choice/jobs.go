package choice

import (
	"fmt"

	"clockify-discord-relay/lambda/queue"
	"clockify-discord-relay/lambda/store/localstore"
)

// Jobs is the queue that a one-off job (an invocation without a delivery
// queue, invoke, digest, remind) posts through: the delivery queue when
// there is one, whose consumer delivers; else a local queue drained after
// each job.
type Jobs struct {
	queue.Queue
	Drained *localstore.Immediate // nil: the delivery queue's consumer delivers
	Close   func()
}

// Outcome is an error when a job drained here was not delivered.
func (j *Jobs) Outcome() error {
	if j.Drained == nil {
		return nil
	}
	t := j.Drained.Total
	if n := t.Unknown + t.Dead + t.Waiting; n > 0 {
		return fmt.Errorf("%d delivered, %d not (%d outcome unknown, %d refused, %d waiting for a retry): %s",
			t.Delivered, n, t.Unknown, t.Dead, t.Waiting, t.LastError)
	}
	return nil
}
