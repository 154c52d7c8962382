package httpserver_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"clockify-discord-relay/lambda/accept/httpserver"
	"clockify-discord-relay/lambda/accept/relay"
)

type recorder struct {
	got     *relay.Request
	refused []int
}

func (r *recorder) Handle(_ context.Context, req relay.Request) relay.Response {
	r.got = &req
	return relay.Response{Status: 200, Body: []byte(`{"status":"queued"}`)}
}

func (r *recorder) Refuse(_ context.Context, _ relay.Request, status int, reason string) relay.Response {
	r.refused = append(r.refused, status)
	return relay.ErrorResponse(status, reason)
}

func TestServer(t *testing.T) {
	tests := []struct {
		name, method, path, body string
		status                   int
		answer                   string
		reachesRelay             bool
	}{
		{"post", "POST", "/clockify", `{"id":"e1"}`, 200, `{"status":"queued"}`, true},
		{"too large", "POST", "/clockify", strings.Repeat("x", relay.MaxBodyBytes+1), 413, `{"error":"body is larger than 1 MiB"}`, false},
		{"just at the limit", "POST", "/clockify", strings.Repeat("x", relay.MaxBodyBytes), 200, `{"status":"queued"}`, true},
		{"other path", "POST", "/webhook", `{}`, 404, `{"error":"not found: Clockify posts to /clockify"}`, false},
		{"interactions, off", "POST", "/discord/interactions", `{}`, 404,
			`{"error":"interactions are off: set DISCORD_PUBLIC_KEY (or DISCORD_PUBLIC_KEY_PARAMETER) to the application's public key to turn them on"}`, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := &recorder{}
			srv := httptest.NewServer(httpserver.NewHandler(rec, nil))
			defer srv.Close()
			req, _ := http.NewRequest(tt.method, srv.URL+tt.path, strings.NewReader(tt.body))
			req.Header.Set("clockify-signature", "sig")
			req.Header.Set("Content-Type", "application/json")
			resp, err := srv.Client().Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			b, _ := io.ReadAll(resp.Body)
			if resp.StatusCode != tt.status || string(b) != tt.answer {
				t.Errorf("answer = %d %s, want %d %s", resp.StatusCode, b, tt.status, tt.answer)
			}
			if ct := resp.Header.Get("Content-Type"); ct != "application/json" {
				t.Errorf("Content-Type = %q", ct)
			}
			if (rec.got != nil) != tt.reachesRelay {
				t.Fatalf("reached relay = %v, want %v", rec.got != nil, tt.reachesRelay)
			}
			if !tt.reachesRelay && (len(rec.refused) != 1 || rec.refused[0] != tt.status) {
				t.Errorf("refusals %v: a refusal must go through the relay, to be logged and counted", rec.refused)
			}
			if rec.got != nil && (rec.got.Header.Get("Clockify-Signature") != "sig" || len(rec.got.Body) != len(tt.body) || rec.got.RequestID != "local-1") {
				t.Errorf("relay got %s headers %v", rec.got.Method, rec.got.Header)
			}
		})
	}
}

// TestOnlyThisMachine: a web page cannot post through local mode, nor can
// another host's name (DNS rebinding); a plain curl with JSON can.
func TestOnlyThisMachine(t *testing.T) {
	rec := &recorder{}
	srv := httptest.NewServer(httpserver.NewHandler(rec, nil))
	defer srv.Close()
	tests := []struct {
		name    string
		headers map[string]string
		host    string
		status  int
	}{
		{"curl", map[string]string{"Content-Type": "application/json"}, "", 200},
		{"curl with charset", map[string]string{"Content-Type": "application/json; charset=utf-8"}, "localhost:8080", 200},
		{"a page's simple request", map[string]string{"Content-Type": "text/plain", "Origin": "https://evil.example"}, "", 403},
		{"a page's JSON request", map[string]string{"Content-Type": "application/json", "Origin": "https://evil.example"}, "", 403},
		{"text/plain without Origin", map[string]string{"Content-Type": "text/plain"}, "", 415},
		{"form", map[string]string{"Content-Type": "application/x-www-form-urlencoded"}, "", 415},
		{"no Content-Type", nil, "", 415},
		{"a foreign Host", map[string]string{"Content-Type": "application/json"}, "evil.example", 421},
		{"a foreign Host with a port", map[string]string{"Content-Type": "application/json"}, "evil.example:8080", 421},
		{"IPv6 loopback", map[string]string{"Content-Type": "application/json"}, "[::1]:8080", 200},
	}
	for _, tt := range tests {
		rec.got = nil
		req, _ := http.NewRequest("POST", srv.URL+"/clockify", strings.NewReader(`{}`))
		for k, v := range tt.headers {
			req.Header.Set(k, v)
		}
		if tt.host != "" {
			req.Host = tt.host
		}
		resp, err := srv.Client().Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != tt.status || (rec.got != nil) != (tt.status == 200) {
			t.Errorf("%s: %d (reached the relay: %v), want %d", tt.name, resp.StatusCode, rec.got != nil, tt.status)
		}
	}
}
