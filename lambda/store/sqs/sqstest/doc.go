// Package sqstest runs SQS in process (kumo) with the relay's FIFO queue
// and its dead-letter queue, and plays Lambda's SQS trigger, which kumo
// does not: receive a batch, hand it to the function, delete what
// succeeded and leave what failed.
//
// Must not import: store/sqs, queue, deliver.
package sqstest
