package secrets

import (
	"context"
	"fmt"
	"sync"
	"time"

	"clockify-discord-relay/lambda/clockify"
	"clockify-discord-relay/lambda/route"
)

// Values are what the relay must keep from everyone: webhook URLs and
// signing tokens. Both halves read them, from a Source.
type Values struct {
	// DiscordWebhookURL holds the webhook's token. Empty when none is
	// configured.
	DiscordWebhookURL string
	// Signing are the Clockify webhooks' signing tokens.
	Signing clockify.Secrets
	// Routes send some events to other webhooks, or drop them. Their
	// webhook URLs are secrets too.
	Routes route.Table
	// DiscordPublicKey is the application's public key, in hex, which
	// the interactions endpoint verifies with (public, kept with the
	// rest for one way of reading them).
	DiscordPublicKey string
	// DiscordBotToken registers the commands.
	DiscordBotToken string
	// Stale, when set, says why these are the last good values and not
	// fresh ones: SSM could not be read.
	Stale error
}

// Webhook is the webhook a route rule sends to (route "" is the default
// one). A rule that no longer exists, or now drops, has none: found is
// false, and its jobs go nowhere, never to another channel.
func (s Values) Webhook(route string) (url string, found bool) {
	if route == "" {
		return s.DiscordWebhookURL, true
	}
	return s.Routes.Webhook(route)
}

// Source gives the current secrets.
type Source interface {
	Secrets(ctx context.Context) (Values, error)
}

// Static is a Source for secrets that never change.
type Static Values

// Secrets returns s.
func (s Static) Secrets(context.Context) (Values, error) { return Values(s), nil }

// Cached loads secrets on first use and keeps them for a TTL, so that
// warm invocations make no calls and a rotated secret still takes effect.
// A failed load is not kept. While loads fail, the last good secrets serve
// for up to MaxStale, marked Stale, and a load is tried again every
// StaleRetry: an SSM outage does not stop the relay.
type Cached struct {
	load func(context.Context) (Values, error)
	ttl  time.Duration
	now  func() time.Time

	mu        sync.Mutex
	secrets   Values
	loadedAt  time.Time
	loaded    bool
	nextTry   time.Time // after a failure, while stale values serve
	lastError error
}

const (
	// MaxStale is how long the last good secrets serve while SSM fails.
	MaxStale = time.Hour
	// StaleRetry is how often SSM is tried while it fails.
	StaleRetry = 30 * time.Second
)

// NewCached caches what load returns for ttl. now is the clock.
func NewCached(load func(context.Context) (Values, error), ttl time.Duration, now func() time.Time) *Cached {
	return &Cached{load: load, ttl: ttl, now: now}
}

// Secrets returns the cached secrets, loading them when absent or stale.
func (c *Cached) Secrets(ctx context.Context) (Values, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	now := c.now()
	age := now.Sub(c.loadedAt)
	if c.loaded && age < c.ttl {
		return c.secrets, nil
	}
	usable := c.loaded && age < MaxStale
	if usable && now.Before(c.nextTry) {
		return c.stale(), nil
	}
	s, err := c.load(ctx)
	if err != nil {
		if !usable {
			return Values{}, err
		}
		c.nextTry, c.lastError = now.Add(StaleRetry), err
		return c.stale(), nil
	}
	c.secrets, c.loadedAt, c.loaded, c.lastError = s, now, true, nil
	return s, nil
}

func (c *Cached) stale() Values {
	s := c.secrets
	s.Stale = fmt.Errorf("serving secrets read %s ago: %w", c.now().Sub(c.loadedAt).Round(time.Second), c.lastError)
	return s
}
