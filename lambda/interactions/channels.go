package interactions

import (
	"context"
	"sync"
	"time"

	"clockify-discord-relay/lambda/discord"
	"clockify-discord-relay/lambda/queue"
	"clockify-discord-relay/lambda/secrets"
)

// channelsFor is how long a webhook's channel is remembered: a webhook
// moved to another channel is seen within it.
const channelsFor = time.Hour

// Webhooks finds a channel's destinations from the relay's webhooks: the
// default one and the routes' (queue.Destination of each route); Discord
// names each webhook's channel (GET webhook).
type Webhooks struct {
	Secrets secrets.Source
	Info    func(ctx context.Context, webhookURL string) (discord.Webhook, error)
	Now     func() time.Time

	mu    sync.Mutex
	known map[string]channelOf // by webhook URL
}

type channelOf struct {
	id string
	at time.Time
}

var _ Channels = (*Webhooks)(nil)

// Destinations are the destinations whose webhook posts to channelID.
func (w *Webhooks) Destinations(ctx context.Context, channelID string) ([]string, error) {
	sec, err := w.Secrets.Secrets(ctx)
	if err != nil {
		return nil, err
	}
	hooks := sec.Routes.Webhooks()
	if sec.DiscordWebhookURL != "" {
		hooks[""] = sec.DiscordWebhookURL
	}
	var out []string
	for route, url := range hooks {
		ch, err := w.channel(ctx, url)
		if err != nil {
			return nil, err
		}
		if ch == channelID && channelID != "" {
			out = append(out, queue.Destination(route))
		}
	}
	return out, nil
}

func (w *Webhooks) channel(ctx context.Context, url string) (string, error) {
	now := w.Now()
	w.mu.Lock()
	c, ok := w.known[url]
	w.mu.Unlock()
	if ok && now.Sub(c.at) < channelsFor {
		return c.id, nil
	}
	hook, err := w.Info(ctx, url)
	if kind, _ := discord.Classify(err); err != nil && kind == discord.WebhookGone {
		hook, err = discord.Webhook{}, nil // a deleted webhook posts nowhere
	}
	if err != nil {
		return "", err
	}
	w.mu.Lock()
	if w.known == nil {
		w.known = map[string]channelOf{}
	}
	w.known[url] = channelOf{hook.ChannelID, now}
	w.mu.Unlock()
	return hook.ChannelID, nil
}
