package apigateway_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"testing"

	"clockify-discord-relay/lambda/accept/apigateway"
	"clockify-discord-relay/lambda/accept/relay"
	"clockify-discord-relay/lambda/clockify"
	"clockify-discord-relay/lambda/deliver"
	"clockify-discord-relay/lambda/discord"
	"clockify-discord-relay/lambda/message"
	"clockify-discord-relay/lambda/queue"
	"clockify-discord-relay/lambda/secrets"
)

func benchHandler(b *testing.B, sender deliver.Sender, url string, style message.Style) *apigateway.Handler {
	b.Helper()
	return apigateway.NewHandler(inlineRelay(sender, url, sampleSecret+"\nanother-signing-secret", style, slog.New(slog.NewJSONHandler(io.Discard, nil))).Front(nil))
}

// discardQueue takes every job and keeps none.
type discardQueue struct{}

func (discardQueue) Enqueue(context.Context, queue.Job) (queue.Receipt, error) {
	return queue.Receipt{Status: "queued"}, nil
}

// BenchmarkAccept is the accept half's work per event, which is all that
// stands between Clockify and its answer: verify, decode, route, enqueue
// (to a queue that takes it at once).
func BenchmarkAccept(b *testing.B) {
	sec := secrets.Static{DiscordWebhookURL: "https://discord.invalid/api/webhooks/1/t", Signing: clockify.MustParseSecrets(sampleSecret)}
	h := apigateway.NewHandler(relay.NewHandler(sec, discardQueue{}, slog.New(slog.NewJSONHandler(io.Discard, nil)), relay.Options{}).Front(nil))
	runInvoke(b, h, benchEvent(b))
}

func benchEvent(b *testing.B) []byte {
	b.Helper()
	payload, err := os.ReadFile("../../../events/timer-stopped.json")
	if err != nil {
		b.Fatal(err)
	}
	return payload
}

func runInvoke(b *testing.B, h *apigateway.Handler, payload []byte) {
	b.Helper()
	ctx := context.Background()
	b.SetBytes(int64(len(payload)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := h.Invoke(ctx, payload); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkRelayOwnWork is the relay's own work per event: API Gateway
// event in, verified, decoded, formatted, encoded as Discord's JSON, answer
// out. Discord answers at once.
func BenchmarkRelayOwnWork(b *testing.B) {
	for _, style := range []message.Style{message.StyleEmbed, message.StyleText} {
		b.Run(string(style), func(b *testing.B) {
			runInvoke(b, benchHandler(b, &capture{discard: true}, "https://discord.invalid/api/webhooks/1/t", style), benchEvent(b))
		})
	}
}

// BenchmarkRelayOverHTTP adds the real Discord client and an HTTP round
// trip on loopback to a Discord that answers 204 at once.
func BenchmarkRelayOverHTTP(b *testing.B) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		w.WriteHeader(http.StatusNoContent)
	}))
	defer srv.Close()
	h := benchHandler(b, discord.NewClient(srv.Client()), srv.URL+"/api/webhooks/1/token", message.StyleEmbed)
	runInvoke(b, h, benchEvent(b))
}
