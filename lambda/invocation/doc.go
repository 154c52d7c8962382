// Package invocation tells a Lambda invocation by its shape and hands it
// to the handler for it: an API Gateway event (payload 1.0 or 2.0), a
// batch of SQS records, or a scheduled event. One bootstrap serves every
// function of the template.
//
// Must not import: deliver, discord, store/sqs, store/dynamodb, local,
// subcommand.
package invocation
