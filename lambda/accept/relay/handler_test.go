package relay_test

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"clockify-discord-relay/lambda/accept/relay"
	"clockify-discord-relay/lambda/clockify"
	"clockify-discord-relay/lambda/deliver"
	"clockify-discord-relay/lambda/discord"
	"clockify-discord-relay/lambda/discord/discordtest"
	"clockify-discord-relay/lambda/message"
	"clockify-discord-relay/lambda/queue"
	"clockify-discord-relay/lambda/queue/queuetest"
	"clockify-discord-relay/lambda/route"
	"clockify-discord-relay/lambda/secrets"
)

const (
	signingSecret = "test-signing-secret-started"
	startedBody   = `{"id":"e1","description":"Fix login bug","currentlyRunning":true,
		"timeInterval":{"start":"2025-06-16T07:05:00Z","end":null,"duration":null},
		"project":{"name":"Website","clientName":"ACME"},"user":{"name":"Ada"}}`
	stoppedBody = `{"id":"e2","description":"","currentlyRunning":false,
		"timeInterval":{"start":"2025-06-16T07:05:00Z","end":"2025-06-16T08:35:00Z","duration":"PT1H30M"},
		"project":null,"user":{"name":"Ada"}}`
)

type fixture struct {
	discord *discordtest.Server
	logs    *bytes.Buffer
	handler *relay.Handler
}

func newFixture(t *testing.T, sec secrets.Source, opts relay.Options) *fixture {
	t.Helper()
	return newFixtureIn(t, sec, opts, "ja")
}

// newFixtureIn is newFixture with the messages in a language.
func newFixtureIn(t *testing.T, sec secrets.Source, opts relay.Options, lang string) *fixture {
	t.Helper()
	f := &fixture{discord: discordtest.NewServer(t), logs: &bytes.Buffer{}}
	if sec == nil {
		sec = secrets.Static{DiscordWebhookURL: f.discord.WebhookURL(), Signing: clockify.MustParseSecrets("other-secret-of-another-webhook\n" + signingSecret)}
	}
	logger := slog.New(slog.NewJSONHandler(f.logs, nil))
	f.handler = inlineHandler(sec, discord.NewClient(f.discord.Client()), logger, opts, lang)
	return f
}

// inlineHandler is the relay delivering inline with client, text style.
func inlineHandler(sec secrets.Source, client *discord.Client, logger *slog.Logger, opts relay.Options, lang string) *relay.Handler {
	language, _ := message.LanguageFor(lang)
	d := deliver.New(sec, client, logger, deliver.Options{Language: language, Style: message.StyleText})
	return relay.NewHandler(sec, &queuetest.Delivering{Deliverer: d}, logger, opts)
}

// testRequest is a webhook as Clockify sends it.
type testRequest struct {
	Method string
	Header http.Header
	Body   []byte
}

// response is the front's answer.
type response struct {
	Status int
	Body   []byte
}

// serve sends r through h's front, as both modes do, named req-1.
func serve(h *relay.Handler, r testRequest) response {
	req := httptest.NewRequest(r.Method, relay.Path, bytes.NewReader(r.Body))
	req.Header = r.Header.Clone()
	req.Header.Set("X-Request-Id", "req-1")
	rec := httptest.NewRecorder()
	h.Front(nil).ServeHTTP(rec, req)
	return response{Status: rec.Code, Body: rec.Body.Bytes()}
}

func request(event, signature, body string) testRequest {
	h := http.Header{}
	if event != "" {
		h.Set(clockify.EventTypeHeader, event)
	}
	if signature != "" {
		h.Set(clockify.SignatureHeader, signature)
	}
	return testRequest{Method: http.MethodPost, Header: h, Body: []byte(body)}
}

func TestHandle(t *testing.T) {
	tests := []struct {
		name     string
		req      testRequest
		status   int
		answer   string
		received []string // exact bodies Discord receives
	}{
		{"timer started", request("NEW_TIMER_STARTED", signingSecret, startedBody), 200,
			`{"status":"queued","event":"NEW_TIMER_STARTED"}`,
			[]string{`{"content":"Ada が ACME - Website Fix login bug を開始しました.","allowed_mentions":{"parse":[]},"flags":4}`}},
		{"timer stopped", request("TIMER_STOPPED", "other-secret-of-another-webhook", stoppedBody), 200,
			`{"status":"queued","event":"TIMER_STOPPED"}`,
			[]string{`{"content":"Ada がタイマーを終了しました (1時間30分). お疲れ様でした.","allowed_mentions":{"parse":[]},"flags":4}`}},
		{"no event header, running entry", request("", signingSecret, startedBody), 200,
			`{"status":"queued","event":"NEW_TIMER_STARTED"}`,
			[]string{`{"content":"Ada が ACME - Website Fix login bug を開始しました.","allowed_mentions":{"parse":[]},"flags":4}`}},
		{"no event header, finished entry", request("", signingSecret, stoppedBody), 200,
			`{"status":"queued","event":"TIMER_STOPPED"}`,
			[]string{`{"content":"Ada がタイマーを終了しました (1時間30分). お疲れ様でした.","allowed_mentions":{"parse":[]},"flags":4}`}},
		{"event header in lower case", request("timer_stopped", signingSecret, stoppedBody), 200,
			`{"status":"queued","event":"TIMER_STOPPED"}`,
			[]string{`{"content":"Ada がタイマーを終了しました (1時間30分). お疲れ様でした.","allowed_mentions":{"parse":[]},"flags":4}`}},
		{"event not handled", request("NEW_PROJECT", signingSecret, `{"id":"p1","name":"Website"}`), 200,
			`{"status":"ignored","event":"NEW_PROJECT"}`, nil},
		{"wrong signature", request("NEW_TIMER_STARTED", "guess", startedBody), 401,
			`{"error":"missing or invalid Clockify-Signature"}`, nil},
		{"no signature", request("NEW_TIMER_STARTED", "", startedBody), 401,
			`{"error":"missing or invalid Clockify-Signature"}`, nil},
		{"not JSON", request("NEW_TIMER_STARTED", signingSecret, `<xml/>`), 400,
			`{"error":"body is not a JSON object"}`, nil},
		{"not a time entry", request("NEW_TIMER_STARTED", signingSecret, `{"name":"x"}`), 400,
			`{"error":"time entry has no id"}`, nil},
		{"GET", testRequest{Method: http.MethodGet, Header: http.Header{}}, 405,
			`{"error":"only POST is accepted"}`, nil},
		{"too large", request("NEW_TIMER_STARTED", signingSecret, strings.Repeat(" ", relay.MaxBodyBytes+1)), 413,
			`{"error":"body is larger than 1 MiB"}`, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t, nil, relay.Options{})
			resp := serve(f.handler, tt.req)
			if resp.Status != tt.status || string(resp.Body) != tt.answer {
				t.Errorf("answer = %d %s, want %d %s", resp.Status, resp.Body, tt.status, tt.answer)
			}
			got := f.discord.Received()
			if len(got) != len(tt.received) {
				t.Fatalf("Discord received %d messages, want %d", len(got), len(tt.received))
			}
			for i := range got {
				if string(got[i].Body) != tt.received[i] {
					t.Errorf("Discord received\n%s\nwant\n%s", got[i].Body, tt.received[i])
				}
			}
			if strings.Contains(f.logs.String(), signingSecret) {
				t.Error("the signing secret was logged")
			}
		})
	}
}

func TestHandleEnglish(t *testing.T) {
	f := newFixtureIn(t, nil, relay.Options{}, "en")
	resp := serve(f.handler, request("TIMER_STOPPED", signingSecret, stoppedBody))
	if resp.Status != 200 {
		t.Fatalf("status %d %s", resp.Status, resp.Body)
	}
	want := `{"content":"Ada stopped a timer after 1h 30m. Nice work!","allowed_mentions":{"parse":[]},"flags":4}`
	if got := f.discord.Received(); len(got) != 1 || string(got[0].Body) != want {
		t.Errorf("Discord received %v, want %s", got, want)
	}
}

func TestHandleFailsClosedWithoutSigningSecrets(t *testing.T) {
	srv := discordtest.NewServer(t)
	f := newFixture(t, secrets.Static{DiscordWebhookURL: srv.WebhookURL()}, relay.Options{})
	for _, sig := range []string{"", "anything"} {
		resp := serve(f.handler, request("NEW_TIMER_STARTED", sig, startedBody))
		if resp.Status != http.StatusUnauthorized {
			t.Errorf("signature %q: status %d, want 401", sig, resp.Status)
		}
	}
	if n := srv.Requests(); n != 0 {
		t.Errorf("Discord got %d requests", n)
	}
	if !strings.Contains(f.logs.String(), "no Clockify signing secret is configured") {
		t.Errorf("log does not say why: %s", f.logs)
	}
}

func TestHandleAllowsUnsignedOnlyWhenAsked(t *testing.T) {
	srv := discordtest.NewServer(t)
	f := newFixture(t, secrets.Static{DiscordWebhookURL: srv.WebhookURL()}, relay.Options{AllowUnsigned: true})
	resp := serve(f.handler, request("NEW_TIMER_STARTED", "", startedBody))
	if resp.Status != http.StatusOK || len(srv.Received()) != 1 {
		t.Errorf("status %d, received %d", resp.Status, len(srv.Received()))
	}
}

func TestHandleDeliveryFailure(t *testing.T) {
	f := newFixture(t, nil, relay.Options{})
	f.discord.DeleteWebhook()
	resp := serve(f.handler, request("NEW_TIMER_STARTED", signingSecret, startedBody))
	// What Discord did is the deliver half's to say: the request was
	// accepted, and the message's own log line says why it failed.
	if resp.Status != http.StatusOK || string(resp.Body) != `{"status":"queued","event":"NEW_TIMER_STARTED"}` {
		t.Errorf("answer = %d %s", resp.Status, resp.Body)
	}
	logs := f.logs.String()
	if !strings.Contains(logs, "the webhook was deleted") || !strings.Contains(logs, `"outcome":"dead"`) {
		t.Errorf("log does not explain the failure: %s", logs)
	}
	for _, secret := range []string{discordtest.Token, signingSecret} {
		if strings.Contains(logs, secret) {
			t.Errorf("log leaks a secret: %s", logs)
		}
	}
}

// TestHandleWithoutWebhook: accepting needs no webhook URL; delivering
// without one fails for good, and the log says why.
func TestHandleWithoutWebhook(t *testing.T) {
	f := newFixture(t, secrets.Static{Signing: clockify.MustParseSecrets(signingSecret)}, relay.Options{})
	resp := serve(f.handler, request("NEW_TIMER_STARTED", signingSecret, startedBody))
	if resp.Status != http.StatusOK || !strings.Contains(f.logs.String(), "no webhook URL is configured") {
		t.Errorf("status %d, want 200; logs %s", resp.Status, f.logs)
	}
}

type failingSecrets struct{ calls int }

func (f *failingSecrets) Secrets(context.Context) (secrets.Values, error) {
	f.calls++
	return secrets.Values{}, errors.New("ssm: parameters not found: /relay/discord")
}

func TestHandleSecretsUnavailable(t *testing.T) {
	src := &failingSecrets{}
	f := newFixture(t, src, relay.Options{})
	resp := serve(f.handler, request("NEW_TIMER_STARTED", signingSecret, startedBody))
	if resp.Status != http.StatusInternalServerError || string(resp.Body) != `{"error":"relay secrets are unavailable"}` {
		t.Errorf("answer = %d %s", resp.Status, resp.Body)
	}
	if !strings.Contains(f.logs.String(), "parameters not found: /relay/discord") {
		t.Errorf("log does not name the missing parameter: %s", f.logs)
	}
	if f.discord.Requests() != 0 {
		t.Error("Discord was called")
	}
}

func TestHandleRoutes(t *testing.T) {
	other := discordtest.NewServer(t)
	table, err := route.Parse(`[
		{"name": "quiet", "match": {"user": ["Bob"]}, "drop": true},
		{"name": "website", "match": {"project": ["Website"]}, "webhook": "`+other.HTTPSWebhookURL()+`"}
	]`, discord.CheckWebhookURL)
	if err != nil {
		t.Fatal(err)
	}
	f := newFixture(t, nil, relay.Options{})
	// Routes need https URLs; the stand-in speaks http, so send through a
	// client that rewrites the scheme.
	sec := secrets.Static{DiscordWebhookURL: f.discord.WebhookURL(), Signing: clockify.MustParseSecrets(signingSecret), Routes: table}
	f.handler = inlineHandler(sec, discord.NewClient(&http.Client{Transport: discordtest.HTTPSToHTTP{}}), slog.New(slog.NewJSONHandler(f.logs, nil)),
		relay.Options{}, "ja")

	bob := strings.Replace(stoppedBody, `"name":"Ada"`, `"name":"Bob"`, 1)
	if resp := serve(f.handler, request("TIMER_STOPPED", signingSecret, bob)); resp.Status != 200 || string(resp.Body) != `{"status":"dropped","event":"TIMER_STOPPED"}` {
		t.Errorf("dropped: %d %s", resp.Status, resp.Body)
	}
	if resp := serve(f.handler, request("NEW_TIMER_STARTED", signingSecret, startedBody)); resp.Status != 200 {
		t.Errorf("routed: %d %s", resp.Status, resp.Body)
	}
	if resp := serve(f.handler, request("TIMER_STOPPED", signingSecret, stoppedBody)); resp.Status != 200 {
		t.Errorf("default: %d %s", resp.Status, resp.Body)
	}
	if got := other.Received(); len(got) != 1 || !strings.Contains(got[0].Message.Content, "Website") {
		t.Errorf("the routed webhook received %d", len(got))
	}
	if got := f.discord.Received(); len(got) != 1 || !strings.Contains(got[0].Message.Content, "タイマーを終了") {
		t.Errorf("the default webhook received %d", len(got))
	}
	if !strings.Contains(f.logs.String(), `"route":"quiet"`) || !strings.Contains(f.logs.String(), `"outcome":"dropped"`) {
		t.Errorf("the log does not say which rule dropped: %s", f.logs)
	}
}

// queueFunc is a queue.Queue made of a function.
type queueFunc func(context.Context, queue.Job) (queue.Receipt, error)

func (f queueFunc) Enqueue(ctx context.Context, j queue.Job) (queue.Receipt, error) { return f(ctx, j) }

func TestHandleQueues(t *testing.T) {
	var jobs []queue.Job
	q := queueFunc(func(_ context.Context, j queue.Job) (queue.Receipt, error) {
		for _, old := range jobs {
			if old.Key == j.Key {
				return queue.Receipt{Status: "duplicate"}, nil
			}
		}
		jobs = append(jobs, j)
		return queue.Receipt{Status: "queued"}, nil
	})
	var logs bytes.Buffer
	sec := secrets.Static{DiscordWebhookURL: "https://discord.invalid/api/webhooks/1/t", Signing: clockify.MustParseSecrets(signingSecret)}
	h := relay.NewHandler(sec, q, slog.New(slog.NewJSONHandler(&logs, nil)), relay.Options{})
	for _, want := range []string{"queued", "duplicate"} {
		resp := serve(h, request("NEW_TIMER_STARTED", signingSecret, startedBody))
		if resp.Status != 200 || string(resp.Body) != `{"status":"`+want+`","event":"NEW_TIMER_STARTED"}` {
			t.Errorf("answer = %d %s, want %s", resp.Status, resp.Body, want)
		}
	}
	// The same entry, shown differently, is a new job.
	serve(h, request("NEW_TIMER_STARTED", signingSecret, strings.Replace(startedBody, "Fix login bug", "Fix logout bug", 1)))
	serve(h, request("TIMER_STOPPED", signingSecret, stoppedBody))
	if len(jobs) != 3 {
		t.Fatalf("%d jobs", len(jobs))
	}
	j := jobs[0]
	if j.Event.Entry.ID != "e1" || j.Route != "" || j.Group != queue.Destination("") || j.RequestID != "req-1" ||
		!strings.HasPrefix(j.Key, "NEW_TIMER_STARTED.e1.") || jobs[1].Key == j.Key {
		t.Errorf("job %+v", j)
	}
	if strings.Contains(j.Group, "discord") || !strings.Contains(logs.String(), `"outcome":"queued"`) {
		t.Errorf("group %q, log %s", j.Group, logs.String())
	}
}

func TestHandleQueueDown(t *testing.T) {
	q := queueFunc(func(context.Context, queue.Job) (queue.Receipt, error) {
		return queue.Receipt{}, &queue.NotStoredError{Err: errors.New("disk full")}
	})
	var logs bytes.Buffer
	sec := secrets.Static{DiscordWebhookURL: "https://discord.invalid/api/webhooks/1/t", Signing: clockify.MustParseSecrets(signingSecret)}
	h := relay.NewHandler(sec, q, slog.New(slog.NewJSONHandler(&logs, nil)), relay.Options{})
	resp := serve(h, request("NEW_TIMER_STARTED", signingSecret, startedBody))
	if resp.Status != http.StatusServiceUnavailable || string(resp.Body) != `{"error":"the delivery could not be queued; send it again"}` {
		t.Errorf("answer = %d %s", resp.Status, resp.Body)
	}
	if !strings.Contains(logs.String(), "disk full") || !strings.Contains(logs.String(), `"outcome":"failed"`) {
		t.Errorf("log %s", logs.String())
	}
}

// TestBoundTokenSignsItsEventOnly: the start webhook's token cannot sign a
// deletion.
func TestBoundTokenSignsItsEventOnly(t *testing.T) {
	srv := discordtest.NewServer(t)
	sec := secrets.Static{DiscordWebhookURL: srv.WebhookURL(), Signing: clockify.MustParseSecrets("NEW_TIMER_STARTED=" + signingSecret)}
	f := newFixture(t, sec, relay.Options{})
	if resp := serve(f.handler, request("TIME_ENTRY_DELETED", signingSecret, stoppedBody)); resp.Status != http.StatusUnauthorized {
		t.Errorf("deletion signed with the start token: %d", resp.Status)
	}
	if resp := serve(f.handler, request("NEW_TIMER_STARTED", signingSecret, startedBody)); resp.Status != http.StatusOK {
		t.Errorf("start signed with the start token: %d %s", resp.Status, resp.Body)
	}
}

// TestStaleSecretsAreServedAndSaid: during an SSM outage the request is
// served with the last good secrets, and its log line says so.
func TestStaleSecretsAreServedAndSaid(t *testing.T) {
	srv := discordtest.NewServer(t)
	sec := secrets.Static{DiscordWebhookURL: srv.WebhookURL(), Signing: clockify.MustParseSecrets(signingSecret),
		Stale: errors.New("serving secrets read 6m0s ago: ssm down")}
	f := newFixture(t, sec, relay.Options{})
	if resp := serve(f.handler, request("NEW_TIMER_STARTED", signingSecret, startedBody)); resp.Status != http.StatusOK {
		t.Fatalf("status %d", resp.Status)
	}
	if logs := f.logs.String(); !strings.Contains(logs, `"staleSecrets":"serving secrets read 6m0s ago: ssm down"`) || !strings.Contains(logs, `"level":"WARN"`) {
		t.Errorf("log %s", logs)
	}
}
