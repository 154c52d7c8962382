// Package throttle models API Gateway's throttle (a token bucket of
// ThrottlingBurstLimit tokens refilled at ThrottlingRateLimit a second),
// so that the template's limits are checked against a rush of webhooks:
// by the deployment tests and the deploy rehearsal, never by the relay.
//
// Must not import: accept/relay, accept/apigateway, deliver.
package throttle
