// Package choice picks the relay's stores and queues from where the
// settings put them: DynamoDB and SQS when they are configured; else the
// local store in DATA_DIR, or the one the serving relay holds; else a
// temporary local queue drained after each job. It opens adapters and
// builds neither half: a drained queue delivers through the Deliver main
// gives it.
//
// Must not import: settings, local, subcommand, invocation, deliver,
// accept/apigateway.
package choice
