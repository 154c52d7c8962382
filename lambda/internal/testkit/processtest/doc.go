// Package processtest helps tests that run the relay as a server or a
// process: a free port on the loopback interface, waiting until something
// listens on it, and a buffer to collect output from other goroutines.
//
// Must not import: deliver, accept/relay.
package processtest
