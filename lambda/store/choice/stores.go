package choice

import (
	"log/slog"

	"clockify-discord-relay/lambda/queue"
	"clockify-discord-relay/lambda/state"
	"clockify-discord-relay/lambda/store/dynamodb"
	"clockify-discord-relay/lambda/store/localstore"
	"clockify-discord-relay/lambda/store/sqs"
)

// Stores choose by where the settings put the queue and the state.
type Stores struct {
	QueueURL   string // DELIVERY_QUEUE_URL: the SQS FIFO queue
	StateTable string // STATE_TABLE: the DynamoDB table
	DataDir    string // DATA_DIR: the local store
	SQS        sqs.ClientFunc
	DynamoDB   dynamodb.ClientFunc
	Logger     *slog.Logger
	// Deliver is the deliver half, keeping its state in st (nil: none),
	// for the queues drained here.
	Deliver func(st state.Store) queue.Deliverer
	// Running, when set, is the serving relay's store and queue: a
	// command it runs for another process uses them.
	Running *Running
}

// Running is the store and queue of the relay that serves locally.
type Running struct {
	Store *localstore.Store
	Queue queue.Queue
}

// Any is the state table when STATE_TABLE is set, else the local store
// in DATA_DIR, and what closes it.
func (s Stores) Any() (state.Store, func(), error) {
	if table := s.Table(); table != nil {
		return table.State, func() {}, nil
	}
	store, closeStore, err := s.Local()
	if err != nil {
		return nil, nil, err
	}
	return store.State, closeStore, nil
}

// Local is DATA_DIR's store, or the serving relay's when it runs the
// command.
func (s Stores) Local() (*localstore.Store, func(), error) {
	if s.Running != nil {
		return s.Running.Store, func() {}, nil
	}
	local, err := localstore.Open(s.DataDir)
	if err != nil {
		return nil, nil, err
	}
	return local, func() { local.Close() }, nil
}

// Table is the DynamoDB state table, or nil without STATE_TABLE.
func (s Stores) Table() *dynamodb.Table {
	if s.StateTable == "" {
		return nil
	}
	return dynamodb.New(s.DynamoDB, s.StateTable)
}

// Journal is the send journal kept beside store: each store keeps one,
// in a type of its own.
func Journal(store state.Store) queue.Journal {
	switch s := store.(type) {
	case localstore.State:
		return s.Sessions.Store.Journal
	case dynamodb.State:
		return s.Sessions.Table.Journal
	}
	return nil
}
