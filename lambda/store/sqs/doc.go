// Package sqs adapts the delivery queue to an Amazon SQS FIFO queue: Queue
// sends each job with its route's hash (queue.Destination) as
// MessageGroupId and its key as MessageDeduplicationId; Consumer is the
// delivery function's handler for Lambda's SQS trigger, which, with an
// outbox (queue.Outbox), gathers a busy group's batches there and delivers
// them together at the channel's pace; DeadLetters lists and redrives the
// dead-letter queue.
//
// Must not import: deliver, accept/relay, discord, store/dynamodb,
// store/localstore.
package sqs
