package discord_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"testing/synctest"
	"time"

	"clockify-discord-relay/lambda/discord"
	"clockify-discord-relay/lambda/discord/discordtest"
)

// TestChannelLimitHoldsTheWebhook: a 429 with a long retry_after while
// the bucket still has room is the channel's limit. A client that may not
// sleep that long returns at once with the wait, and holds the webhook:
// the next Send makes no request until then.
func TestChannelLimitHoldsTheWebhook(t *testing.T) {
	srv := discordtest.NewServer(t)
	srv.ChannelLimit, srv.ChannelWindow = 3, 30*time.Second
	c := discord.NewClient(srv.Client())
	c.MaxWait = 5 * time.Second
	for range 3 {
		if _, err := send(t, c, srv.WebhookURL(), 5*time.Second); err != nil {
			t.Fatal(err)
		}
	}
	_, err := send(t, c, srv.WebhookURL(), 5*time.Second)
	var late *discord.OutOfTimeError
	if !errors.As(err, &late) || late.Wait < 20*time.Second {
		t.Fatalf("err = %v, want *OutOfTimeError with the channel's wait", err)
	}
	if kind, wait := discord.Classify(err); kind != discord.Retryable || wait != late.Wait {
		t.Errorf("Classify = %v %s", kind, wait)
	}
	before := srv.Requests()
	if _, err := send(t, c, srv.WebhookURL(), 5*time.Second); !errors.As(err, &late) {
		t.Fatalf("held webhook: err = %v", err)
	}
	if srv.Requests() != before || srv.RateLimited() != 1 {
		t.Errorf("%d requests to a held webhook, %d 429s in all", srv.Requests()-before, srv.RateLimited())
	}
}

// TestMaxAttempts: a client for a queue gives up early and leaves the
// retries to the queue.
func TestMaxAttempts(t *testing.T) {
	srv := discordtest.NewServer(t)
	srv.SetDown(true)
	c := discord.NewClient(srv.Client())
	c.MaxAttempts = 2
	_, err := send(t, c, srv.WebhookURL(), 10*time.Second)
	if kind, _ := discord.Classify(err); err == nil || kind != discord.Retryable || srv.Requests() != 2 {
		t.Errorf("err = %v (%v) after %d requests", err, kind, srv.Requests())
	}
}

func TestClassify(t *testing.T) {
	tests := []struct {
		err  error
		want discord.Failure
		wait time.Duration
	}{
		{&discord.OutOfTimeError{Wait: 42 * time.Second}, discord.Retryable, 42 * time.Second},
		{&discord.APIError{StatusCode: http.StatusServiceUnavailable}, discord.Retryable, 0},
		{&discord.APIError{StatusCode: http.StatusBadGateway}, discord.Retryable, 0},
		{&discord.APIError{StatusCode: http.StatusTooManyRequests}, discord.Retryable, 0},
		{&discord.MaybeSentError{Cause: errors.New("EOF")}, discord.Unknown, 0},
		{&discord.MaybeSentError{Cause: &discord.APIError{StatusCode: http.StatusGatewayTimeout}}, discord.Unknown, 0},
		{fmt.Errorf("discord: gave up after 3 attempts: %w", errors.New("503")), discord.Retryable, 0},
		{&discord.APIError{StatusCode: http.StatusNotFound, Code: discord.CodeUnknownWebhook}, discord.WebhookGone, 0},
		{&discord.APIError{StatusCode: http.StatusUnauthorized, Code: discord.CodeInvalidWebhookToken}, discord.WebhookGone, 0},
		{discord.ErrNoWebhookURL, discord.WebhookGone, 0},
		{&discord.APIError{StatusCode: http.StatusBadRequest, Code: discord.CodeInvalidFormBody}, discord.Permanent, 0},
		{&discord.APIError{StatusCode: http.StatusForbidden}, discord.Permanent, 0},
	}
	for _, tt := range tests {
		if got, wait := discord.Classify(tt.err); got != tt.want || wait != tt.wait {
			t.Errorf("Classify(%v) = %v %s, want %v %s", tt.err, got, wait, tt.want, tt.wait)
		}
	}
	// The URL errors come from Send itself.
	for _, url := range []string{"::", "https://discord.com/api/channels/1"} {
		_, err := discord.NewClient(http.DefaultClient).Send(context.Background(), url, discord.Message{Content: "x"})
		if got, _ := discord.Classify(err); got != discord.WebhookGone {
			t.Errorf("%q: Classify(%v) = %v", url, err, got)
		}
	}
}

// TestAbsurdRetryAfterIsNoBurst: a wait past what a duration holds, or an
// infinite one, holds the webhook; it never turns into requests in a row.
func TestAbsurdRetryAfterIsNoBurst(t *testing.T) {
	for _, answer := range []func(http.ResponseWriter){
		func(w http.ResponseWriter) {
			w.WriteHeader(http.StatusTooManyRequests)
			_, _ = w.Write([]byte(`{"message":"You are being rate limited.","retry_after":1e10,"global":false}`))
		},
		func(w http.ResponseWriter) {
			w.Header().Set("Retry-After", "Inf")
			w.WriteHeader(http.StatusTooManyRequests)
		},
	} {
		var requests atomic.Int32
		ts := newTestServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			requests.Add(1)
			answer(w)
		}))
		c := discord.NewClient(ts.Client())
		for range 3 {
			_, err := send(t, c, ts.URL+"/api/webhooks/1/tok", 2*time.Second)
			var late *discord.OutOfTimeError
			if !errors.As(err, &late) || late.Wait < time.Hour-time.Second {
				t.Fatalf("err = %v, want a hold of an hour", err)
			}
		}
		if n := requests.Load(); n != 1 {
			t.Errorf("%d requests, want 1", n)
		}
	}
}

// TestRedirectsAreNotFollowed: a 301 would have turned the POST into a
// GET, a 307 sent the message to another host.
func TestRedirectsAreNotFollowed(t *testing.T) {
	var elsewhere atomic.Int32
	other := newTestServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		elsewhere.Add(1)
		w.WriteHeader(http.StatusNoContent)
	}))
	for _, status := range []int{http.StatusMovedPermanently, http.StatusTemporaryRedirect, http.StatusPermanentRedirect} {
		ts := newTestServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			http.Redirect(w, r, other.URL+"/api/webhooks/2/stolen", status)
		}))
		d, err := send(t, discord.NewClient(ts.Client()), ts.URL+"/api/webhooks/1/tok", 2*time.Second)
		var api *discord.APIError
		if !errors.As(err, &api) || api.StatusCode != status || d.Attempts != 1 {
			t.Errorf("%d: err = %v after %d attempts", status, err, d.Attempts)
		}
		if kind, _ := discord.Classify(err); kind != discord.Permanent {
			t.Errorf("%d: %v", status, kind)
		}
	}
	if n := elsewhere.Load(); n != 0 {
		t.Errorf("%d requests followed the redirect", n)
	}
}

func TestCheckWebhookURL(t *testing.T) {
	for url, ok := range map[string]bool{
		"https://discord.com/api/webhooks/123/token":           true,
		"http://127.0.0.1:8080/api/webhooks/123/token":         true, // a test's stand-in
		"http://localhost/api/webhooks/123/token":              true,
		"http://discord.com/api/webhooks/123/token":            false,
		"https://discord.com/api/webhooks/…":                   false, // the README's placeholder
		"https://discord.com/api/webhooks/<id>/<token>":        false,
		"https://discord.com/api/channels/1":                   false,
		"ftp://discord.com/api/webhooks/123/token":             false,
		"https://discord.com/api/webhooks/123/token?wait=true": true,
	} {
		err := discord.CheckWebhookURL(url)
		if (err == nil) != ok {
			t.Errorf("%s: %v", url, err)
		}
		if err != nil && strings.Contains(err.Error(), "token") && strings.Contains(url, "token") && strings.Contains(err.Error(), url) {
			t.Errorf("the error echoes the URL: %v", err)
		}
	}
}

// TestDroppedAfterTheRequestIsNotResent: Discord takes each message sent
// on a kept-alive connection and then hangs up without an answer. The
// outcome is unknown: the message is not sent again on a fresh
// connection (that posted it twice), and Attempts says 1.
func TestDroppedAfterTheRequestIsNotResent(t *testing.T) {
	type connKey struct{}
	var posted atomic.Int32
	ts := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		posted.Add(1)
		n := r.Context().Value(connKey{}).(*atomic.Int32)
		if n.Add(1) > 1 { // a reused connection: posted, then hang up
			conn, _, _ := w.(http.Hijacker).Hijack()
			conn.Close()
			return
		}
		w.WriteHeader(http.StatusNoContent)
	}))
	ts.Config.ConnContext = func(ctx context.Context, _ net.Conn) context.Context {
		return context.WithValue(ctx, connKey{}, new(atomic.Int32))
	}
	ts.Start()
	t.Cleanup(ts.Close)
	c := discord.NewClient(ts.Client())
	if _, err := send(t, c, ts.URL+"/api/webhooks/1/tok", 5*time.Second); err != nil {
		t.Fatal(err)
	}
	d, err := send(t, c, ts.URL+"/api/webhooks/1/tok", 5*time.Second)
	if kind, _ := discord.Classify(err); kind != discord.Unknown || d.Attempts != 1 {
		t.Errorf("second send: %v (%v) after %d attempts, want unknown after 1", err, kind, d.Attempts)
	}
	if n := posted.Load(); n != 2 {
		t.Errorf("Discord posted %d messages for 2 sends", n)
	}
}

// TestStaleKeepAliveIsRetriedOnAFreshConnection: a kept-alive connection
// that the far end closed while idle fails before a byte of the next
// request is written. That request is sent on a fresh connection, once.
func TestStaleKeepAliveIsRetriedOnAFreshConnection(t *testing.T) {
	var posted atomic.Int32
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		posted.Add(1)
		w.WriteHeader(http.StatusNoContent)
	}))
	t.Cleanup(ts.Close)
	hc := ts.Client()
	tr := hc.Transport.(*http.Transport).Clone()
	var dials atomic.Int32
	tr.DialContext = func(ctx context.Context, network, addr string) (net.Conn, error) {
		conn, err := (&net.Dialer{}).DialContext(ctx, network, addr)
		if err != nil {
			return nil, err
		}
		dials.Add(1)
		return &closedAfterFirstAnswer{Conn: conn}, nil
	}
	hc.Transport = tr
	c := discord.NewClient(hc)
	for i := range 5 {
		if _, err := send(t, c, ts.URL+"/api/webhooks/1/tok", 5*time.Second); err != nil {
			t.Fatalf("message %d: %v", i, err)
		}
	}
	if n := posted.Load(); n != 5 {
		t.Errorf("Discord posted %d messages for 5 sends", n)
	}
	if n := dials.Load(); n < 5 {
		t.Errorf("%d connections for 5 messages: the stale ones were not replaced", n)
	}
}

// closedAfterFirstAnswer is a connection whose far end went away after
// its first answer: the next write fails before any byte leaves.
type closedAfterFirstAnswer struct {
	net.Conn
	answered atomic.Bool
}

func (c *closedAfterFirstAnswer) Read(p []byte) (int, error) {
	n, err := c.Conn.Read(p)
	if n > 0 {
		c.answered.Store(true)
	}
	return n, err
}

func (c *closedAfterFirstAnswer) Write(p []byte) (int, error) {
	if c.answered.Load() {
		return 0, syscall.EPIPE
	}
	return c.Conn.Write(p)
}

// TestStalledAfterTheMessageIsUnknown: Discord read the whole message and
// then said nothing until the deadline: it may have posted it. The error
// says so, and the message is not sent again.
func TestStalledAfterTheMessageIsUnknown(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		srv := discordtest.NewInMemory(t)
		srv.SetLatency(time.Minute)
		d, err := send(t, discord.NewClient(srv.Client()), srv.WebhookURL(), time.Second)
		if kind, _ := discord.Classify(err); kind != discord.Unknown || d.Attempts != 1 {
			t.Errorf("err = %v (%v) after %d attempts", err, kind, d.Attempts)
		}
	})
}

// TestGatewayTimeoutIsNotResent: a 504 then a 204 posted the message
// twice; a 504 is an unknown outcome.
func TestGatewayTimeoutIsNotResent(t *testing.T) {
	var requests atomic.Int32
	ts := newTestServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if requests.Add(1) == 1 {
			w.WriteHeader(http.StatusGatewayTimeout)
			return
		}
		w.WriteHeader(http.StatusNoContent)
	}))
	_, err := send(t, discord.NewClient(ts.Client()), ts.URL+"/api/webhooks/1/tok", 5*time.Second)
	if kind, _ := discord.Classify(err); kind != discord.Unknown || requests.Load() != 1 {
		t.Errorf("err = %v (%v) after %d requests", err, kind, requests.Load())
	}
}

// TestPostEditAndInfo: ?wait=true gives the message id, an edit replaces
// the message, a deleted message answers "message gone" (not "webhook
// gone"), and the webhook tells its channel for jump links.
func TestPostEditAndInfo(t *testing.T) {
	srv := discordtest.NewServer(t)
	c := discord.NewClient(srv.Client())
	ctx := context.Background()
	posted, _, err := c.Post(ctx, srv.WebhookURL(), discord.Message{Content: "board v1"})
	if err != nil || posted.ID == "" || posted.ChannelID != discordtest.ChannelID {
		t.Fatalf("Post: %+v, %v", posted, err)
	}
	if _, err := c.Edit(ctx, srv.WebhookURL(), posted.ID, discord.Message{Content: "board v2"}); err != nil {
		t.Fatalf("Edit: %v", err)
	}
	if m, ok := srv.Message(posted.ID); !ok || m.Content != "board v2" || len(srv.Edits()) != 1 || len(srv.Received()) != 1 {
		t.Errorf("after the edit: %+v, %d edits, %d messages", m, len(srv.Edits()), len(srv.Received()))
	}
	srv.DeleteMessage(posted.ID)
	_, err = c.Edit(ctx, srv.WebhookURL(), posted.ID, discord.Message{Content: "board v3"})
	if kind, _ := discord.Classify(err); kind != discord.MessageGone || !strings.Contains(err.Error(), "the message was deleted") {
		t.Errorf("edit of a deleted message: %v (%v)", err, kind)
	}
	if _, err := c.Edit(ctx, srv.WebhookURL(), "../../x", discord.Message{Content: "x"}); err == nil {
		t.Error("an id that is not a snowflake was sent")
	}
	hook, err := c.Info(ctx, srv.WebhookURL())
	if err != nil || hook.JumpLink(posted.ID) != "https://discord.com/channels/"+discordtest.GuildID+"/"+discordtest.ChannelID+"/"+posted.ID {
		t.Errorf("Info: %+v, %v", hook, err)
	}
}

// TestOldMessagesAndDelete: a message older than the stand-in's OldAfter
// takes OldEdits edits, then answers 30046, which the client tells as
// "message gone" so the board is posted anew; Delete removes a message,
// and a second Delete answers "message gone".
func TestOldMessagesAndDelete(t *testing.T) {
	srv := discordtest.NewServer(t)
	srv.OldAfter, srv.OldEdits = time.Nanosecond, 1
	c := discord.NewClient(srv.Client())
	ctx := context.Background()
	posted, _, err := c.Post(ctx, srv.WebhookURL(), discord.Message{Content: "board v1"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.Edit(ctx, srv.WebhookURL(), posted.ID, discord.Message{Content: "board v2"}); err != nil {
		t.Fatalf("the first edit of an old message: %v", err)
	}
	_, err = c.Edit(ctx, srv.WebhookURL(), posted.ID, discord.Message{Content: "board v3"})
	var api *discord.APIError
	if kind, _ := discord.Classify(err); kind != discord.MessageGone || !errors.As(err, &api) || api.Code != discord.CodeMessageTooOld {
		t.Errorf("an old message past its edits: %v (%v)", err, kind)
	}
	if m, _ := srv.Message(posted.ID); m.Content != "board v2" {
		t.Errorf("the refused edit changed the message: %q", m.Content)
	}
	if err := c.Delete(ctx, srv.WebhookURL(), posted.ID); err != nil {
		t.Fatalf("Delete: %v", err)
	}
	if n := len(srv.Visible()); n != 0 {
		t.Errorf("%d messages shown after the delete", n)
	}
	if kind, _ := discord.Classify(c.Delete(ctx, srv.WebhookURL(), posted.ID)); kind != discord.MessageGone {
		t.Errorf("a second delete: %v", kind)
	}
}

// TestLongGapDropsIdleConnections: after a gap longer than the far end
// keeps a connection, the client closes its idle ones first, instead of
// writing into one that is likely closed.
func TestLongGapDropsIdleConnections(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		tr := &closeCounter{}
		c := discord.NewClient(&http.Client{Transport: tr})
		hook := "https://discord.com/api/webhooks/1/tok"
		for _, gap := range []time.Duration{0, 10 * time.Second, 10 * time.Second, time.Minute} {
			time.Sleep(gap)
			if _, err := c.Send(t.Context(), hook, discord.Message{Content: "hi"}); err != nil {
				t.Fatal(err)
			}
		}
		// The first request (no connection yet) and the one after a minute.
		if tr.closed != 2 {
			t.Errorf("idle connections closed %d times, want 2", tr.closed)
		}
	})
}

type closeCounter struct{ closed int }

func (c *closeCounter) RoundTrip(r *http.Request) (*http.Response, error) {
	return &http.Response{StatusCode: http.StatusNoContent, Body: http.NoBody, Header: http.Header{}, Request: r}, nil
}

func (c *closeCounter) CloseIdleConnections() { c.closed++ }

// TestEditsCountAgainstTheChannel: the stand-in counts an edit against
// the channel's messages a minute, as a post: a board's edits share the
// budget of the events' messages.
func TestEditsCountAgainstTheChannel(t *testing.T) {
	srv := discordtest.NewServer(t)
	srv.ChannelLimit, srv.ChannelWindow = 2, time.Minute
	c := discord.NewClient(srv.Client())
	c.MaxAttempts = 1
	ctx := context.Background()
	posted, _, err := c.Post(ctx, srv.WebhookURL(), discord.Message{Content: "board"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.Edit(ctx, srv.WebhookURL(), posted.ID, discord.Message{Content: "board, edited"}); err != nil {
		t.Fatal(err)
	}
	if _, err := send(t, c, srv.WebhookURL(), 5*time.Second); err == nil || srv.RateLimited() != 1 {
		t.Errorf("a third message within the minute: %v, %d 429s", err, srv.RateLimited())
	}
}
