// Package digest posts the daily or weekly digests: when the schedule
// fires or the command runs, it reads the ledger, adds up each
// destination's period (package summary) and queues one digest job per
// destination, once per period, to be delivered like any message. All of
// a digest lives here: its schedule and its jobs in this package, how
// Discord shows it in report/, its chart in chart/.
//
// Must not import: deliver, accept/relay, store/sqs, store/dynamodb,
// store/localstore.
package digest
