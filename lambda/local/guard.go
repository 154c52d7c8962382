package local

import (
	"mime"
	"net"
	"net/http"

	"clockify-discord-relay/lambda/accept/relay"
)

// ThisMachine is local mode's guard, inside the front so that what it
// refuses is reported: no page in the laptop's browser may post through
// the relay (see Local). Discord's path checks its own signature, so a
// tunnel may forward to it: there only a page's request is refused.
func ThisMachine(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == relay.InteractionsPath && r.Header.Get("Origin") == "" {
			next.ServeHTTP(w, r)
			return
		}
		if status, reason := Local(r); status != 0 {
			relay.Refuse(w, r, status, reason)
			return
		}
		next.ServeHTTP(w, r)
	})
}

// Local refuses what only a web page or another host would send:
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
