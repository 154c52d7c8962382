// Package sqs adapts the delivery queue to an Amazon SQS FIFO queue: Queue
// sends each job with its webhook as MessageGroupId and its key as
// MessageDeduplicationId; Consumer is the delivery function's handler for
// Lambda's SQS trigger; DeadLetters lists and redrives the dead-letter
// queue.
package sqs
