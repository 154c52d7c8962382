// Package deliver is the relay's second half: it takes the jobs waiting
// for one route, in order, finds the Discord channel they are kept in,
// formats each, coalesces them into as few messages as Discord's limits
// allow, delivers them to Discord, remembers what they did in that
// channel's state (the running timers, the ledger, the board), and
// reports what became of each job. The same code runs behind the SQS
// consumer in Lambda and the local queue's worker, which one-off commands
// drain before they end.
package deliver
