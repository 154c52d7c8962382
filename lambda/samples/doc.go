// Package samples finds the sample events in events/, which tests and
// sam local invoke use: Clockify's webhooks as API Gateway events, and the
// other functions' events by the prefix of their names.
package samples
