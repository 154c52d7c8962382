package interactions_test

import (
	"context"
	"errors"
	"slices"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"clockify-discord-relay/lambda/discord"
	"clockify-discord-relay/lambda/interactions"
	"clockify-discord-relay/lambda/queue"
	"clockify-discord-relay/lambda/route"
	"clockify-discord-relay/lambda/secrets"
)

// lookups is Discord's GET webhook for a few webhooks: each takes its
// time, and some fail.
type lookups struct {
	mu      sync.Mutex
	channel map[string]string // URL → channel
	fail    map[string]bool
	calls   map[string]int
}

func (l *lookups) info(ctx context.Context, url string) (discord.Webhook, error) {
	l.mu.Lock()
	l.calls[url]++
	ch, fail := l.channel[url], l.fail[url]
	l.mu.Unlock()
	time.Sleep(1500 * time.Millisecond) // a slow Discord
	if fail {
		return discord.Webhook{}, errors.New("discord: 503")
	}
	return discord.Webhook{ChannelID: ch}, nil
}

// TestOneBadWebhookDoesNotBreakTheOthers: the webhooks are looked up at
// once (two slow ones take 1.5 s, not 3); a failing one leaves the other
// channels' commands working, and is not asked again for a minute; the
// channel it may be answers with its error, even one known before.
func TestOneBadWebhookDoesNotBreakTheOthers(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		const a, b, c = "https://discord.com/api/webhooks/1/a", "https://discord.com/api/webhooks/2/b", "https://discord.com/api/webhooks/3/c"
		table, err := route.Parse(`[{"name":"b","match":{"user":["b"]},"webhook":"`+b+`"},{"name":"c","match":{"user":["c"]},"webhook":"`+c+`"}]`, discord.CheckWebhookURL)
		if err != nil {
			t.Fatal(err)
		}
		l := &lookups{channel: map[string]string{a: "chan-a", b: "chan-b", c: "chan-c"}, fail: map[string]bool{c: true}, calls: map[string]int{}}
		w := &interactions.Webhooks{Secrets: secrets.Static{DiscordWebhookURL: a, Routes: table}, Info: l.info, Now: time.Now}
		start := time.Now()
		got, err := w.Destinations(context.Background(), "chan-b")
		if err != nil || !slices.Equal(got, []string{queue.Destination("b")}) {
			t.Fatalf("chan-b: %v, %v", got, err)
		}
		if took := time.Since(start); took != 1500*time.Millisecond {
			t.Errorf("the lookups took %s, one after another", took)
		}
		if _, err := w.Destinations(context.Background(), "chan-c"); err == nil {
			t.Error("the failing webhook's channel was answered as no channel of the relay")
		}
		if l.calls[c] != 1 {
			t.Errorf("the failing webhook was asked %d times within a minute", l.calls[c])
		}
		time.Sleep(time.Minute)
		l.fail[c] = false
		if got, err := w.Destinations(context.Background(), "chan-c"); err != nil || !slices.Equal(got, []string{queue.Destination("c")}) {
			t.Errorf("a minute later: %v, %v", got, err)
		}
		// An hour on, the lookup fails again: the channel known before is
		// not assumed (the webhook may have moved).
		time.Sleep(time.Hour)
		l.fail[c] = true
		if got, err := w.Destinations(context.Background(), "chan-c"); err == nil {
			t.Errorf("a failed lookup answered with the channel known before: %v", got)
		}
	})
}
