// Package schedule is the relay's scheduled work in one place: the jobs
// (reminders of forgotten timers in remind/, digests in digest/), run by
// Lambda's schedules by name, and in local mode by a minute's tick that
// also catches up a firing the relay was not running for. Every job posts
// through the queue.
//
// Must not import: queue, state, deliver, store/sqs.
package schedule
