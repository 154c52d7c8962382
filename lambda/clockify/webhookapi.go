package clockify

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
)

// DefaultAPI is Clockify's API base URL. Workspaces on a regional server
// use that server's base URL instead.
const DefaultAPI = "https://api.clockify.me/api"

// Webhook is a webhook as Clockify's API shows it. AuthToken is the signing
// secret Clockify sends in Clockify-Signature.
type Webhook struct {
	ID        string    `json:"id"`
	Name      string    `json:"name"`
	URL       string    `json:"url"`
	Event     EventType `json:"webhookEvent"`
	AuthToken string    `json:"authToken"`
	Enabled   bool      `json:"enabled"`
}

// WebhookAPI manages a workspace's webhooks through Clockify's API, with an
// API key (X-Api-Key).
type WebhookAPI struct {
	base string
	key  string
	http *http.Client
}

// NewWebhookAPI talks to the API at base with the given key.
func NewWebhookAPI(base, apiKey string, hc *http.Client) *WebhookAPI {
	return &WebhookAPI{base: strings.TrimRight(base, "/"), key: apiKey, http: hc}
}

// List returns the workspace's webhooks.
func (a *WebhookAPI) List(ctx context.Context, workspace string) ([]Webhook, error) {
	raw, err := a.do(ctx, http.MethodGet, a.path(workspace), nil)
	if err != nil {
		return nil, err
	}
	// The API answers {"webhooks": [...], "workspaceWebhookCount": n}; accept
	// a bare list too.
	var envelope struct {
		Webhooks []Webhook `json:"webhooks"`
	}
	if err := json.Unmarshal(raw, &envelope); err == nil {
		return envelope.Webhooks, nil
	}
	var list []Webhook
	if err := json.Unmarshal(raw, &list); err != nil {
		return nil, fmt.Errorf("clockify: listing webhooks: unexpected answer")
	}
	return list, nil
}

// Create adds a webhook for event on the whole workspace ("anyone").
func (a *WebhookAPI) Create(ctx context.Context, workspace, name, target string, event EventType) (Webhook, error) {
	body, _ := json.Marshal(map[string]any{
		"name":              name,
		"url":               target,
		"webhookEvent":      event,
		"triggerSourceType": "WORKSPACE_ID",
		"triggerSource":     []string{workspace},
	})
	raw, err := a.do(ctx, http.MethodPost, a.path(workspace), body)
	if err != nil {
		return Webhook{}, err
	}
	var w Webhook
	if err := json.Unmarshal(raw, &w); err != nil || w.ID == "" {
		return Webhook{}, fmt.Errorf("clockify: creating the %s webhook: unexpected answer", event)
	}
	return w, nil
}

// Delete removes a webhook.
func (a *WebhookAPI) Delete(ctx context.Context, workspace, id string) error {
	_, err := a.do(ctx, http.MethodDelete, a.path(workspace)+"/"+url.PathEscape(id), nil)
	return err
}

func (a *WebhookAPI) path(workspace string) string {
	return a.base + "/v1/workspaces/" + url.PathEscape(workspace) + "/webhooks"
}

// do makes one call. Errors carry Clockify's message, never the key.
func (a *WebhookAPI) do(ctx context.Context, method, target string, body []byte) ([]byte, error) {
	req, err := http.NewRequestWithContext(ctx, method, target, bytes.NewReader(body))
	if err != nil {
		return nil, fmt.Errorf("clockify: invalid API URL")
	}
	req.Header.Set("X-Api-Key", a.key)
	req.Header.Set("Accept", "application/json")
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := a.http.Do(req)
	if err != nil {
		return nil, fmt.Errorf("clockify: %s %s: %w", method, req.URL.Path, unwrapURLError(err))
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(io.LimitReader(resp.Body, 4<<20))
	if resp.StatusCode/100 != 2 {
		var e struct {
			Message string `json:"message"`
		}
		_ = json.Unmarshal(raw, &e)
		msg := http.StatusText(resp.StatusCode)
		if e.Message != "" {
			msg = e.Message
		}
		return nil, fmt.Errorf("clockify: %s %s: %d %s", method, req.URL.Path, resp.StatusCode, msg)
	}
	return raw, nil
}

// unwrapURLError drops *url.Error's copy of the URL; the path is already in
// the message.
func unwrapURLError(err error) error {
	if ue, ok := err.(*url.Error); ok {
		return ue.Err
	}
	return err
}
