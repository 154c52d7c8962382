// Package dynamodb keeps the relay's state (state.Store) in a DynamoDB
// table, as Lambda's functions share it. Under each channel's partition
// (state.ChannelKey): one item per entry (running timer, ledger record),
// its board, its digest claims, and what is known of the channel, which
// the API function reads for the interactions. Under partitions of their
// own: each route's channel (ROUTE#), each entry's placement (PLACE#),
// the API function's dedupe keys (DEDUP#), the send journal (SEND#) and
// each group's outbox (OUTBOX#: parked jobs, and its last delivery).
// Items that expire carry a TTL attribute. Every write is conditional on
// what was read, so concurrent deliveries cannot undo each other.
//
// Table is the table; each contract has a type of its own over it, in
// Table's fields: State (Sessions, Places and Bookings, the ledger),
// Journal, Keys and Outbox. It imports the shared vocabulary (queue,
// state, clockify), never the halves.
//
// Must not import: deliver, accept/relay, discord, store/sqs,
// store/localstore.
package dynamodb
