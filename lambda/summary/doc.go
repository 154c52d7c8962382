// Package summary adds up a period's ledger into what a digest shows:
// totals per user and per project, the billable share, the entries, and
// the timers still running. It knows nothing of Discord or stores.
//
// Must not import: queue, discord, message, schedule/digest/chart,
// schedule/digest/report, deliver.
package summary
