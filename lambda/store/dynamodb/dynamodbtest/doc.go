// Package dynamodbtest creates the relay's state table in an emulator
// (kumo), as template.yaml declares it.
package dynamodbtest
