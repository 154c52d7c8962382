package main

import (
	"log/slog"
	"time"

	"clockify-discord-relay/lambda/accept/relay"
	"clockify-discord-relay/lambda/deliver"
	"clockify-discord-relay/lambda/discord"
	"clockify-discord-relay/lambda/queue/queuetest"
	"clockify-discord-relay/lambda/settings"
)

// newRelay is the accept half with inline delivery through client, so a
// test sees Discord's answer in the response.
func newRelay(s settings.Settings, client *discord.Client, logger *slog.Logger, allowUnsigned bool, observer relay.Observer) *relay.Handler {
	secrets := s.Source(nil, time.Now) // values only: tests give no parameter
	d := deliver.New(secrets, client, logger, deliver.Options{Language: s.Language, Style: s.Style, AllowLinks: s.AllowLinks})
	return relay.NewHandler(secrets, &queuetest.Delivering{Deliverer: d}, logger, relay.Options{
		AllowUnsigned: allowUnsigned && !s.SigningConfigured(),
		Observer:      observer,
	})
}
