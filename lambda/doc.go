// Command bootstrap is the Clockify to Discord relay. Inside Lambda
// (AWS_LAMBDA_RUNTIME_API set) it serves every function of the template
// and tells their events by shape: API Gateway events are verified,
// decoded, routed and enqueued (or, on /discord/interactions, answered);
// SQS batches are delivered; scheduled events run reminders and digests.
// Elsewhere it serves POST /clockify (and /discord/interactions) on
// 127.0.0.1:$PORT and delivers from a queue in DATA_DIR in the same
// process. Subcommands run one job and exit: "invoke FILE", "dlq
// list|redrive", "remind", "digest" and "commands". The other commands
// are under lambda/cmd: setup (Clockify's webhooks and their secrets),
// send (a sample to the local relay), rehearse (the deploy path against
// an AWS emulator) and benchreport (BENCHMARKS.md from make bench).
package main
