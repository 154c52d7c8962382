// Package simulation is a deterministic simulation of the whole relay:
// Clockify's webhooks go through the real accept half into a model of an
// SQS FIFO queue, Lambda's trigger hands batches to the real consumer and
// deliverer, and the real Discord client talks to a model of Discord. The
// models inject the faults that production meets: rate limits, 5xx,
// answers slower than the deadline, connections dropped before and after
// the request was written, deleted webhooks and messages, function
// timeouts and crashes between any two calls, throttled stores and lost
// writes. After each run the invariants of "exactly once, or say so" are
// checked against what the model of Clockify knows happened.
//
// Each seed runs in a testing/synctest bubble, so time is simulated and a
// day passes in milliseconds. Faults are drawn from the seed and the
// identity of each call, not from the order in which goroutines run, so a
// failing seed replays with the same faults (SEED=S).
//
// Must not import: local, subcommand, settings, invocation.
package simulation
