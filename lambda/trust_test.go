package main

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/aws/aws-lambda-go/events"

	"clockify-discord-relay/lambda/accept/apigateway"
	"clockify-discord-relay/lambda/discord"
	"clockify-discord-relay/lambda/discord/discordtest"
	"clockify-discord-relay/lambda/internal/testkit/processtest"
	"clockify-discord-relay/lambda/local"
	"clockify-discord-relay/lambda/settings"
)

const trustSecret = "trust-test-secret-of-started"

// trustCase is one request at the trust boundary, sent both through the
// Lambda handler and through local mode unless marked otherwise.
type trustCase struct {
	name       string
	method     string
	path       string
	headers    map[string]string
	multiOnly  bool // Lambda: headers only in multiValueHeaders
	body       string
	base64     bool // Lambda: body base64-encoded by API Gateway
	status     int
	answer     string
	sent       int
	check      func(t *testing.T, got []discordtest.Received)
	lambdaOnly bool
	localOnly  bool
}

func signed(event string) map[string]string {
	return map[string]string{"Clockify-Signature": trustSecret, "Clockify-Webhook-Event-Type": event}
}

const trustEntry = `{"id":"e1","description":"%s","currentlyRunning":true,
	"timeInterval":{"start":"2025-06-16T07:05:00Z"},"project":{"name":"Website","clientName":""},"user":{"name":"%s"}}`

func entryBody(description, user string) string {
	d, _ := json.Marshal(description)
	u, _ := json.Marshal(user)
	r := strings.Replace(trustEntry, `"%s"`, string(d), 1)
	return strings.Replace(r, `"%s"`, string(u), 1)
}

func trustCases() []trustCase {
	ok := entryBody("Fix login bug", "Ada")
	return []trustCase{
		{name: "signed", headers: signed("NEW_TIMER_STARTED"), body: ok, status: 200,
			answer: `{"status":"queued","event":"NEW_TIMER_STARTED"}`, sent: 1},
		{name: "second secret of the list", headers: map[string]string{"Clockify-Signature": "trust-test-secret-of-stopped", "Clockify-Webhook-Event-Type": "NEW_TIMER_STARTED"},
			body: ok, status: 200, answer: `{"status":"queued","event":"NEW_TIMER_STARTED"}`, sent: 1},
		{name: "header names in lower case", headers: map[string]string{"clockify-signature": trustSecret, "clockify-webhook-event-type": "NEW_TIMER_STARTED"},
			body: ok, status: 200, answer: `{"status":"queued","event":"NEW_TIMER_STARTED"}`, sent: 1},
		{name: "only multiValueHeaders", headers: signed("NEW_TIMER_STARTED"), multiOnly: true, body: ok, status: 200,
			answer: `{"status":"queued","event":"NEW_TIMER_STARTED"}`, sent: 1, lambdaOnly: true},
		{name: "base64 body", headers: signed("NEW_TIMER_STARTED"), body: ok, base64: true, status: 200,
			answer: `{"status":"queued","event":"NEW_TIMER_STARTED"}`, sent: 1, lambdaOnly: true},
		{name: "missing signature", headers: map[string]string{"Clockify-Webhook-Event-Type": "NEW_TIMER_STARTED"}, body: ok,
			status: 401, answer: `{"error":"missing or invalid Clockify-Signature"}`},
		{name: "wrong signature", headers: map[string]string{"Clockify-Signature": trustSecret + "x", "Clockify-Webhook-Event-Type": "NEW_TIMER_STARTED"},
			body: ok, status: 401, answer: `{"error":"missing or invalid Clockify-Signature"}`},
		{name: "wrong signature on an ignored event", headers: map[string]string{"Clockify-Signature": "x", "Clockify-Webhook-Event-Type": "NEW_PROJECT"},
			body: `{}`, status: 401, answer: `{"error":"missing or invalid Clockify-Signature"}`},
		{name: "body over 1 MiB", headers: signed("NEW_TIMER_STARTED"), body: strings.Repeat("a", 1<<20+1),
			status: 413, answer: `{"error":"body is larger than 1 MiB"}`},
		{name: "not JSON", headers: signed("NEW_TIMER_STARTED"), body: "hello", status: 400, answer: `{"error":"body is not a JSON object"}`},
		{name: "JSON array", headers: signed("NEW_TIMER_STARTED"), body: `[]`, status: 400, answer: `{"error":"body is not a JSON object"}`},
		{name: "broken JSON", headers: signed("NEW_TIMER_STARTED"), body: `{"id":`, status: 400, answer: `{"error":"body is not valid JSON"}`},
		{name: "not a time entry", headers: signed("TIMER_STOPPED"), body: `{"id":"e1"}`, status: 400,
			answer: `{"error":"time entry has no timeInterval.start"}`},
		{name: "GET", method: "GET", headers: signed("NEW_TIMER_STARTED"), status: 405, answer: `{"error":"only POST is accepted"}`},
		{name: "PUT", method: "PUT", headers: signed("NEW_TIMER_STARTED"), body: ok, status: 405, answer: `{"error":"only POST is accepted"}`},
		{name: "other path", path: "/admin", headers: signed("NEW_TIMER_STARTED"), body: ok, status: 404,
			answer: `{"error":"not found: Clockify posts to /clockify"}`},
		{name: "event not handled", headers: signed("NEW_CLIENT"), body: `{"id":"c1","name":"ACME"}`, status: 200,
			answer: `{"status":"ignored","event":"NEW_CLIENT"}`},
		{name: "mentions and markdown", headers: signed("NEW_TIMER_STARTED"),
			body: entryBody("@everyone **urgent** [login](https://evil.example) <@&123>", "@here"), status: 200,
			answer: `{"status":"queued","event":"NEW_TIMER_STARTED"}`, sent: 1,
			check: func(t *testing.T, got []discordtest.Received) {
				body := string(got[0].Body)
				for _, raw := range []string{"@everyone", "@here", "**urgent**", "[login](", "<@&123>"} {
					if strings.Contains(body, raw) {
						t.Errorf("%q reaches Discord unescaped: %s", raw, body)
					}
				}
				if !strings.Contains(body, `\\*\\*urgent\\*\\*`) || !strings.Contains(body, "@\u200beveryone") {
					t.Errorf("the description is not in the message, escaped: %s", body)
				}
				if !strings.Contains(body, `"allowed_mentions":{"parse":[]}`) {
					t.Errorf("no allowed_mentions: %s", body)
				}
			}},
		{name: "description over Discord's limit", headers: signed("NEW_TIMER_STARTED"),
			body: entryBody(strings.Repeat("長", 5000), "Ada"), status: 200,
			answer: `{"status":"queued","event":"NEW_TIMER_STARTED"}`, sent: 1,
			check: func(t *testing.T, got []discordtest.Received) {
				f := got[0].Message.Embeds[0].Fields[0] // the description
				if n := utf8.RuneCountInString(f.Value); n != discord.MaxFieldValueRunes || !strings.HasSuffix(f.Value, "…") {
					t.Errorf("description field has %d runes", n)
				}
			}},
	}
}

func trustSettings(t *testing.T, dc *discordtest.Server, signing string) settings.Settings {
	t.Helper()
	s, err := settings.Load(env(map[string]string{
		"DISCORD_WEBHOOK_URL":      dc.WebhookURL(),
		"CLOCKIFY_SIGNING_SECRETS": signing,
	}))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestTrustBoundaryThroughLambda(t *testing.T) {
	for _, tc := range trustCases() {
		if tc.localOnly {
			continue
		}
		t.Run(tc.name, func(t *testing.T) {
			dc := discordtest.NewServer(t)
			var logs bytes.Buffer
			h := apigateway.NewHandler(newRelay(trustSettings(t, dc, trustSecret+"\ntrust-test-secret-of-stopped"),
				discord.NewClient(dc.Client()), slog.New(slog.NewJSONHandler(&logs, nil)), false, nil).Front(nil))
			ev := events.APIGatewayProxyRequest{HTTPMethod: tc.method, Path: tc.path, Body: tc.body}
			if ev.HTTPMethod == "" {
				ev.HTTPMethod = "POST"
			}
			if ev.Path == "" {
				ev.Path = "/clockify"
			}
			if tc.base64 {
				ev.Body, ev.IsBase64Encoded = base64.StdEncoding.EncodeToString([]byte(tc.body)), true
			}
			ev.MultiValueHeaders = map[string][]string{}
			if !tc.multiOnly {
				ev.Headers = tc.headers
			}
			for k, v := range tc.headers {
				ev.MultiValueHeaders[k] = []string{v}
			}
			payload, _ := json.Marshal(ev)
			out, err := h.Invoke(context.Background(), payload)
			if err != nil {
				t.Fatal(err)
			}
			var resp events.APIGatewayProxyResponse
			if err := json.Unmarshal(out, &resp); err != nil {
				t.Fatal(err)
			}
			checkTrust(t, tc, resp.StatusCode, resp.Body, dc, logs.String())
		})
	}
}

func TestTrustBoundaryThroughLocalMode(t *testing.T) {
	for _, tc := range trustCases() {
		if tc.lambdaOnly {
			continue
		}
		t.Run(tc.name, func(t *testing.T) {
			dc := discordtest.NewServer(t)
			var logs processtest.Buffer
			h := newRelay(trustSettings(t, dc, trustSecret+",trust-test-secret-of-stopped"),
				discord.NewClient(dc.Client()), slog.New(slog.NewJSONHandler(&logs, nil)), true, nil).Front(nil, local.ThisMachine)
			srv := httptest.NewServer(h)
			defer srv.Close()
			method, path := tc.method, tc.path
			if method == "" {
				method = "POST"
			}
			if path == "" {
				path = "/clockify"
			}
			req, _ := http.NewRequest(method, srv.URL+path, strings.NewReader(tc.body))
			req.Header.Set("Content-Type", "application/json") // as Clockify sends
			for k, v := range tc.headers {
				req.Header[k] = []string{v} // as sent, without canonicalising
			}
			resp, err := srv.Client().Do(req)
			if err != nil {
				t.Fatal(err)
			}
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			checkTrust(t, tc, resp.StatusCode, string(body), dc, logs.String())
		})
	}
}

func checkTrust(t *testing.T, tc trustCase, status int, body string, dc *discordtest.Server, logs string) {
	t.Helper()
	if status != tc.status || body != tc.answer {
		t.Errorf("answer = %d %s, want %d %s", status, body, tc.status, tc.answer)
	}
	got := dc.Received()
	if len(got) != tc.sent {
		t.Fatalf("Discord received %d messages, want %d", len(got), tc.sent)
	}
	for _, r := range got {
		if field, problem := discordtest.Validate(r.Message); field != "" {
			t.Errorf("Discord would refuse %s: %s", field, problem)
		}
	}
	if tc.check != nil {
		tc.check(t, got)
	}
	// Every answer, refusals included, has its one log line.
	if n := strings.Count(logs, `"msg":"request"`); n != 1 || !strings.Contains(logs, fmt.Sprintf(`"status":%d`, status)) {
		t.Errorf("%d request lines for one request (status %d): %s", n, status, logs)
	}
	for _, secret := range []string{trustSecret, "trust-test-secret-of-stopped", discordtest.Token} {
		if strings.Contains(logs, secret) {
			t.Errorf("a secret was logged: %s", logs)
		}
	}
}

func TestLambdaWithoutSigningSecretRefusesEverything(t *testing.T) {
	dc := discordtest.NewServer(t)
	var logs bytes.Buffer
	h := apigateway.NewHandler(newRelay(trustSettings(t, dc, ""), discord.NewClient(dc.Client()), slog.New(slog.NewJSONHandler(&logs, nil)), false, nil).Front(nil))
	for _, sig := range []string{"", "anything"} {
		payload, _ := json.Marshal(events.APIGatewayProxyRequest{HTTPMethod: "POST", Path: "/clockify", Body: entryBody("x", "Ada"),
			Headers: map[string]string{"Clockify-Signature": sig, "Clockify-Webhook-Event-Type": "NEW_TIMER_STARTED"}})
		out, _ := h.Invoke(context.Background(), payload)
		var resp events.APIGatewayProxyResponse
		_ = json.Unmarshal(out, &resp)
		if resp.StatusCode != 401 {
			t.Errorf("signature %q: status %d", sig, resp.StatusCode)
		}
	}
	if dc.Requests() != 0 {
		t.Error("Discord was called")
	}
	if !strings.Contains(logs.String(), "no Clockify signing secret is configured") {
		t.Errorf("no clear error logged: %s", logs.String())
	}
}

// TestFailingDeliveryLogsNoSecret covers both kinds of failure: Discord's
// answer, and a transport error, whose *url.Error would print the URL.
func TestFailingDeliveryLogsNoSecret(t *testing.T) {
	dc := discordtest.NewServer(t)
	dc.DeleteWebhook()
	closed := httptest.NewServer(http.NotFoundHandler())
	closedURL := closed.URL + "/api/webhooks/1/" + discordtest.Token
	closed.Close()
	for url, outcome := range map[string]string{dc.WebhookURL(): "dead", closedURL: "retry"} {
		var logs bytes.Buffer
		s, _ := settings.Load(env(map[string]string{"DISCORD_WEBHOOK_URL": url, "CLOCKIFY_SIGNING_SECRETS": trustSecret}))
		client := discord.NewClient(&http.Client{})
		client.MaxAttempts = 1 // the queue retries, not this test
		h := apigateway.NewHandler(newRelay(s, client, slog.New(slog.NewJSONHandler(&logs, nil)), false, nil).Front(nil))
		payload, _ := json.Marshal(events.APIGatewayProxyRequest{HTTPMethod: "POST", Path: "/clockify", Body: entryBody("x", "Ada"), Headers: signed("NEW_TIMER_STARTED")})
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		out, _ := h.Invoke(ctx, payload)
		cancel()
		var resp events.APIGatewayProxyResponse
		_ = json.Unmarshal(out, &resp)
		if resp.StatusCode != http.StatusOK {
			t.Errorf("status %d, want 200: the request was accepted", resp.StatusCode)
		}
		if !strings.Contains(logs.String(), `"outcome":"`+outcome+`"`) || (url == closedURL && !strings.Contains(logs.String(), "/webhooks/1/REDACTED")) {
			t.Errorf("the failure is not logged clearly: %s", logs.String())
		}
		for _, secret := range []string{discordtest.Token, trustSecret} {
			if strings.Contains(logs.String(), secret) {
				t.Errorf("a secret was logged: %s", logs.String())
			}
		}
	}
}
