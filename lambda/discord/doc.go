// Package discord delivers messages to Discord channel webhooks.
package discord
