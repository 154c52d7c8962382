package main

import (
	"context"
	"fmt"
	"strings"
	"time"

	"clockify-discord-relay/lambda/accept/interactions"
	"clockify-discord-relay/lambda/clockify"
	"clockify-discord-relay/lambda/discord"
	"clockify-discord-relay/lambda/route"
	"clockify-discord-relay/lambda/secrets"
)

// secretsTTL is how long secrets read from SSM are kept, so a rotated secret
// takes effect within this time without a redeploy.
const secretsTTL = 5 * time.Minute

// newSecretSource gives the relay its secrets: the values set in the
// environment, and the rest from SSM, read lazily and cached.
func newSecretSource(s settings, clients *awsClients, now func() time.Time) secrets.Source {
	static := secrets.Values{
		DiscordWebhookURL: s.discordURL,
		Signing:           s.signingSecrets,
		Routes:            s.routes,
		DiscordPublicKey:  s.publicKey,
		DiscordBotToken:   s.botToken,
	}
	names := s.parameterNames()
	if len(names) == 0 {
		return secrets.Static(static)
	}
	return secrets.NewCached(func(ctx context.Context) (secrets.Values, error) {
		params, err := clients.parameters.get(ctx)
		if err != nil {
			return secrets.Values{}, err
		}
		values, err := params.Get(ctx, names...)
		if err != nil {
			return secrets.Values{}, err
		}
		out := static
		if v, ok := values[s.discordURLParameter]; ok {
			out.DiscordWebhookURL = strings.TrimSpace(v)
			if err := discord.CheckWebhookURL(out.DiscordWebhookURL); err != nil {
				return secrets.Values{}, fmt.Errorf("%s: %w", s.discordURLParameter, err)
			}
		}
		if v, ok := values[s.signingParameter]; ok {
			if out.Signing, err = clockify.ParseSecrets(v); err != nil {
				return secrets.Values{}, fmt.Errorf("%s: %w", s.signingParameter, err)
			}
		}
		if v, ok := values[s.routesParameter]; ok {
			if out.Routes, err = route.Parse(v, discord.CheckWebhookURL); err != nil {
				return secrets.Values{}, fmt.Errorf("%s: %w", s.routesParameter, err)
			}
			if out.Routes, err = s.completeRoutes(out.Routes, s.routeWebhooks, s.routeWebhooks != nil); err != nil {
				return secrets.Values{}, fmt.Errorf("%s: %w", s.routesParameter, err)
			}
		}
		if v, ok := values[s.routeWebhooksParameter]; ok {
			hooks, err := route.ParseWebhooks(v, discord.CheckWebhookURL)
			if err == nil {
				out.Routes, err = out.Routes.WithWebhooks(hooks)
			}
			if err == nil {
				err = out.Routes.Complete()
			}
			if err != nil {
				return secrets.Values{}, fmt.Errorf("%s: %w", s.routeWebhooksParameter, err)
			}
		}
		if v, ok := values[s.publicKeyParameter]; ok {
			out.DiscordPublicKey = strings.TrimSpace(v)
			if _, err := interactions.ParseKey(out.DiscordPublicKey); err != nil {
				return secrets.Values{}, fmt.Errorf("%s: %w", s.publicKeyParameter, err)
			}
		}
		if v, ok := values[s.botTokenParameter]; ok {
			out.DiscordBotToken = strings.TrimSpace(v)
		}
		return out, nil
	}, secretsTTL, now)
}
