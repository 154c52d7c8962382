package apigateway_test

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"io"
	"log/slog"
	"os"
	"strings"
	"sync"
	"testing"

	"github.com/aws/aws-lambda-go/events"

	"clockify-discord-relay/lambda/accept/apigateway"
	"clockify-discord-relay/lambda/accept/relay"
	"clockify-discord-relay/lambda/clockify"
	"clockify-discord-relay/lambda/deliver"
	"clockify-discord-relay/lambda/discord"
	"clockify-discord-relay/lambda/discord/discordtest"
	"clockify-discord-relay/lambda/internal/testkit/samples"
	"clockify-discord-relay/lambda/message"
	"clockify-discord-relay/lambda/queue/queuetest"
	"clockify-discord-relay/lambda/secrets"
)

// sampleSecret is the signature the files in events/ carry.
const sampleSecret = "sample-signing-secret"

// capture is a Sender that keeps the exact JSON Discord would receive.
type capture struct {
	mu      sync.Mutex
	sent    [][]byte
	discard bool // encode, but keep nothing (benchmarks)
}

func (c *capture) Send(_ context.Context, _ string, msg discord.Message) (discord.Delivery, error) {
	body, err := discord.Encode(msg)
	if err != nil {
		return discord.Delivery{}, err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if !c.discard {
		c.sent = append(c.sent, body)
	}
	return discord.Delivery{Attempts: 1}, nil
}

// inlineRelay is the relay delivering inline through sender, in Japanese.
func inlineRelay(sender deliver.Sender, url, signing string, style message.Style, logger *slog.Logger) *relay.Handler {
	ja, _ := message.LanguageFor("ja")
	sec := secrets.Static{DiscordWebhookURL: url, Signing: clockify.MustParseSecrets(signing)}
	d := deliver.New(sec, sender, logger, deliver.Options{Language: ja, Style: style})
	return relay.NewHandler(sec, &queuetest.Delivering{Deliverer: d}, logger, relay.Options{})
}

// FuzzRequestPath sends arbitrary invocations through the whole request
// path as a Lambda would. It must never panic, never hand Discord a payload
// over a limit, and never send without a valid signature.
func FuzzRequestPath(f *testing.F) {
	files, _ := samples.Webhooks("../../../events")
	for _, file := range files {
		payload, err := os.ReadFile(file)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(payload)
		var ev events.APIGatewayProxyRequest
		if json.Unmarshal(payload, &ev) == nil {
			ev.Body, ev.IsBase64Encoded = base64.StdEncoding.EncodeToString([]byte(ev.Body)), true
			b64, _ := json.Marshal(ev)
			f.Add(b64)
			v2 := events.APIGatewayV2HTTPRequest{Version: "2.0", RawPath: "/Prod" + ev.Path, Headers: ev.Headers, Body: ev.Body, IsBase64Encoded: true}
			v2.RequestContext.Stage = "Prod"
			v2.RequestContext.HTTP.Method = "POST"
			b, _ := json.Marshal(v2)
			f.Add(b)
		}
	}
	f.Add([]byte(`{"httpMethod":"POST","path":"/clockify","headers":{"clockify-signature":"sample-signing-secret"},"body":"{\"id\":\"x\",\"timeInterval\":{\"start\":\"2025-01-01T00:00:00Z\",\"duration\":\"PT9999999H\"},\"user\":{\"name\":\"@everyone\"}}"}`))
	f.Add([]byte(`{"version":"2.0","rawPath":"/clockify","headers":{"Clockify-Signature":"wrong"},"body":"{}"}`))
	f.Add([]byte(`[]`))

	logger := slog.New(slog.NewJSONHandler(io.Discard, nil))
	f.Fuzz(func(t *testing.T, payload []byte) {
		sender := &capture{}
		h := apigateway.NewHandler(inlineRelay(sender, "https://discord.invalid/api/webhooks/1/t", sampleSecret, message.StyleEmbed, logger).Front(nil))
		out, err := h.Invoke(context.Background(), payload)
		if err != nil {
			t.Fatalf("Invoke returned an error: %v", err)
		}
		var resp struct {
			StatusCode int    `json:"statusCode"`
			Body       string `json:"body"`
		}
		if err := json.Unmarshal(out, &resp); err != nil {
			t.Fatalf("response is not JSON: %s", out)
		}
		switch resp.StatusCode {
		case 200, 400, 401, 404, 405, 413:
		default:
			t.Fatalf("unexpected status %d %s", resp.StatusCode, resp.Body)
		}
		if !json.Valid([]byte(resp.Body)) {
			t.Fatalf("response body is not JSON: %q", resp.Body)
		}
		if len(sender.sent) > 0 && !carriesSignature(payload, sampleSecret) {
			t.Fatalf("sent to Discord without a valid signature: %s", payload)
		}
		for _, body := range sender.sent {
			var msg discord.Message
			if err := json.Unmarshal(body, &msg); err != nil {
				t.Fatalf("payload is not JSON: %s", body)
			}
			if field, problem := discordtest.Validate(msg); field != "" {
				t.Fatalf("Discord would refuse %s (%s): %s", field, problem, body)
			}
			if !strings.Contains(string(body), `"allowed_mentions":{"parse":[]}`) {
				t.Fatalf("payload without allowed_mentions: %s", body)
			}
		}
	})
}

// carriesSignature reports whether any header of the event, in either map
// and any case, is Clockify-Signature with the secret.
func carriesSignature(payload []byte, secret string) bool {
	var ev struct {
		Headers           map[string]string   `json:"headers"`
		MultiValueHeaders map[string][]string `json:"multiValueHeaders"`
	}
	if json.Unmarshal(payload, &ev) != nil {
		return false
	}
	for k, v := range ev.Headers {
		if strings.EqualFold(k, clockify.SignatureHeader) && v == secret {
			return true
		}
	}
	for k, vs := range ev.MultiValueHeaders {
		if strings.EqualFold(k, clockify.SignatureHeader) && len(vs) > 0 && vs[0] == secret {
			return true
		}
	}
	return false
}

// counter is an Observer that keeps every report.
type counter struct{ reports []relay.Report }

func (c *counter) Observe(r relay.Report) { c.reports = append(c.reports, r) }

// observedRelay is a relay that queues nothing and tells obs of each
// request.
func observedRelay(obs relay.Observer) *relay.Handler {
	sec := secrets.Static{Signing: clockify.MustParseSecrets(sampleSecret)}
	return relay.NewHandler(sec, &queuetest.Recorder{}, slog.New(slog.NewJSONHandler(io.Discard, nil)), relay.Options{Observer: obs})
}
