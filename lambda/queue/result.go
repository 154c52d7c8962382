package queue

import (
	"context"
	"time"
)

// State is what became of a job after a delivery attempt.
type State int

const (
	// Delivered: Discord accepted the message that carried it.
	Delivered State = iota
	// Retry: not delivered yet; try again after Result.Hold at the
	// earliest (0: after the policy's backoff).
	Retry
	// Dead: Discord will never accept it; dead-letter it now.
	Dead
	// Unknown: Discord may have posted it. Sending it again could post it
	// twice, so it is dead-lettered for a person to check and redrive.
	Unknown
)

func (s State) String() string { return [...]string{"delivered", "retry", "dead", "unknown"}[s] }

// Result is one job's outcome.
type Result struct {
	State State
	// Hold is how long Discord asked to wait, when it did (a 429).
	Hold time.Duration
	// Gone: Discord will take nothing more for this webhook.
	Gone bool
	// Settled: Discord's part is done (shown, refused or unknown, and in
	// the journal); the job is retried for the state alone, which a job
	// past MaxAge still needs: it gets MaxAge more.
	Settled bool
	// Err says why the job was not delivered; it never holds a secret.
	Err error
}

// Deliverer delivers the jobs of one group, in order, and returns one
// result per job, in the same order. After the first job to Retry, every
// later job of the group is Retry too, so the group keeps its order.
type Deliverer interface {
	Deliver(ctx context.Context, jobs []Job) []Result
}

// Receipt is what Enqueue did with a job.
type Receipt struct {
	// Status is "queued", or "duplicate" (a redelivery of the entry's
	// latest change).
	Status string
}

// Queue takes jobs for delivery. An error means the caller must answer
// so that Clockify sends it again: the job was not stored, or it was and
// the queue will take the resend as the same job.
type Queue interface {
	Enqueue(ctx context.Context, job Job) (Receipt, error)
}

// NotStoredError is an Enqueue that could not store the job.
type NotStoredError struct{ Err error }

func (e *NotStoredError) Error() string { return "queue: the job was not stored: " + e.Err.Error() }
func (e *NotStoredError) Unwrap() error { return e.Err }

// DeadLetter is a job that will not be delivered without help: Discord
// refused it for good, or it was not delivered within MaxAge. Its fields
// are the job's own, so a job dead-lettered by SQS's redrive policy reads
// as a DeadLetter too.
type DeadLetter struct {
	Job
	Reason   string    `json:"reason,omitempty"`
	DeadAt   time.Time `json:"deadAt,omitzero"`
	Attempts int       `json:"attempts,omitempty"`
}
