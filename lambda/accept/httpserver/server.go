package httpserver

import (
	"errors"
	"io"
	"mime"
	"net"
	"net/http"
	"strconv"
	"sync/atomic"

	"clockify-discord-relay/lambda/accept/relay"
)

// Path and InteractionsPath are the relay's (one declaration for both
// fronts).
const (
	Path             = relay.Path
	InteractionsPath = relay.InteractionsPath
)

// NewHandler routes /clockify to the relay, /discord/interactions to ask
// (404 when nil), and answers 404 elsewhere, with the relay's JSON error
// bodies. Clockify's path serves the machine it runs on only (see Local);
// Discord's checks its signature, so a tunnel may forward to it.
func NewHandler(r relay.Front, ask relay.Asker) http.Handler {
	var requests atomic.Int64
	return http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		id := req.Header.Get("X-Request-Id")
		if id == "" {
			id = "local-" + strconv.FormatInt(requests.Add(1), 10) // names the request in the log
		}
		rr := relay.Request{Method: req.Method, Header: req.Header, RequestID: id}
		if req.URL.Path == InteractionsPath && ask != nil && req.Header.Get("Origin") == "" {
			interact(w, req, ask)
			return
		}
		if status, reason := Local(req); status != 0 {
			write(w, r.Refuse(req.Context(), rr, status, reason))
			return
		}
		if req.URL.Path == InteractionsPath && ask == nil {
			write(w, r.Refuse(req.Context(), rr, http.StatusNotFound, "interactions are off: set DISCORD_PUBLIC_KEY (or DISCORD_PUBLIC_KEY_PARAMETER) to the application's public key to turn them on"))
			return
		}
		if req.URL.Path != Path {
			write(w, r.Refuse(req.Context(), rr, http.StatusNotFound, "not found: Clockify posts to "+Path))
			return
		}
		body, err := io.ReadAll(http.MaxBytesReader(w, req.Body, relay.MaxBodyBytes))
		if err != nil {
			var tooLarge *http.MaxBytesError
			if errors.As(err, &tooLarge) {
				write(w, r.Refuse(req.Context(), rr, http.StatusRequestEntityTooLarge, "body is larger than 1 MiB"))
				return
			}
			write(w, r.Refuse(req.Context(), rr, http.StatusBadRequest, "could not read the body"))
			return
		}
		rr.Body = body
		write(w, r.Handle(req.Context(), rr))
	})
}

// Local refuses what only a web page or another host would send, so that
// no page in the laptop's browser can post through the relay:
//   - an Origin header: browsers add one to cross-site requests, and
//     Clockify does not send one;
//   - a body that is not JSON: a page's "simple" request is text/plain;
//   - a Host that is not loopback: DNS rebinding points a page's own name
//     at 127.0.0.1.
//
// It returns 0 for a request to take.
func Local(req *http.Request) (status int, reason string) {
	if req.Header.Get("Origin") != "" {
		return http.StatusForbidden, "requests from web pages are refused"
	}
	if !loopback(req.Host) {
		return http.StatusMisdirectedRequest, "this relay serves only 127.0.0.1 and localhost"
	}
	if req.Method == http.MethodPost {
		if mt, _, err := mime.ParseMediaType(req.Header.Get("Content-Type")); err != nil || mt != "application/json" {
			return http.StatusUnsupportedMediaType, "Content-Type must be application/json"
		}
	}
	return 0, ""
}

func loopback(hostport string) bool {
	host, _, err := net.SplitHostPort(hostport)
	if err != nil {
		host = hostport
	}
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// interact answers one interaction.
func interact(w http.ResponseWriter, req *http.Request, ask relay.Asker) {
	w.Header().Set("Content-Type", relay.ContentType)
	if req.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		w.WriteHeader(http.StatusMethodNotAllowed)
		_, _ = w.Write([]byte(`{"error":"only POST is accepted"}`))
		return
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, req.Body, relay.MaxBodyBytes))
	if err != nil {
		w.WriteHeader(http.StatusRequestEntityTooLarge)
		_, _ = w.Write([]byte(`{"error":"body is too large"}`))
		return
	}
	status, out := ask.Handle(req.Context(), req.Header, body)
	w.WriteHeader(status)
	_, _ = w.Write(out)
}

func write(w http.ResponseWriter, resp relay.Response) {
	w.Header().Set("Content-Type", relay.ContentType)
	if resp.Status == http.StatusMethodNotAllowed {
		w.Header().Set("Allow", http.MethodPost)
	}
	w.WriteHeader(resp.Status)
	_, _ = w.Write(resp.Body)
}
