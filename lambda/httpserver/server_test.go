package httpserver_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"clockify-discord-relay/lambda/httpserver"
	"clockify-discord-relay/lambda/relay"
)

type recorder struct{ got *relay.Request }

func (r *recorder) Handle(_ context.Context, req relay.Request) relay.Response {
	r.got = &req
	return relay.Response{Status: 200, Body: []byte(`{"status":"delivered"}`)}
}

func TestServer(t *testing.T) {
	tests := []struct {
		name, method, path, body string
		status                   int
		answer                   string
		reachesRelay             bool
	}{
		{"post", "POST", "/clockify", `{"id":"e1"}`, 200, `{"status":"delivered"}`, true},
		{"too large", "POST", "/clockify", strings.Repeat("x", relay.MaxBodyBytes+1), 413, `{"error":"body is larger than 1 MiB"}`, false},
		{"just at the limit", "POST", "/clockify", strings.Repeat("x", relay.MaxBodyBytes), 200, `{"status":"delivered"}`, true},
		{"other path", "POST", "/webhook", `{}`, 404, `{"error":"not found: Clockify posts to /clockify"}`, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := &recorder{}
			srv := httptest.NewServer(httpserver.NewHandler(rec))
			defer srv.Close()
			req, _ := http.NewRequest(tt.method, srv.URL+tt.path, strings.NewReader(tt.body))
			req.Header.Set("clockify-signature", "sig")
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
			if rec.got != nil && (rec.got.Header.Get("Clockify-Signature") != "sig" || len(rec.got.Body) != len(tt.body) || rec.got.RequestID != "local-1") {
				t.Errorf("relay got %s headers %v", rec.got.Method, rec.got.Header)
			}
		})
	}
}
