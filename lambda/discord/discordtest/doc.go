// Package discordtest is a local stand-in for Discord's Execute Webhook
// endpoint: it checks messages against Discord's limits, answers 204 (or 200
// with ?wait=true), keeps a rate-limit bucket with Discord's headers and 429
// bodies, and can be told to fail, slow down or forget the webhook.
//
// Must not import: queue, state, deliver.
package discordtest
