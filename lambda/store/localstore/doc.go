// Package localstore is local mode's store: one bbolt file under DATA_DIR
// that holds the delivery queue (jobs, the keys of recently accepted jobs,
// dead letters) and the relay's state (running timers, boards), and a
// worker in the same process that drains the queue through the same
// Deliverer as the Lambda consumer. Every Enqueue is committed to disk
// before the relay answers, so a kill -9 loses no acknowledged event.
//
// Store is the file and its queue; each other contract has a type of its
// own over it, in Store's fields: State (Sessions, Places and Bookings, the
// ledger), Journal and Outbox. It imports the shared vocabulary (queue,
// state, clockify), never the halves.
//
// Must not import: deliver, accept/relay, discord, store/sqs,
// store/dynamodb.
package localstore
