package discord_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"clockify-discord-relay/lambda/discord"
	"clockify-discord-relay/lambda/discord/discordtest"
)

func TestSendDeliversExactPayload(t *testing.T) {
	srv := discordtest.NewServer(t)
	c := discord.NewClient(srv.Client())
	_, err := c.Send(context.Background(), srv.WebhookURL(), discord.Message{Content: "Ada が Website を開始しました."})
	if err != nil {
		t.Fatalf("Send: %v", err)
	}
	got := srv.Received()
	if len(got) != 1 {
		t.Fatalf("Discord received %d messages, want 1", len(got))
	}
	want := `{"content":"Ada が Website を開始しました.","allowed_mentions":{"parse":[]},"flags":4}`
	if string(got[0].Body) != want {
		t.Errorf("body\n got %s\nwant %s", got[0].Body, want)
	}
	if ct := got[0].Header.Get("Content-Type"); ct != "application/json" {
		t.Errorf("Content-Type = %q", ct)
	}
	if ua := got[0].Header.Get("User-Agent"); !strings.HasPrefix(ua, "DiscordBot (") {
		t.Errorf("User-Agent = %q, want Discord's DiscordBot form", ua)
	}
}

func TestSendFitsOversizedMessages(t *testing.T) {
	srv := discordtest.NewServer(t)
	c := discord.NewClient(srv.Client())
	msg := discord.Message{
		Content: strings.Repeat("é", 3000),
		Embeds:  []discord.Embed{{Title: "t", Description: strings.Repeat("x", 4000), Fields: []discord.EmbedField{{Name: "n", Value: strings.Repeat("y", 3000)}}}},
	}
	if _, err := c.Send(context.Background(), srv.WebhookURL(), msg); err != nil {
		t.Fatalf("Send: %v", err)
	}
	if len(srv.Received()) != 1 {
		t.Fatal("Discord did not accept the message")
	}
	if len([]rune(msg.Content)) != 3000 || len([]rune(msg.Embeds[0].Fields[0].Value)) != 3000 {
		t.Error("Send changed the caller's message")
	}
}

func TestSendErrors(t *testing.T) {
	tests := []struct {
		name   string
		setup  func(*discordtest.Server) string
		status int
		code   int
		text   string
	}{
		{"deleted webhook", func(s *discordtest.Server) string { s.DeleteWebhook(); return s.WebhookURL() },
			404, discord.CodeUnknownWebhook, "the webhook was deleted"},
		{"bad token", func(s *discordtest.Server) string {
			return strings.Replace(s.WebhookURL(), discordtest.Token, "wrong-token", 1)
		}, 401, discord.CodeInvalidWebhookToken, "the webhook token is invalid"},
		{"bad request", func(s *discordtest.Server) string { s.FailNext(400); return s.WebhookURL() },
			400, 0, "400 Bad Request"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := discordtest.NewServer(t)
			url := tt.setup(srv)
			_, err := discord.NewClient(srv.Client()).Send(context.Background(), url, discord.Message{Content: "hi"})
			var apiErr *discord.APIError
			if !errors.As(err, &apiErr) {
				t.Fatalf("err = %v, want *APIError", err)
			}
			if apiErr.StatusCode != tt.status || apiErr.Code != tt.code {
				t.Errorf("status %d code %d, want %d %d", apiErr.StatusCode, apiErr.Code, tt.status, tt.code)
			}
			if !strings.Contains(err.Error(), tt.text) {
				t.Errorf("error %q does not say %q", err, tt.text)
			}
			if strings.Contains(err.Error(), discordtest.Token) {
				t.Errorf("error leaks the token: %q", err)
			}
		})
	}
}

func TestSendSummarisesFormErrors(t *testing.T) {
	srv := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(400)
		_, _ = w.Write([]byte(`{"code":50035,"message":"Invalid Form Body","errors":{"embeds":{"0":{"fields":{"3":{"value":{"_errors":[{"code":"BASE_TYPE_MAX_LENGTH","message":"Must be 1024 or fewer in length."}]}}}}}}}`))
	})
	ts := newTestServer(t, srv)
	_, err := discord.NewClient(ts.Client()).Send(context.Background(), ts.URL+"/api/webhooks/1/secret-token", discord.Message{Content: "x"})
	want := "discord: 400 Bad Request (Invalid Form Body: embeds.0.fields.3.value: Must be 1024 or fewer in length., code 50035)"
	if err == nil || err.Error() != want {
		t.Errorf("err\n got %v\nwant %s", err, want)
	}
}

func TestSendRedactsTransportErrors(t *testing.T) {
	synctest.Test(t, testSendRedactsTransportErrors)
}

func testSendRedactsTransportErrors(t *testing.T) {
	c := discord.NewClient(&http.Client{Transport: discordtest.Refusing{}})
	url := "http://127.0.0.1:1/api/webhooks/123/super-secret-token"
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	_, err := c.Send(ctx, url, discord.Message{Content: "x"})
	if err == nil {
		t.Fatal("Send to a closed port succeeded")
	}
	if strings.Contains(err.Error(), "super-secret-token") {
		t.Errorf("error leaks the token: %v", err)
	}
	if !strings.Contains(err.Error(), "/api/v10/webhooks/123/REDACTED") {
		t.Errorf("error %q does not name the redacted webhook", err)
	}
}

func TestSendInvalidURLDoesNotEchoIt(t *testing.T) {
	_, err := discord.NewClient(http.DefaultClient).Send(context.Background(), "https://discord.com/api/webhooks/1/tok\x7fen", discord.Message{Content: "x"})
	if err == nil || strings.Contains(err.Error(), "tok") {
		t.Errorf("err = %v", err)
	}
}

func TestSendWithoutURL(t *testing.T) {
	_, err := discord.NewClient(http.DefaultClient).Send(context.Background(), "", discord.Message{Content: "x"})
	if !errors.Is(err, discord.ErrNoWebhookURL) {
		t.Errorf("err = %v, want ErrNoWebhookURL", err)
	}
}

func TestRedactURL(t *testing.T) {
	tests := map[string]string{
		"https://discord.com/api/webhooks/123/tok":            "https://discord.com/api/webhooks/123/REDACTED",
		"https://discord.com/api/v10/webhooks/123/tok?wait=1": "https://discord.com/api/v10/webhooks/123/REDACTED",
		"https://discord.com/api/webhooks/123/tok/slack":      "https://discord.com/api/webhooks/123/REDACTED",
		"https://example.com/hook?token=secret":               "https://example.com/REDACTED",
		"not a url":                                           "[invalid URL]",
	}
	for in, want := range tests {
		if got := discord.RedactURL(in); got != want {
			t.Errorf("RedactURL(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestPrinterPrintsWhatWouldBeSent(t *testing.T) {
	var buf bytes.Buffer
	p := discord.NewPrinter(&buf)
	if _, err := p.Send(context.Background(), "", discord.Message{Content: "hello"}); err != nil {
		t.Fatal(err)
	}
	want, _ := discord.Encode(discord.Message{Content: "hello"})
	if buf.String() != string(want)+"\n" {
		t.Errorf("printed %q, want %q", buf.String(), want)
	}
	var m map[string]any
	if err := json.Unmarshal(buf.Bytes(), &m); err != nil {
		t.Errorf("printed line is not JSON: %v", err)
	}
}

func TestEncodeRefusesEmptyMessage(t *testing.T) {
	if _, err := discord.Encode(discord.Message{}); err == nil {
		t.Error("an empty message was encoded")
	}
}
