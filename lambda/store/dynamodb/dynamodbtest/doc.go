// Package dynamodbtest creates the relay's state table in an emulator
// (kumo), as template.yaml declares it.
//
// Must not import: deliver, store/sqs, store/localstore.
package dynamodbtest
