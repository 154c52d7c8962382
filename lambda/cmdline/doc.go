// Package cmdline is the bootstrap's command line: a table of
// subcommands (name, usage, run), from which help and dispatch are both
// derived. Package main holds the one table; this package holds no
// command and imports nothing of the relay's.
//
// Must not import: settings, queue, state, accept/relay, deliver.
package cmdline
