package relay_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"clockify-discord-relay/lambda/relay"
)

func TestCachedSecrets(t *testing.T) {
	now := time.Date(2026, 1, 1, 9, 0, 0, 0, time.UTC)
	calls, fail := 0, false
	c := relay.NewCachedSecrets(func(context.Context) (relay.Secrets, error) {
		calls++
		if fail {
			return relay.Secrets{}, errors.New("ssm down")
		}
		return relay.Secrets{DiscordWebhookURL: "url-" + string(rune('0'+calls))}, nil
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
	now = now.Add(6 * time.Minute)
	fail = true
	if _, err := get(); err == nil {
		t.Fatal("a failed load returned no error")
	}
	if _, err := get(); err == nil || calls != 4 {
		t.Fatalf("a failure was cached: %d loads", calls)
	}
	fail = false
	if v, err := get(); err != nil || v != "url-5" {
		t.Fatalf("after recovery got %q, %v", v, err)
	}
}
