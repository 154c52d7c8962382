// Package report is a digest as Discord shows it: a period's summary in
// words (in the language's wording, from message), and its chart
// attached. A digest job's delivery and /hours both show it.
//
// Must not import: queue, deliver, accept/relay,
// accept/interactions, store/sqs, store/dynamodb, store/localstore.
package report
