// Package settings reads the relay's configuration from the environment,
// once, at start, from two tables: settingTable (the feature settings,
// the places of its queue and state) and secretTable (the secrets, each
// given as a value, NAME, or as an SSM parameter, NAME_PARAMETER, read
// later by Source with the same parsing). The usage's list of settings
// (Names) is derived from both. It holds no wiring and opens nothing;
// package main builds the relay from a Settings.
//
// Must not import: local, subcommand, store/choice, store/awsclients,
// store/localstore, store/dynamodb.
package settings
