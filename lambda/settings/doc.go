// Package settings reads the relay's configuration from the environment,
// once, at start: the feature settings, the places of its queue and
// state, and the secrets, each given as a value (NAME) or as an SSM
// parameter (NAME_PARAMETER), read later by Source with the same parsing.
// It holds no wiring; package main builds the relay from a Settings. It
// must not import either half (accept/relay, deliver) nor a store.
package settings
