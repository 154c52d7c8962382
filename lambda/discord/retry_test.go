package discord

import (
	"errors"
	"net"
	"net/http"
	"testing"
	"time"
)

// TestDiscordRetry: what decide makes of each answer, with no network.
func TestDiscordRetry(t *testing.T) {
	h := func(kv ...string) http.Header {
		out := http.Header{}
		for i := 0; i+1 < len(kv); i += 2 {
			out.Set(kv[i], kv[i+1])
		}
		return out
	}
	tests := []struct {
		name      string
		status    int
		header    http.Header
		body      string
		err       error
		done      bool
		permanent bool
		minWait   time.Duration
		maxWait   time.Duration
	}{
		{name: "204", status: 204, done: true},
		{name: "429 retry_after", status: 429, body: `{"retry_after":1.5}`, minWait: 1500 * time.Millisecond, maxWait: 1600 * time.Millisecond},
		{name: "429 retry_after as a string", status: 429, body: `{"retry_after":"1.5"}`, minWait: 1500 * time.Millisecond, maxWait: 1600 * time.Millisecond},
		{name: "429 huge retry_after holds", status: 429, body: `{"retry_after":1e10}`, minWait: maxHold, maxWait: maxHold + rateLimitJitter},
		{name: "429 Retry-After Inf holds", status: 429, header: h("Retry-After", "Inf"), minWait: maxHold, maxWait: maxHold + rateLimitJitter},
		{name: "429 Retry-After 1e400 holds", status: 429, header: h("Retry-After", "1e400"), minWait: maxHold, maxWait: maxHold + rateLimitJitter},
		{name: "429 negative backs off", status: 429, body: `{"retry_after":-5}`, minWait: unknownRetryAfter, maxWait: unknownRetryAfter + rateLimitJitter},
		{name: "429 NaN backs off", status: 429, header: h("Retry-After", "NaN"), minWait: unknownRetryAfter, maxWait: unknownRetryAfter + rateLimitJitter},
		{name: "429 garbage backs off", status: 429, body: `{"retry_after":"soon"}`, minWait: unknownRetryAfter, maxWait: unknownRetryAfter + rateLimitJitter},
		{name: "429 header only", status: 429, header: h("Retry-After", "3"), minWait: 3 * time.Second, maxWait: 3*time.Second + rateLimitJitter},
		{name: "429 without a wait is a block", status: 429, body: `{}`, permanent: true},
		{name: "500 backs off", status: 500, minWait: backoffBase / 2, maxWait: backoffBase},
		{name: "504 may have been posted: not resent", status: 504, permanent: true},
		{name: "404 permanent", status: 404, body: `{"code":10015}`, permanent: true},
		{name: "400 permanent", status: 400, permanent: true},
		{name: "dial error retried", err: &net.OpError{Op: "dial", Err: errors.New("refused")}, minWait: backoffBase / 2, maxWait: backoffBase},
		{name: "read error not resent", err: &net.OpError{Op: "read", Err: errors.New("reset")}, permanent: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var a *answer
			if tt.err == nil {
				header := tt.header
				if header == nil {
					header = http.Header{}
				}
				a = &answer{StatusCode: tt.status, Header: header, Body: []byte(tt.body)}
			}
			v := decide(a, tt.err, 1)
			if v.done != tt.done || (v.permanent != nil) != tt.permanent {
				t.Fatalf("verdict %+v", v)
			}
			if !tt.done && !tt.permanent && (v.wait < tt.minWait || v.wait > tt.maxWait) {
				t.Errorf("wait %s, want %s to %s", v.wait, tt.minWait, tt.maxWait)
			}
		})
	}
}
