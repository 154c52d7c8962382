package relay

import (
	"context"
	"sync"
	"time"

	"clockify-discord-relay/lambda/clockify"
	"clockify-discord-relay/lambda/route"
)

// Secrets are what the relay must keep from everyone.
type Secrets struct {
	// DiscordWebhookURL holds the webhook's token. Empty when none is
	// configured.
	DiscordWebhookURL string
	// Signing are the Clockify webhooks' signing tokens.
	Signing clockify.Secrets
	// Routes send some events to other webhooks, or drop them. Their
	// webhook URLs are secrets too.
	Routes route.Table
}

// SecretSource gives the current secrets.
type SecretSource interface {
	Secrets(ctx context.Context) (Secrets, error)
}

// StaticSecrets is a SecretSource for secrets that never change.
type StaticSecrets Secrets

// Secrets returns s.
func (s StaticSecrets) Secrets(context.Context) (Secrets, error) { return Secrets(s), nil }

// CachedSecrets loads secrets on first use and keeps them for a TTL, so that
// warm invocations make no calls and a rotated secret still takes effect.
// A failed load is not kept: the next call tries again.
type CachedSecrets struct {
	load func(context.Context) (Secrets, error)
	ttl  time.Duration
	now  func() time.Time

	mu       sync.Mutex
	secrets  Secrets
	loadedAt time.Time
	loaded   bool
}

// NewCachedSecrets caches what load returns for ttl. now is the clock.
func NewCachedSecrets(load func(context.Context) (Secrets, error), ttl time.Duration, now func() time.Time) *CachedSecrets {
	return &CachedSecrets{load: load, ttl: ttl, now: now}
}

// Secrets returns the cached secrets, loading them when absent or stale.
func (c *CachedSecrets) Secrets(ctx context.Context) (Secrets, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.loaded && c.now().Sub(c.loadedAt) < c.ttl {
		return c.secrets, nil
	}
	s, err := c.load(ctx)
	if err != nil {
		return Secrets{}, err
	}
	c.secrets, c.loadedAt, c.loaded = s, c.now(), true
	return s, nil
}
