package relay

import (
	"context"
	"net/http"
)

// The paths both fronts (API Gateway, plain HTTP) serve.
const (
	// Path is where Clockify posts its webhooks.
	Path = "/clockify"
	// InteractionsPath is where Discord posts slash commands.
	InteractionsPath = "/discord/interactions"
)

// Front is what a front needs of the relay: an answer to one webhook
// request, or a refusal of one the front could not pass on (the refusal
// is logged and counted the same way).
type Front interface {
	Handle(ctx context.Context, req Request) Response
	Refuse(ctx context.Context, req Request, status int, reason string) Response
}

var _ Front = (*Handler)(nil)

// Asker answers Discord's interactions (package interactions).
type Asker interface {
	Handle(ctx context.Context, header http.Header, body []byte) (int, []byte)
}
