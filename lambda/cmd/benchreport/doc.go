// Command benchreport turns `go test -bench` output into BENCHMARKS.md: one
// table of the relay's figures against its targets, and the machine they
// ran on. make bench runs it.
//
// Must not import: clockify, queue, accept/relay, deliver.
package main
