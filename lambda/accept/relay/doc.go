// Package relay is the relay's first half, the one Clockify waits for: a
// webhook request is verified, decoded and routed, its delivery is put on
// the queue, and the caller gets an answer. The apigateway and httpserver
// packages adapt it to Lambda and to plain HTTP; the deliver package is
// the second half.
package relay
