// Package statetest checks that a state.Store keeps running timers as the
// relay needs, whatever keeps them (bbolt locally, DynamoDB in Lambda).
//
// Must not import: deliver, store/dynamodb, store/localstore.
package statetest
