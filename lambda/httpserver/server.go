package httpserver

import (
	"context"
	"errors"
	"io"
	"net/http"
	"strconv"
	"sync/atomic"

	"clockify-discord-relay/lambda/relay"
)

// Path is where Clockify posts.
const Path = "/clockify"

// Relay answers one webhook request.
type Relay interface {
	Handle(ctx context.Context, req relay.Request) relay.Response
}

// NewHandler routes /clockify to the relay and answers 404 elsewhere, with
// the relay's JSON error bodies.
func NewHandler(r Relay) http.Handler {
	mux := http.NewServeMux()
	mux.Handle(Path, handleClockify(r))
	mux.Handle("/", http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		write(w, relay.ErrorResponse(http.StatusNotFound, "not found: Clockify posts to "+Path))
	}))
	return mux
}

func handleClockify(r Relay) http.Handler {
	var requests atomic.Int64
	return http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		body, err := io.ReadAll(http.MaxBytesReader(w, req.Body, relay.MaxBodyBytes))
		if err != nil {
			var tooLarge *http.MaxBytesError
			if errors.As(err, &tooLarge) {
				write(w, relay.ErrorResponse(http.StatusRequestEntityTooLarge, "body is larger than 1 MiB"))
				return
			}
			write(w, relay.ErrorResponse(http.StatusBadRequest, "could not read the body"))
			return
		}
		id := req.Header.Get("X-Request-Id")
		if id == "" {
			id = "local-" + strconv.FormatInt(requests.Add(1), 10) // names the request in the log
		}
		write(w, r.Handle(req.Context(), relay.Request{
			Method:    req.Method,
			Header:    req.Header,
			Body:      body,
			RequestID: id,
		}))
	})
}

func write(w http.ResponseWriter, resp relay.Response) {
	w.Header().Set("Content-Type", relay.ContentType)
	if resp.Status == http.StatusMethodNotAllowed {
		w.Header().Set("Allow", http.MethodPost)
	}
	w.WriteHeader(resp.Status)
	_, _ = w.Write(resp.Body)
}
