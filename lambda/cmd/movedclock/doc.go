// Command movedclock writes a build overlay (go build -overlay) in which
// the standard library's time.Now reads RELAY_TEST_CLOCK, an RFC 3339
// instant, and runs from there: `make anyday` runs the tests with it, so
// that a fixture that keeps an absolute date and compares it with now
// fails today instead of on the day its date grows old. Inside a
// testing/synctest bubble the moved clock starts the bubble at that
// instant too. Without RELAY_TEST_CLOCK, time is unmoved.
//
// Must not import: clockify, queue, accept/relay, deliver.
package main
