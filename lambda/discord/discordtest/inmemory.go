package discordtest

import (
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"net/http/httptrace"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"
)

// NewInMemory is the stand-in without a socket: its Client calls the
// handler in the caller's goroutine. A test can then run in a
// testing/synctest bubble, where Discord's waits (buckets, retry_after,
// backoff) take no real time.
func NewInMemory(t testing.TB) *Server {
	s := &Server{Limit: 5, Window: 2 * time.Second, ChannelLimit: 30, ChannelWindow: time.Minute, OldAfter: time.Hour, OldEdits: 3, inMemory: true}
	host := fmt.Sprintf("discord-%d.test", inMemoryHosts.Add(1))
	s.Server = &httptest.Server{URL: "http://" + host, Config: &http.Server{Handler: http.HandlerFunc(s.serve)}}
	return s
}

// inMemoryHosts numbers the in-memory stand-ins, so that Hosts can tell
// them apart.
var inMemoryHosts atomic.Int64

// Hosts is a transport to several in-memory stand-ins, each reached at
// its own URL's host; any other host refuses the connection.
type Hosts []*Server

// RoundTrip serves r with the stand-in at r's host.
func (h Hosts) RoundTrip(r *http.Request) (*http.Response, error) {
	for _, s := range h {
		if strings.TrimPrefix(s.URL, "http://") == r.URL.Host {
			return HandlerTransport{Handler: s.Config.Handler}.RoundTrip(r)
		}
	}
	return Refusing{}.RoundTrip(r)
}

// Client is a client that reaches the stand-in: over its socket, or in
// memory.
func (s *Server) Client() *http.Client {
	if s.inMemory {
		return &http.Client{Transport: HandlerTransport{Handler: s.Config.Handler}}
	}
	return s.Server.Client()
}

// HandlerTransport serves each request with Handler, in memory, and tells
// a client's trace what a transport would: a connection, the request
// written, the first answer byte.
type HandlerTransport struct{ Handler http.Handler }

// RoundTrip serves r, or gives up with r's context.
func (h HandlerTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	trace := httptrace.ContextClientTrace(r.Context())
	if trace != nil && trace.GotConn != nil {
		trace.GotConn(httptrace.GotConnInfo{})
	}
	if trace != nil && trace.WroteRequest != nil {
		trace.WroteRequest(httptrace.WroteRequestInfo{})
	}
	if r.Body == nil { // a server's request always has one
		r = r.Clone(r.Context())
		r.Body = http.NoBody
	}
	rec := httptest.NewRecorder()
	done := make(chan struct{})
	go func() {
		defer close(done)
		h.Handler.ServeHTTP(rec, r)
	}()
	select {
	case <-done:
	case <-r.Context().Done():
		return nil, r.Context().Err()
	}
	if trace != nil && trace.GotFirstResponseByte != nil {
		trace.GotFirstResponseByte()
	}
	return rec.Result(), nil
}

// Refusing is a transport to a host where nothing listens: every request
// fails to connect, and so surely never reached Discord.
type Refusing struct{}

// RoundTrip refuses r.
func (Refusing) RoundTrip(r *http.Request) (*http.Response, error) {
	return nil, &net.OpError{Op: "dial", Net: "tcp", Err: syscall.ECONNREFUSED}
}
