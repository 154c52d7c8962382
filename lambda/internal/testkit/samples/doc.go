// Package samples finds the sample events in events/, which tests and
// sam local invoke use: Clockify's webhooks as API Gateway events, and the
// other functions' events by the prefix of their names. Moved gives a
// webhook sample whose times are now, for what compares them with the
// clock (make send, and the tests).
//
// Must not import: deliver, accept/relay, store/sqs.
package samples
