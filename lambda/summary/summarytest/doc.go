// Package summarytest has sample digests for tests of what shows them:
// a team's day, and a crowd that does not fit.
//
// Must not import: queue, deliver.
package summarytest
