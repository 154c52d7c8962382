package interactions

import (
	"context"
	"errors"
	"slices"
	"sync"
	"time"

	"clockify-discord-relay/lambda/discord"
	"clockify-discord-relay/lambda/queue"
	"clockify-discord-relay/lambda/secrets"
)

// channelsFor is how long a webhook's channel is remembered: a webhook
// moved to another channel is seen within it. failedFor is how long a
// failed lookup is: the next command does not wait for it again.
const (
	channelsFor = time.Hour
	failedFor   = time.Minute
)

// Webhooks finds a channel's destinations from the relay's webhooks: the
// default one and the routes' (queue.Destination of each route); Discord
// names each webhook's channel (GET webhook), all at once, so that slow
// ones do not add up past Discord's 3 seconds.
type Webhooks struct {
	Secrets secrets.Source
	Info    func(ctx context.Context, webhookURL string) (discord.Webhook, error)
	Now     func() time.Time

	mu    sync.Mutex
	known map[string]channelOf // by webhook URL
}

type channelOf struct {
	id  string
	at  time.Time
	err error // the lookup failed: no channel is assumed
}

var _ Channels = (*Webhooks)(nil)

// Destinations are the destinations whose webhook posts to channelID. A
// webhook that cannot be looked up does not break the others: only when
// none of those found posts to the channel is its error returned, as the
// channel may be its.
func (w *Webhooks) Destinations(ctx context.Context, channelID string) ([]string, error) {
	sec, err := w.Secrets.Secrets(ctx)
	if err != nil {
		return nil, err
	}
	hooks := sec.Routes.Webhooks()
	if sec.DiscordWebhookURL != "" {
		hooks[""] = sec.DiscordWebhookURL
	}
	type found struct {
		route, channel string
		err            error
	}
	results := make(chan found, len(hooks))
	for route, url := range hooks {
		go func() {
			ch, err := w.channel(ctx, url)
			results <- found{route, ch, err}
		}()
	}
	var out []string
	var failed []error
	for range hooks {
		f := <-results
		switch {
		case f.err != nil:
			failed = append(failed, f.err)
		case f.channel == channelID && channelID != "":
			out = append(out, queue.Destination(f.route))
		}
	}
	if len(out) == 0 && len(failed) > 0 {
		return nil, errors.Join(failed...)
	}
	slices.Sort(out)
	return out, nil
}

// channel is the webhook's channel: remembered, or asked of Discord. A
// failed lookup assumes no channel, not the one known before: the
// webhook may have moved, and its memory must not answer in a channel
// it left.
func (w *Webhooks) channel(ctx context.Context, url string) (string, error) {
	now := w.Now()
	w.mu.Lock()
	c, ok := w.known[url]
	w.mu.Unlock()
	switch {
	case ok && c.err == nil && now.Sub(c.at) < channelsFor:
		return c.id, nil
	case ok && c.err != nil && now.Sub(c.at) < failedFor:
		return "", c.err
	}
	hook, err := w.Info(ctx, url)
	if kind, _ := discord.Classify(err); err != nil && kind == discord.WebhookGone {
		hook, err = discord.Webhook{}, nil // a deleted webhook posts nowhere
	}
	w.mu.Lock()
	if w.known == nil {
		w.known = map[string]channelOf{}
	}
	w.known[url] = channelOf{id: hook.ChannelID, at: now, err: err}
	w.mu.Unlock()
	return hook.ChannelID, err
}
