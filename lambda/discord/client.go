package discord

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
)

// userAgent follows Discord's required form "DiscordBot ($url, $version)".
const userAgent = "DiscordBot (https://github.com/clockify-discord-relay, 1.0)"

// Client posts messages to Discord webhooks.
type Client struct {
	http *http.Client
}

// NewClient returns a client that sends with hc. Deadlines come from the
// context of each Send.
func NewClient(hc *http.Client) *Client {
	return &Client{http: hc}
}

// ErrNoWebhookURL is returned when there is no webhook to send to.
var ErrNoWebhookURL = errors.New("discord: no webhook URL is configured")

// Send posts msg to the webhook. Any 2xx is success; anything else is an
// *APIError. Errors never contain the webhook's token.
func (c *Client) Send(ctx context.Context, webhookURL string, msg Message) error {
	if webhookURL == "" {
		return ErrNoWebhookURL
	}
	body, err := Encode(msg)
	if err != nil {
		return err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, webhookURL, bytes.NewReader(body))
	if err != nil {
		return errors.New("discord: the webhook URL is not a valid URL") // the parse error would echo it
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", userAgent)
	resp, err := c.http.Do(req)
	if err != nil {
		return fmt.Errorf("discord: %w", redactError(err))
	}
	defer resp.Body.Close()
	if resp.StatusCode >= 200 && resp.StatusCode < 300 {
		_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, maxErrorBody)) // lets the connection be reused
		return nil
	}
	return readAPIError(resp)
}

// Encode is the exact JSON Discord receives for msg: cut to Discord's limits
// and with every mention disabled.
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
		return nil, errors.New("discord: empty message")
	}
	return json.Marshal(msg)
}

// redactError removes the webhook URL, which holds the token, from transport
// errors: *url.Error prints the whole URL.
func redactError(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		return &url.Error{Op: ue.Op, URL: RedactURL(ue.URL), Err: ue.Err}
	}
	return err
}

// RedactURL hides everything in a webhook URL after its id, so it can be
// logged: https://discord.com/api/webhooks/123/REDACTED.
func RedactURL(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		return "[invalid URL]"
	}
	redacted := u.Scheme + "://" + u.Host
	path := u.Path
	if i := indexAfterWebhookID(path); i >= 0 {
		return redacted + path[:i] + "/REDACTED"
	}
	return redacted + "/REDACTED"
}

// indexAfterWebhookID returns where the token starts in a webhook path
// (/api[/vN]/webhooks/{id}/{token}), or -1.
func indexAfterWebhookID(path string) int {
	const marker = "/webhooks/"
	i := strings.Index(path, marker)
	if i < 0 {
		return -1
	}
	rest := path[i+len(marker):]
	j := strings.IndexByte(rest, '/')
	if j < 0 {
		return -1
	}
	return i + len(marker) + j
}
