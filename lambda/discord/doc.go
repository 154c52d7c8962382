// Package discord delivers messages to Discord channel webhooks.
//
// Must not import: clockify, queue, state, message, deliver.
package discord
