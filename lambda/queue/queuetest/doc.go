// Package queuetest holds what tests of queues and of their users share:
// queues that keep (Recorder) or deliver (Delivering) what they are given,
// and the conformance tests every store's dedupe and journal must pass.
//
// Must not import: discord, deliver, store/sqs, store/localstore.
package queuetest
