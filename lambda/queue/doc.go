// Package queue is the middle of the relay, between its two halves. The
// accept half turns a verified, decoded and routed webhook into a Job and
// enqueues it; the deliver half takes the jobs of one route (its group), in
// order, and reports each one's Result. Policy decides what a failure
// means: try again later, or give up and dead-letter.
//
// The adapters: localstore (an embedded store, for local mode) and sqs
// (an SQS FIFO queue, in Lambda).
//
// Must not import: discord, message, deliver, accept/relay, store/sqs,
// store/localstore.
package queue
