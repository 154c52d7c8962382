package local_test

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"clockify-discord-relay/lambda/local"
)

// TestOnlyThisMachine: a web page cannot post through local mode, nor can
// another host's name (DNS rebinding); a plain curl with JSON can, and
// Discord's path takes any request but a page's.
func TestOnlyThisMachine(t *testing.T) {
	reached := false
	srv := httptest.NewServer(local.ThisMachine(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { reached = true })))
	defer srv.Close()
	tests := []struct {
		name, path string
		headers    map[string]string
		host       string
		status     int
	}{
		{"curl", "/clockify", map[string]string{"Content-Type": "application/json"}, "", 200},
		{"curl with charset", "/clockify", map[string]string{"Content-Type": "application/json; charset=utf-8"}, "localhost:8080", 200},
		{"a page's simple request", "/clockify", map[string]string{"Content-Type": "text/plain", "Origin": "https://evil.example"}, "", 403},
		{"a page's JSON request", "/clockify", map[string]string{"Content-Type": "application/json", "Origin": "https://evil.example"}, "", 403},
		{"text/plain without Origin", "/clockify", map[string]string{"Content-Type": "text/plain"}, "", 415},
		{"form", "/clockify", map[string]string{"Content-Type": "application/x-www-form-urlencoded"}, "", 415},
		{"no Content-Type", "/clockify", nil, "", 415},
		{"a foreign Host", "/clockify", map[string]string{"Content-Type": "application/json"}, "evil.example", 421},
		{"a foreign Host with a port", "/clockify", map[string]string{"Content-Type": "application/json"}, "evil.example:8080", 421},
		{"IPv6 loopback", "/clockify", map[string]string{"Content-Type": "application/json"}, "[::1]:8080", 200},
		{"Discord through a tunnel", "/discord/interactions", map[string]string{"Content-Type": "application/json"}, "relay.example", 200},
		{"a page to Discord's path", "/discord/interactions", map[string]string{"Content-Type": "application/json", "Origin": "https://evil.example"}, "", 403},
	}
	for _, tt := range tests {
		reached = false
		req, _ := http.NewRequest("POST", srv.URL+tt.path, strings.NewReader(`{}`))
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
		if resp.StatusCode != tt.status || reached != (tt.status == 200) {
			t.Errorf("%s: %d (passed on: %v), want %d", tt.name, resp.StatusCode, reached, tt.status)
		}
	}
}
