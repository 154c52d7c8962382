// Package clockify reads the webhooks Clockify sends: the time entry in the
// body, the event type and the signing token in the headers.
//
// Must not import: route, queue, state, discord, message.
package clockify
