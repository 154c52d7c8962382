package discord

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptrace"
	"sync"
	"time"
)

// userAgent follows Discord's required form "DiscordBot ($url, $version)".
const userAgent = "DiscordBot (https://github.com/clockify-discord-relay, 1.0)"

// maxAttempts bounds the requests for one message; the deadline usually
// ends the attempts sooner.
const maxAttempts = 10

// idleGap is how long a kept-alive connection may stay unused: shorter
// than the far end's idle timeout (Cloudflare, before Discord, closes
// idle client connections after some minutes), so the relay rarely
// writes a request into a connection that is already closed.
const idleGap = 30 * time.Second

// Client posts messages to Discord webhooks. It follows Discord's rate
// limits within the process (one warm Lambda instance) and retries what
// Discord did not accept, within the caller's deadline.
type Client struct {
	http    *http.Client
	limiter *limiter

	mu          sync.Mutex
	lastRequest time.Time

	// MaxAttempts bounds the requests for one message (default 10).
	MaxAttempts int
	// MaxWait is the longest the client sleeps before a retry; a longer
	// wait (a channel's 30-a-minute limit) ends Send with an
	// *OutOfTimeError that says how long, so a queue can hold the webhook
	// instead of a process sleeping. Zero: only the deadline bounds waits.
	MaxWait time.Duration
}

// NewClient returns a client that sends with hc, which it never lets follow
// a redirect. Deadlines come from the context of each Send.
func NewClient(hc *http.Client) *Client {
	c := *hc
	if t, ok := c.Transport.(*http.Transport); ok || c.Transport == nil {
		if !ok {
			t = http.DefaultTransport.(*http.Transport)
		}
		t = t.Clone()
		t.IdleConnTimeout = idleGap
		c.Transport = t
	}
	// A 301 would turn the POST into a GET, a 307 send the message (and
	// the token's path) to another host: neither is Discord taking it.
	c.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	return &Client{http: &c, limiter: newLimiter(), MaxAttempts: maxAttempts}
}

// ErrNoWebhookURL is returned when there is no webhook to send to.
var ErrNoWebhookURL = errors.New("discord: no webhook URL is configured")

// Delivery tells how a message went out.
type Delivery struct {
	Attempts    int // requests made
	RateLimited int // of which Discord answered 429
}

// Send posts msg to the webhook and retries until Discord accepts it, a
// permanent error, or the deadline. A message is sent again only when
// Discord did not accept it. Errors never contain the webhook's token.
func (c *Client) Send(ctx context.Context, webhookURL string, msg Message) (Delivery, error) {
	body, err := encodeRequest(msg)
	if err != nil {
		return Delivery{}, err
	}
	_, d, err := c.call(ctx, http.MethodPost, webhookURL, "", false, body)
	return d, err
}

// Posted names a message Discord took.
type Posted struct {
	ID        string `json:"id"`
	ChannelID string `json:"channel_id"`
}

// Post is Send with ?wait=true: Discord answers with the message, whose id
// later edits need.
func (c *Client) Post(ctx context.Context, webhookURL string, msg Message) (Posted, Delivery, error) {
	body, err := encodeRequest(msg)
	if err != nil {
		return Posted{}, Delivery{}, err
	}
	a, d, err := c.call(ctx, http.MethodPost, webhookURL, "", true, body)
	var p Posted
	if err == nil && (json.Unmarshal(a.Body, &p) != nil || p.ID == "") {
		err = &MaybeSentError{Cause: errors.New("discord: the answer to ?wait=true has no message id")}
	}
	return p, d, err
}

// Edit replaces a message the webhook posted (Edit Webhook Message). A
// message deleted in Discord answers 404 with code CodeUnknownMessage.
// https://discord.com/developers/docs/resources/webhook#edit-webhook-message
func (c *Client) Edit(ctx context.Context, webhookURL, messageID string, msg Message) (Delivery, error) {
	if !isSnowflake(messageID) {
		return Delivery{}, fmt.Errorf("discord: %q is not a message id", messageID)
	}
	body, err := encodeRequest(msg)
	if err != nil {
		return Delivery{}, err
	}
	_, d, err := c.call(ctx, http.MethodPatch, webhookURL, "/messages/"+messageID, false, body)
	return d, err
}

// Delete deletes a message the webhook posted (Delete Webhook Message).
func (c *Client) Delete(ctx context.Context, webhookURL, messageID string) error {
	if !isSnowflake(messageID) {
		return fmt.Errorf("discord: %q is not a message id", messageID)
	}
	_, _, err := c.call(ctx, http.MethodDelete, webhookURL, "/messages/"+messageID, false, nil)
	return err
}

// Webhook is what Get Webhook with Token tells of a webhook.
type Webhook struct {
	ID        string `json:"id"`
	GuildID   string `json:"guild_id"`
	ChannelID string `json:"channel_id"`
}

// JumpLink is the link to a message of this webhook's channel.
func (w Webhook) JumpLink(messageID string) string {
	return "https://discord.com/channels/" + w.GuildID + "/" + w.ChannelID + "/" + messageID
}

// Info reads the webhook's guild and channel, for jump links.
func (c *Client) Info(ctx context.Context, webhookURL string) (Webhook, error) {
	a, _, err := c.call(ctx, http.MethodGet, webhookURL, "", false, nil)
	var w Webhook
	if err == nil && (json.Unmarshal(a.Body, &w) != nil || w.ChannelID == "") {
		err = errors.New("discord: the webhook's answer has no channel")
	}
	return w, err
}

// call makes one call to the webhook (suffix after its token, ?wait=true
// when wait), following the rate limits and retrying what Discord did not
// take, and returns Discord's accepting answer.
func (c *Client) call(ctx context.Context, method, webhookURL, suffix string, wait bool, body *request) (*answer, Delivery, error) {
	var d Delivery
	if webhookURL == "" {
		return nil, d, ErrNoWebhookURL
	}
	target, err := normalizeWebhookURL(webhookURL)
	if err != nil {
		return nil, d, err
	}
	key := bucketKey(target)
	target = withSuffix(target, suffix, wait)
	for {
		if err := c.limiter.wait(ctx, key, c.MaxWait); err != nil {
			return nil, d, err
		}
		d.Attempts++
		resp, err := c.post(ctx, method, target, body)
		v := decide(resp, err, d.Attempts)
		if resp != nil {
			c.limiter.update(key, resp.Header, v)
		}
		if v.rateLimited {
			d.RateLimited++
		}
		switch {
		case v.done:
			return resp, d, nil
		case v.permanent != nil:
			return nil, d, v.permanent
		case d.Attempts >= c.MaxAttempts:
			return nil, d, fmt.Errorf("discord: gave up after %d attempts: %w", d.Attempts, v.cause)
		}
		if err := sleep(ctx, v.wait, c.MaxWait); err != nil {
			return nil, d, &OutOfTimeError{Cause: v.cause, Wait: v.wait}
		}
	}
}

// post makes one request and reads its answer; the answer's body is kept
// in the response for decide.
//
// A request that fails on a reused keep-alive connection before it was
// written met a connection the server had already closed (Discord closes
// idle ones; a Lambda instance frozen between events finds its pool
// dead): it is sent once more, on a fresh connection. Once it was
// written, Discord may have posted it, so it is never sent again.
func (c *Client) post(ctx context.Context, method, target string, body *request) (*answer, error) {
	c.dropStaleConnections()
	resp, state, err := c.do(ctx, method, target, body)
	if err != nil && state == staleConnection && ctx.Err() == nil {
		c.http.CloseIdleConnections()
		resp, state, err = c.do(ctx, method, target, body)
	}
	if err != nil {
		err = fmt.Errorf("discord: %w", redactError(err))
		if state == unanswered {
			// Discord has the whole message and said nothing: it may
			// have posted it. Whatever the error, do not send it again.
			err = &MaybeSentError{Cause: err}
		}
		return nil, err
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(io.LimitReader(resp.Body, maxErrorBody))
	if err != nil && resp.StatusCode/100 != 2 {
		return nil, fmt.Errorf("discord: reading the answer: %w", redactError(err))
	}
	return &answer{StatusCode: resp.StatusCode, Header: resp.Header, Body: raw}, nil
}

// dropStaleConnections closes the idle connections after a long gap (a
// Lambda instance thawed after minutes frozen): the far end has likely
// closed them, and a request that dies on one after it was written has an
// unknown outcome.
func (c *Client) dropStaleConnections() {
	now := time.Now()
	c.mu.Lock()
	gap := now.Sub(c.lastRequest)
	c.lastRequest = now
	c.mu.Unlock()
	if gap > idleGap {
		c.http.CloseIdleConnections()
	}
}

// failedAt says how far a failed request got.
type failedAt int

const (
	notFailed       failedAt = iota
	staleConnection          // a reused connection failed before any answer
	unanswered               // the whole request was written; no answer came
	elsewhere
)

// do sends the request once, and says how far it got when it failed.
func (c *Client) do(ctx context.Context, method, target string, body *request) (*http.Response, failedAt, error) {
	var reused, wrote, answered bool
	ctx = httptrace.WithClientTrace(ctx, &httptrace.ClientTrace{
		GotConn:              func(info httptrace.GotConnInfo) { reused = info.Reused },
		WroteRequest:         func(info httptrace.WroteRequestInfo) { wrote = info.Err == nil },
		GotFirstResponseByte: func() { answered = true },
	})
	var reader io.Reader
	if body != nil {
		reader = bytes.NewReader(body.data)
	}
	req, err := http.NewRequestWithContext(ctx, method, target, reader)
	if err != nil {
		return nil, elsewhere, errInvalidURL
	}
	if body != nil {
		req.Header.Set("Content-Type", body.contentType)
	}
	req.Header.Set("User-Agent", userAgent)
	resp, err := c.http.Do(req)
	switch {
	case err == nil:
		return resp, notFailed, nil
	case reused && !wrote:
		// Not one byte of the request reached the far end.
		return nil, staleConnection, err
	case wrote && !answered:
		return nil, unanswered, err
	}
	return nil, elsewhere, err
}

// answer is Discord's reply to one request.
type answer struct {
	StatusCode int
	Header     http.Header
	Body       []byte
}

var errEmptyMessage = errors.New("discord: empty message")

// errWaitTooLong: the wait is longer than the client may sleep.
var errWaitTooLong = errors.New("the wait is longer than the client sleeps")

// sleep waits for d, or fails at once when the deadline comes first or d
// is over limit (when limit > 0).
func sleep(ctx context.Context, d, limit time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	if limit > 0 && d > limit {
		return errWaitTooLong
	}
	if deadline, ok := ctx.Deadline(); ok && time.Until(deadline) < d {
		return context.DeadlineExceeded
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// Encode is the exact JSON Discord receives for msg: cut to Discord's limits,
// with every mention disabled, and, when it has no embeds of its own, with
// link previews suppressed.
func Encode(msg Message) ([]byte, error) {
	msg.AllowedMentions = AllowedMentions{Parse: []string{}}
	msg.Embeds = append([]Embed(nil), msg.Embeds...) // Fit must not change the caller's embeds
	for i := range msg.Embeds {
		msg.Embeds[i].Fields = append([]EmbedField(nil), msg.Embeds[i].Fields...)
		if a := msg.Embeds[i].Author; a != nil {
			msg.Embeds[i].Author = &EmbedAuthor{Name: a.Name}
		}
		if f := msg.Embeds[i].Footer; f != nil {
			msg.Embeds[i].Footer = &EmbedFooter{Text: f.Text}
		}
	}
	msg.Fit()
	if msg.Content == "" && len(msg.Embeds) == 0 {
		return nil, errEmptyMessage
	}
	if len(msg.Embeds) == 0 {
		msg.Flags |= FlagSuppressEmbeds // no link previews under a text message
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false) // keep <t:…> markup readable; this is not HTML
	if err := enc.Encode(msg); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n")), nil
}
