package deliver

import (
	"clockify-discord-relay/lambda/deliver/coalesce"
	"clockify-discord-relay/lambda/queue"
	"clockify-discord-relay/lambda/secrets"
)

// batch is one delivery's jobs as they pass the stages, and what each
// stage learned of them.
type batch struct {
	jobs    []queue.Job
	results []queue.Result
	decided []bool // results[i] was settled before the sends

	sec     secrets.Values
	marks   map[string]queue.Mark // the journal's, by SendID
	items   []coalesce.Item       // each job's message and webhook
	starts  map[int]start         // stop → the message that announced its start
	edits   map[int]string        // item → the start message its stop edits
	pending []int                 // the jobs to send, in order
	left    map[string]bool       // gone routes whose jobs end here

	refresh   bool              // a board job is in the batch
	again     bool              // an earlier attempt began: it may have left the board behind
	answered  bool              // Discord answered a message of the batch
	announced map[string]string // entry id → the message that announced its start

	stateErr error // an event was not recorded in the state
	boardErr error // the board was not shown
}

func newBatch(jobs []queue.Job) *batch {
	return &batch{jobs: jobs, results: make([]queue.Result, len(jobs)), decided: make([]bool, len(jobs)), starts: map[int]start{}, left: map[string]bool{}, announced: map[string]string{}}
}

// retryAll gives every job err, to be tried again, and ends the delivery.
func (b *batch) retryAll(err error) bool {
	for i := range b.results {
		b.results[i] = queue.Result{State: queue.Retry, Err: err}
	}
	return false
}
