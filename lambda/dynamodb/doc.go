// Package dynamodb keeps the relay's state (state.Store) in a DynamoDB
// table, as Lambda's functions share it: one item per running entry and
// one per board, under the destination's partition, with a TTL attribute.
// Every write is conditional on what was read, so concurrent deliveries
// cannot undo each other.
package dynamodb
