package discord_test

import (
	"clockify-discord-relay/lambda/discord/discordtest"

	"net/http"
	"net/http/httptest"
	"testing"
)

// inMemory is a stand-in for a test's handler, without a socket.
type inMemory struct {
	URL string
	h   http.Handler
}

func newInMemory(h http.Handler) inMemory { return inMemory{URL: "http://discord.test", h: h} }

func (m inMemory) Client() *http.Client {
	return &http.Client{Transport: discordtest.HandlerTransport{Handler: m.h}}
}

func newTestServer(t *testing.T, h http.Handler) *httptest.Server {
	t.Helper()
	s := httptest.NewServer(h)
	t.Cleanup(s.Close)
	return s
}
