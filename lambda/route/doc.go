// Package route decides where each event goes: to which Discord webhook,
// or nowhere. Rules are tried in order and the first that matches wins;
// events no rule matches go to the default webhook.
//
// Must not import: queue, state, discord, message, deliver, accept/relay.
package route
