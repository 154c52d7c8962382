package relay

import (
	"bytes"
	"errors"
	"io"
	"net/http"
)

// The paths of the accept half, in Lambda and locally alike.
const (
	// Path is where Clockify posts its webhooks.
	Path = "/clockify"
	// InteractionsPath is where Discord posts slash commands.
	InteractionsPath = "/discord/interactions"
)

// Front is the accept half as one http.Handler: Clockify's path goes to
// h, the interactions' path to ask (nil: they are off, 404), and every
// other path is refused; both take only POST, and at most MaxBodyBytes.
// One middleware names and reports every request that h answers or that
// is refused on the way (a line in the log, a count for the observer).
// guards run inside it, before the paths: local mode's, that only this
// machine may post.
func (h *Handler) Front(ask http.Handler, guards ...func(http.Handler) http.Handler) http.Handler {
	var next http.Handler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		to := http.Handler(h)
		switch {
		case r.URL.Path == InteractionsPath && ask == nil:
			Refuse(w, r, http.StatusNotFound, "interactions are off: set DISCORD_PUBLIC_KEY (or DISCORD_PUBLIC_KEY_PARAMETER) to the application's public key to turn them on")
			return
		case r.URL.Path == InteractionsPath:
			to = ask
		case r.URL.Path != Path:
			Refuse(w, r, http.StatusNotFound, "not found: Clockify posts to "+Path)
			return
		}
		if r.Method != http.MethodPost {
			Refuse(w, r, http.StatusMethodNotAllowed, "only POST is accepted")
			return
		}
		b, err := readBody(w, r)
		if err != nil {
			status, reason := unreadable(err)
			Refuse(w, r, status, reason)
			return
		}
		r.Body, r.ContentLength = newBody(b), int64(len(b))
		to.ServeHTTP(w, r)
	})
	for i := len(guards) - 1; i >= 0; i-- {
		next = guards[i](next)
	}
	return h.reported(next)
}

// readBody reads r's body, at most MaxBodyBytes: into one buffer of the
// length it announces, when that is small (a claim costs no more than
// a webhook), else as it comes.
func readBody(w http.ResponseWriter, r *http.Request) ([]byte, error) {
	rd := http.MaxBytesReader(w, r.Body, MaxBodyBytes)
	n := r.ContentLength
	if n < 0 || n > announcedMax {
		return io.ReadAll(rd)
	}
	buf := make([]byte, n+1) // one more, to see the end
	for m := 0; m < len(buf); {
		k, err := rd.Read(buf[m:])
		m += k
		if err == io.EOF {
			return buf[:m], nil
		}
		if err != nil {
			return nil, err // a body cut short among them
		}
	}
	rest, err := io.ReadAll(rd) // longer than announced
	return append(buf, rest...), err
}

// announcedMax is the longest announced body read into one buffer at once.
const announcedMax = 64 << 10

// body is a body Front read already: its handlers take the bytes as
// they are, unread again.
type body struct {
	bytes.Reader
	b []byte
}

func newBody(b []byte) *body {
	rb := &body{b: b}
	rb.Reset(b)
	return rb
}

func (*body) Close() error { return nil }

// unreadable is the refusal of a body that could not be read.
func unreadable(err error) (status int, reason string) {
	var tooLarge *http.MaxBytesError
	var bad UnreadableBody
	switch {
	case errors.As(err, &tooLarge):
		return http.StatusRequestEntityTooLarge, "body is larger than 1 MiB"
	case errors.As(err, &bad):
		return http.StatusBadRequest, string(bad)
	}
	return http.StatusBadRequest, "could not read the body"
}
