package secrets_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"clockify-discord-relay/lambda/secrets"
)

func TestCachedSecrets(t *testing.T) {
	now := time.Date(2026, 1, 1, 9, 0, 0, 0, time.UTC)
	calls, fail := 0, false
	c := secrets.NewCached(func(context.Context) (secrets.Values, error) {
		calls++
		if fail {
			return secrets.Values{}, errors.New("ssm down")
		}
		return secrets.Values{DiscordWebhookURL: "url-" + string(rune('0'+calls))}, nil
	}, 5*time.Minute, func() time.Time { return now })
	ctx := context.Background()

	get := func() (string, error) {
		s, err := c.Secrets(ctx)
		return s.DiscordWebhookURL, err
	}
	for range 10 {
		if v, err := get(); err != nil || v != "url-1" {
			t.Fatalf("got %q, %v", v, err)
		}
	}
	if calls != 1 {
		t.Fatalf("%d loads for warm calls, want 1", calls)
	}
	now = now.Add(5 * time.Minute)
	if v, _ := get(); v != "url-2" || calls != 2 {
		t.Fatalf("after the TTL got %q with %d loads", v, calls)
	}
	// SSM fails: the last good secrets serve, marked stale, and SSM is
	// tried again only every StaleRetry.
	now = now.Add(6 * time.Minute)
	fail = true
	for range 5 {
		s, err := c.Secrets(ctx)
		if err != nil || s.DiscordWebhookURL != "url-2" || s.Stale == nil || !strings.Contains(s.Stale.Error(), "ssm down") {
			t.Fatalf("during the outage: %+v, %v", s, err)
		}
	}
	if calls != 3 {
		t.Fatalf("%d loads, want 3: one try per StaleRetry", calls)
	}
	now = now.Add(secrets.StaleRetry)
	if _, err := get(); err != nil || calls != 4 {
		t.Fatalf("after StaleRetry: %v, %d loads", err, calls)
	}
	// Past MaxStale, the failure shows, and is not cached.
	now = now.Add(secrets.MaxStale)
	if _, err := get(); err == nil {
		t.Fatal("secrets an hour old were served")
	}
	if _, err := get(); err == nil || calls != 6 {
		t.Fatalf("a failure was cached: %d loads", calls)
	}
	fail = false
	if v, err := get(); err != nil || v != "url-7" {
		t.Fatalf("after recovery got %q, %v", v, err)
	}
	if s, _ := c.Secrets(ctx); s.Stale != nil {
		t.Errorf("fresh secrets marked stale: %v", s.Stale)
	}
}
