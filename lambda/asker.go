package main

import (
	"context"
	"crypto/ed25519"
	"errors"

	"clockify-discord-relay/lambda/accept/interactions"
	"clockify-discord-relay/lambda/accept/relay"
	"clockify-discord-relay/lambda/discord"
	"clockify-discord-relay/lambda/state"
)

// asker answers Discord's interactions from st; nil without
// DISCORD_PUBLIC_KEY(_PARAMETER) or without a store, and the endpoint
// answers 404.
func (w *wiring) asker(st interactions.State) *interactions.Handler {
	if !w.s.InteractionsConfigured() || st == nil {
		return nil
	}
	key := func(ctx context.Context) (ed25519.PublicKey, error) {
		v, err := w.secrets.Secrets(ctx)
		if err != nil {
			return nil, err
		}
		if v.DiscordPublicKey == "" {
			return nil, errors.New("the public key's parameter is empty")
		}
		return interactions.ParseKey(v.DiscordPublicKey)
	}
	var channels interactions.Channels = interactions.Remembered{State: st}
	if w.printing() {
		channels = interactions.Printed{Dest: state.ChannelKey(discord.PrintedChannel)}
	}
	return interactions.NewHandler(key, st, channels, w.logger, interactions.Options{
		ApplicationID: w.s.ApplicationID, Language: w.s.Language, Zone: w.s.Zone, AllowLinks: w.s.AllowLinks,
	})
}

// localAsker is asker as local mode's server takes it: a nil interface
// when there is none.
func (w *wiring) localAsker(st interactions.State) relay.Asker {
	if a := w.asker(st); a != nil {
		return a
	}
	return nil
}
