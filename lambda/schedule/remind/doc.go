// Package remind nudges whoever left a timer running: once a timer has run
// longer than a threshold, one reminder goes to the channel that announced
// it, as a job in the queue, in the channel's order like any message. The
// state store marks the reminder before it is queued, so a schedule that
// fires twice, two processes, or a restart never remind twice.
//
// Must not import: deliver, discord, message, accept/relay, store/sqs.
package remind
