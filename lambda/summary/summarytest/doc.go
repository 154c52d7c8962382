// Package summarytest has sample digests for tests of what shows them:
// a team's day, and a crowd that does not fit.
package summarytest
