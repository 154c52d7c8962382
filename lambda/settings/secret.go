package settings

import (
	"strings"

	"clockify-discord-relay/lambda/accept/interactions"
	"clockify-discord-relay/lambda/clockify"
	"clockify-discord-relay/lambda/discord"
	"clockify-discord-relay/lambda/route"
	"clockify-discord-relay/lambda/secrets"
)

// The settings that may be secrets: NAME holds the value, NAME_PARAMETER
// names an SSM parameter that holds it, and the value wins.
const (
	DiscordWebhookURL = "DISCORD_WEBHOOK_URL"
	SigningSecrets    = "CLOCKIFY_SIGNING_SECRETS"
	Routes            = "ROUTES"
	RouteWebhooks     = "ROUTE_WEBHOOKS"
	DiscordPublicKey  = "DISCORD_PUBLIC_KEY"
	DiscordBotToken   = "DISCORD_BOT_TOKEN"
)

// ParameterSuffix turns a secret's name into its SSM parameter's setting.
const ParameterSuffix = "_PARAMETER"

// secret is one of them and its parsing, the same for a value from the
// environment and for one from SSM.
type secret struct {
	name  string
	parse func(v string, into *parsed) error
}

// parsed is what the secrets hold so far: the route webhooks wait apart
// until the routes take them.
type parsed struct {
	secrets.Values
	hooks map[string]string
}

// secretTable lists the secrets in the order they are parsed.
var secretTable = []secret{
	{DiscordWebhookURL, func(v string, p *parsed) error {
		p.DiscordWebhookURL = strings.TrimSpace(v)
		return discord.CheckWebhookURL(p.DiscordWebhookURL)
	}},
	{SigningSecrets, func(v string, p *parsed) (err error) {
		p.Signing, err = clockify.ParseSecrets(v)
		return err
	}},
	{RouteWebhooks, func(v string, p *parsed) (err error) {
		p.hooks, err = route.ParseWebhooks(v, discord.CheckWebhookURL)
		return err
	}},
	{Routes, func(v string, p *parsed) (err error) {
		p.Routes, err = route.Parse(v, discord.CheckWebhookURL)
		return err
	}},
	{DiscordPublicKey, func(v string, p *parsed) error {
		p.DiscordPublicKey = strings.TrimSpace(v)
		_, err := interactions.ParseKey(p.DiscordPublicKey)
		return err
	}},
	{DiscordBotToken, func(v string, p *parsed) error {
		p.DiscordBotToken = strings.TrimSpace(v)
		return nil
	}},
}

// completeRoutes gives the rules their webhooks by name, and checks that
// every rule has one or drops, unless the webhooks are still to come from
// SSM (pending), or this is a Lambda function that was given none (the
// API function, which holds no webhook URL).
func (s Settings) completeRoutes(t route.Table, hooks map[string]string, pending bool) (route.Table, error) {
	t, err := t.WithWebhooks(hooks)
	if err != nil {
		return t, err
	}
	if !pending && (hooks != nil || !s.InLambda) {
		return t, t.Complete()
	}
	return t, nil
}
