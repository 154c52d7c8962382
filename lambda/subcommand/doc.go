// Package subcommand holds the bodies of the one-off subcommands (invoke,
// dlq, remind, digest, commands): each runs one job on the parts main
// built (Parts) and prints what it did. The table that names them, and
// their usage, is main's; this package neither chooses stores nor reads
// the environment.
//
// Must not import: local, invocation, accept/apigateway, store/awsclients.
package subcommand
