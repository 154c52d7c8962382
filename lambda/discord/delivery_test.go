package discord_test

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"clockify-discord-relay/lambda/discord"
	"clockify-discord-relay/lambda/discord/discordtest"
)

func send(t *testing.T, c *discord.Client, url string, timeout time.Duration) (discord.Delivery, error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	return c.Send(ctx, url, discord.Message{Content: "hello"})
}

func TestRetriesAfter429WithRetryAfter(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		srv := discordtest.NewInMemory(t)
		srv.FailNext(http.StatusTooManyRequests) // retry_after 0.25 s
		d, err := send(t, discord.NewClient(srv.Client()), srv.WebhookURL(), 5*time.Second)
		if err != nil {
			t.Fatalf("Send: %v", err)
		}
		if d.Attempts != 2 || d.RateLimited != 1 || len(srv.Received()) != 1 {
			t.Errorf("delivery %+v, received %d", d, len(srv.Received()))
		}
	})
}

func TestRetriesAfter429WithOnlyRetryAfterHeader(t *testing.T) {
	synctest.Test(t, testRetriesAfter429WithOnlyRetryAfterHeader)
}

func testRetriesAfter429WithOnlyRetryAfterHeader(t *testing.T) {
	var calls atomic.Int32
	var mu sync.Mutex
	var first time.Time
	var gap time.Duration
	ts := newInMemory(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		defer mu.Unlock()
		if calls.Add(1) == 1 {
			first = time.Now()
			w.Header().Set("Retry-After", "1")
			w.WriteHeader(http.StatusTooManyRequests)
			return
		}
		gap = time.Since(first)
		w.WriteHeader(http.StatusNoContent)
	}))
	d, err := send(t, discord.NewClient(ts.Client()), ts.URL+"/api/webhooks/1/tok", 5*time.Second)
	if err != nil || d.Attempts != 2 {
		t.Fatalf("delivery %+v, err %v", d, err)
	}
	mu.Lock()
	defer mu.Unlock()
	if gap < time.Second {
		t.Errorf("retried after %s, before Retry-After's 1 s", gap)
	}
}

func TestGlobalRateLimitPausesEveryWebhook(t *testing.T) {
	synctest.Test(t, testGlobalRateLimitPausesEveryWebhook)
}

func testGlobalRateLimitPausesEveryWebhook(t *testing.T) {
	var mu sync.Mutex
	var limitedAt time.Time
	var seen []time.Time
	ts := newInMemory(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		defer mu.Unlock()
		if limitedAt.IsZero() {
			limitedAt = time.Now()
			w.Header().Set("Content-Type", "application/json")
			w.Header().Set("X-RateLimit-Global", "true")
			w.WriteHeader(http.StatusTooManyRequests)
			_, _ = w.Write([]byte(`{"message":"You are being rate limited.","retry_after":0.5,"global":true}`))
			return
		}
		seen = append(seen, time.Now())
		w.WriteHeader(http.StatusNoContent)
	}))
	c := discord.NewClient(ts.Client())
	if _, err := send(t, c, ts.URL+"/api/webhooks/1/a", 5*time.Second); err != nil {
		t.Fatal(err)
	}
	// Another webhook, after the global 429: it must wait too.
	if _, err := send(t, c, ts.URL+"/api/webhooks/2/b", 5*time.Second); err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	defer mu.Unlock()
	for _, at := range seen {
		if at.Sub(limitedAt) < 500*time.Millisecond {
			t.Errorf("a request came %s after a global 429 of 0.5 s", at.Sub(limitedAt))
		}
	}
}

func TestRetries5xxWithBackoff(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		srv := discordtest.NewInMemory(t)
		srv.FailNext(500, 502, 503)
		d, err := send(t, discord.NewClient(srv.Client()), srv.WebhookURL(), 10*time.Second)
		if err != nil {
			t.Fatalf("Send: %v", err)
		}
		if d.Attempts != 4 || len(srv.Received()) != 1 {
			t.Errorf("delivery %+v, received %d", d, len(srv.Received()))
		}
	})
}

func TestRetriesRefusedConnections(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		// Nothing listens: the request never reached Discord.
		d, err := send(t, discord.NewClient(&http.Client{Transport: discordtest.Refusing{}}), "http://discord.test/api/webhooks/1/tok", 2*time.Second)
		var late *discord.OutOfTimeError
		if !errors.As(err, &late) || d.Attempts < 2 {
			t.Errorf("delivery %+v, err %v: want retries until the deadline", d, err)
		}
	})
}

func TestPermanentErrorsFailFast(t *testing.T) {
	tests := map[string]func(*discordtest.Server) string{
		"deleted webhook (404)": func(s *discordtest.Server) string { s.DeleteWebhook(); return s.WebhookURL() },
		"bad token (401)": func(s *discordtest.Server) string {
			return strings.Replace(s.WebhookURL(), discordtest.Token, "wrong", 1)
		},
		"bad request (400)": func(s *discordtest.Server) string { s.FailNext(400); return s.WebhookURL() },
		"forbidden (403)":   func(s *discordtest.Server) string { s.FailNext(403); return s.WebhookURL() },
	}
	for name, setup := range tests {
		t.Run(name, func(t *testing.T) {
			srv := discordtest.NewServer(t)
			url := setup(srv)
			start := time.Now()
			d, err := send(t, discord.NewClient(srv.Client()), url, 20*time.Second)
			var apiErr *discord.APIError
			if !errors.As(err, &apiErr) {
				t.Fatalf("err = %v, want *APIError", err)
			}
			if srv.Requests() != 1 || d.Attempts != 1 {
				t.Errorf("%d requests, want 1", srv.Requests())
			}
			if elapsed := time.Since(start); elapsed > time.Second {
				t.Errorf("took %s, want under a second", elapsed)
			}
		})
	}
}

func TestCloudflareBlockIsNotRetried(t *testing.T) {
	var calls atomic.Int32
	ts := newTestServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		w.Header().Set("Content-Type", "text/html")
		w.WriteHeader(http.StatusTooManyRequests)
		_, _ = w.Write([]byte("<html>You are being blocked</html>"))
	}))
	_, err := send(t, discord.NewClient(ts.Client()), ts.URL+"/api/webhooks/1/tok", 5*time.Second)
	if err == nil || calls.Load() != 1 {
		t.Errorf("err %v after %d requests", err, calls.Load())
	}
}

// TestNeverSentTwice: when Discord may have received the message but the
// answer was lost, the client does not send it again.
func TestNeverSentTwice(t *testing.T) {
	var calls atomic.Int32
	ts := newTestServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		conn, _, err := w.(http.Hijacker).Hijack()
		if err == nil {
			conn.Close() // read the message, then hang up without answering
		}
	}))
	_, err := send(t, discord.NewClient(ts.Client()), ts.URL+"/api/webhooks/1/tok", 5*time.Second)
	var maybe *discord.MaybeSentError
	if !errors.As(err, &maybe) || !strings.Contains(err.Error(), "may have reached Discord") {
		t.Errorf("err = %v, want *MaybeSentError", err)
	}
	if calls.Load() != 1 {
		t.Errorf("%d requests, want 1", calls.Load())
	}
}

func TestWaitsForAnEmptyBucket(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		srv := discordtest.NewInMemory(t)
		c := discord.NewClient(srv.Client())
		start := time.Now()
		for i := range 8 {
			if _, err := send(t, c, srv.WebhookURL(), 10*time.Second); err != nil {
				t.Fatalf("message %d: %v", i, err)
			}
		}
		if srv.RateLimited() != 0 || len(srv.Received()) != 8 {
			t.Errorf("%d 429s, %d received", srv.RateLimited(), len(srv.Received()))
		}
		if took := time.Since(start); took < 2*time.Second {
			t.Errorf("8 messages in %s: the bucket of 5 per 2 s was not waited for", took)
		}
	})
}

func TestEmptyBucketPastTheDeadlineFailsAtOnce(t *testing.T) {
	srv := discordtest.NewServer(t)
	srv.Window = 10 * time.Second
	c := discord.NewClient(srv.Client())
	for range 5 {
		if _, err := send(t, c, srv.WebhookURL(), 5*time.Second); err != nil {
			t.Fatal(err)
		}
	}
	start := time.Now()
	_, err := send(t, c, srv.WebhookURL(), 2*time.Second)
	var late *discord.OutOfTimeError
	if !errors.As(err, &late) {
		t.Fatalf("err = %v, want *OutOfTimeError", err)
	}
	if time.Since(start) > time.Second || srv.Requests() != 5 {
		t.Errorf("waited %s and made %d requests; want an immediate answer and no request", time.Since(start), srv.Requests())
	}
}

func TestPinsAPIVersion(t *testing.T) {
	srv := discordtest.NewServer(t)
	c := discord.NewClient(srv.Client())
	for url, path := range map[string]string{
		srv.WebhookURL(): "/api/v10/webhooks/" + discordtest.WebhookID + "/" + discordtest.Token,
		strings.Replace(srv.WebhookURL(), "/api/", "/api/v9/", 1): "/api/v9/webhooks/" + discordtest.WebhookID + "/" + discordtest.Token,
	} {
		if _, err := send(t, c, url, 5*time.Second); err != nil {
			t.Fatal(err)
		}
		got := srv.Received()
		if p := got[len(got)-1].Path; p != path {
			t.Errorf("posted to %s, want %s", p, path)
		}
	}
}

func TestRefusesURLsThatAreNotWebhooks(t *testing.T) {
	for _, url := range []string{"ftp://discord.com/api/webhooks/1/t", "https://discord.com/api/channels/1", "https://discord.com/api/webhooks/1/", "::"} {
		if _, err := send(t, discord.NewClient(http.DefaultClient), url, time.Second); err == nil {
			t.Errorf("%q was accepted", url)
		}
	}
}
