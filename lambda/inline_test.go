package main

import (
	"log/slog"
	"time"

	"clockify-discord-relay/lambda/accept/relay"
	"clockify-discord-relay/lambda/deliver"
	"clockify-discord-relay/lambda/discord"
	"clockify-discord-relay/lambda/queue/queuetest"
)

// newRelay is the accept half with inline delivery through client, so a
// test sees Discord's answer in the response.
func newRelay(s settings, client *discord.Client, logger *slog.Logger, allowUnsigned bool, observer relay.Observer) *relay.Handler {
	secrets := newSecretSource(s, newAWSClients(), time.Now)
	d := deliver.New(secrets, client, logger, deliver.Options{Language: s.language, Style: s.style, AllowLinks: s.allowLinks})
	return relay.NewHandler(secrets, &queuetest.Delivering{Deliverer: d}, logger, relay.Options{
		AllowUnsigned: allowUnsigned && !s.signingConfigured(),
		Observer:      observer,
	})
}
