// Package deliver is the relay's second half: it takes the jobs waiting
// for one destination, in order, coalesces them, formats them and
// delivers them to Discord, and reports what became of each job. The same
// code runs behind the SQS consumer in Lambda and the local queue's
// worker, which one-off commands drain before they end.
package deliver
