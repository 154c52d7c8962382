// Package deliver is the relay's second half: it takes the jobs waiting
// for one route, in order, and passes them through a pipeline of stages
// (New lists them in order), each a small type with one job that reads and
// writes one batch: read the secrets and the journal, find the Discord
// channel they are kept in and the messages that announced the stops'
// starts, format each, decide which are sent, coalesce
// them into as few messages as Discord's limits allow and send each
// between two journal marks, remember what they did in that channel (the
// ledger, the running timers, the board), and settle what became of each
// job. The same code runs behind the SQS consumer in Lambda and the local
// queue's worker, which one-off commands drain before they end.
//
// It imports the shared vocabulary (queue, state, discord, message,
// secrets) and coalesce, never the accept half, the adapters or main.
//
// Must not import: accept/relay, accept/apigateway, accept/interactions,
// invocation, local, subcommand, store/sqs, store/dynamodb,
// store/localstore.
package deliver
