// Package secrets holds what both halves of the relay need and must keep
// from everyone: the Discord webhook URLs (the default one and the
// routes') and Clockify's signing tokens, read from the environment or
// SSM and cached (Cached), with the last good values serving while SSM
// fails.
//
// Must not import: queue, state, discord, deliver, accept/relay,
// store/ssm.
package secrets
