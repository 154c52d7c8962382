package main

import (
	"os"
	"time"

	"clockify-discord-relay/lambda/command"
	"clockify-discord-relay/lambda/queue"
	"clockify-discord-relay/lambda/state"
	"clockify-discord-relay/lambda/store/localstore"
	"clockify-discord-relay/lambda/store/sqs"
)

// oneOffWait bounds how long a one-off delivery waits for Discord's holds.
const oneOffWait = 30 * time.Second

// apiQueue is where the API function puts jobs: the SQS queue (deduped in
// STATE_TABLE), or a temporary local queue when there is none (sam local
// invoke, bootstrap invoke).
func (w stores) apiQueue() (*command.Jobs, error) {
	if w.s.DeliveryQueueURL == "" {
		return w.tempQueue(nil)
	}
	var q queue.Queue = sqs.NewQueue(w.sqs, w.s.DeliveryQueueURL)
	if w.s.StateTable != "" {
		// SQS remembers keys 5 minutes; the table, a day.
		q = queue.Deduped{Queue: q, Keys: w.stateTable().Keys, Logger: w.logger, Now: time.Now}
	}
	return &command.Jobs{Queue: q, Close: func() {}}, nil
}

// jobQueue is where digests and reminders from store go: the SQS queue,
// else the local store's own queue, else a temporary one.
func (w stores) jobQueue(store state.Store) (*command.Jobs, error) {
	if w.running != nil {
		// The serving relay's worker delivers them.
		return &command.Jobs{Queue: w.running.Queue, Close: func() {}}, nil
	}
	if w.s.DeliveryQueueURL != "" {
		return &command.Jobs{Queue: sqs.NewQueue(w.sqs, w.s.DeliveryQueueURL), Close: func() {}}, nil
	}
	if local, ok := store.(localstore.State); ok {
		return w.drained(local.Sessions.Store, store, func() {}), nil
	}
	return w.tempQueue(store)
}

// tempQueue is a local queue in a temporary folder, removed by close.
func (w stores) tempQueue(st state.Store) (*command.Jobs, error) {
	dir, err := os.MkdirTemp("", "relay-queue-")
	if err != nil {
		return nil, err
	}
	local, err := localstore.Open(dir)
	if err != nil {
		os.RemoveAll(dir)
		return nil, err
	}
	return w.drained(local, st, func() { local.Close(); os.RemoveAll(dir) }), nil
}

// drained is a queue in local, delivered with st's state after each job.
func (w stores) drained(local *localstore.Store, st state.Store, close func()) *command.Jobs {
	q := &localstore.Immediate{Queue: localstore.New(local, w.deliverer(queueClient(), st), w.logger), Wait: oneOffWait}
	return &command.Jobs{Queue: q, Drained: q, Close: close}
}
