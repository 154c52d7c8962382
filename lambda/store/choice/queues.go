package choice

import (
	"os"
	"time"

	"clockify-discord-relay/lambda/queue"
	"clockify-discord-relay/lambda/state"
	"clockify-discord-relay/lambda/store/localstore"
	"clockify-discord-relay/lambda/store/sqs"
)

// oneOffWait bounds how long a one-off delivery waits for Discord's holds.
const oneOffWait = 30 * time.Second

// API is where the API function puts jobs: the SQS queue (deduped in
// STATE_TABLE), or a temporary local queue when there is none (sam local
// invoke, bootstrap invoke).
func (s Stores) API() (*Jobs, error) {
	if s.QueueURL == "" {
		return s.temp(nil)
	}
	var q queue.Queue = sqs.NewQueue(s.SQS, s.QueueURL)
	if s.StateTable != "" {
		// SQS remembers keys 5 minutes; the table, a day.
		q = queue.Deduped{Queue: q, Keys: s.Table().Keys, Logger: s.Logger, Now: time.Now}
	}
	return &Jobs{Queue: q, Close: func() {}}, nil
}

// Jobs is where digests and reminders from store go: the SQS queue,
// else the local store's own queue, else a temporary one.
func (s Stores) Jobs(store state.Store) (*Jobs, error) {
	if s.Running != nil {
		// The serving relay's worker delivers them.
		return &Jobs{Queue: s.Running.Queue, Close: func() {}}, nil
	}
	if s.QueueURL != "" {
		return &Jobs{Queue: sqs.NewQueue(s.SQS, s.QueueURL), Close: func() {}}, nil
	}
	if local, ok := store.(localstore.State); ok {
		return s.drained(local.Sessions.Store, store, func() {}), nil
	}
	return s.temp(store)
}

// temp is a local queue in a temporary folder, removed by close.
func (s Stores) temp(st state.Store) (*Jobs, error) {
	dir, err := os.MkdirTemp("", "relay-queue-")
	if err != nil {
		return nil, err
	}
	local, err := localstore.Open(dir)
	if err != nil {
		os.RemoveAll(dir)
		return nil, err
	}
	return s.drained(local, st, func() { local.Close(); os.RemoveAll(dir) }), nil
}

// drained is a queue in local, delivered with st's state after each job.
func (s Stores) drained(local *localstore.Store, st state.Store, close func()) *Jobs {
	q := &localstore.Immediate{Queue: localstore.New(local, s.Deliver(st), s.Logger), Wait: oneOffWait}
	return &Jobs{Queue: q, Drained: q, Close: close}
}
