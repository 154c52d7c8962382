// Command bootstrap is the Clockify to Discord relay, and this package
// only wires it: the settings (package settings) build the halves, the
// stores and the modes, and the subcommand table (subcommands.go) is the
// only list of the commands. Inside Lambda (AWS_LAMBDA_RUNTIME_API set)
// it serves every function of the template and tells their events by
// shape (package invocation). Elsewhere it runs local mode (package
// local). Subcommands run one job and exit (package subcommand). The other
// commands are under lambda/cmd: setup, send, rehearse, benchreport and
// movedclock.
//
// Must not import: internal/testkit/samples, internal/testkit/processtest,
// internal/testkit/throttle, internal/testkit/simulation.
package main
