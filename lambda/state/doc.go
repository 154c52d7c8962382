// Package state is the relay's memory of each destination channel: the
// timers running now, which its "Working now" board lists, and the
// board's message. Transition decides how an event changes a running
// entry, so that every store (the local bbolt file; DynamoDB in Lambda)
// applies events the same way: idempotently, and in any order.
//
// Must not import: queue, discord, message, deliver, store/dynamodb,
// store/localstore.
package state
