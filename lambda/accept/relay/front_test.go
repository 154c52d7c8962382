package relay_test

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"clockify-discord-relay/lambda/accept/relay"
	"clockify-discord-relay/lambda/queue/queuetest"
	"clockify-discord-relay/lambda/secrets"
)

// counter is an Observer that keeps every report.
type counter struct{ reports []relay.Report }

func (c *counter) Observe(r relay.Report) { c.reports = append(c.reports, r) }

// TestFrontRoutesAndReportsEveryRefusal: the one front takes Clockify's
// and Discord's paths, POST only, at most 1 MiB; every refusal, the
// guards' included, is reported once, as the relay's own answers are.
func TestFrontRoutesAndReportsEveryRefusal(t *testing.T) {
	var asked []byte
	ask := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		asked, _ = io.ReadAll(r.Body)
		w.WriteHeader(http.StatusAccepted)
	})
	guard := func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.Header.Get("Origin") != "" {
				relay.Refuse(w, r, http.StatusForbidden, "requests from web pages are refused")
				return
			}
			next.ServeHTTP(w, r)
		})
	}
	tests := []struct {
		name, method, path, body, origin string
		withAsk                          bool
		status                           int
		answer                           string
		reported                         bool
	}{
		{"Clockify", "POST", "/clockify", startedBody, "", false, 200, `{"status":"queued","event":"NEW_TIMER_STARTED"}`, true},
		{"just at the limit", "POST", "/clockify", strings.Repeat(" ", relay.MaxBodyBytes), "", false, 400, `{"error":"empty body"}`, true},
		{"too large", "POST", "/clockify", strings.Repeat(" ", relay.MaxBodyBytes+1), "", false, 413, `{"error":"body is larger than 1 MiB"}`, true},
		{"GET", "GET", "/clockify", "", "", false, 405, `{"error":"only POST is accepted"}`, true},
		{"other path", "POST", "/webhook", `{}`, "", false, 404, `{"error":"not found: Clockify posts to /clockify"}`, true},
		{"a path that only ends like it", "POST", "/x/clockify", `{}`, "", false, 404, `{"error":"not found: Clockify posts to /clockify"}`, true},
		{"interactions, off", "POST", "/discord/interactions", `{}`, "", false, 404,
			`{"error":"interactions are off: set DISCORD_PUBLIC_KEY (or DISCORD_PUBLIC_KEY_PARAMETER) to the application's public key to turn them on"}`, true},
		{"interactions", "POST", "/discord/interactions", `{"type":1}`, "", true, 202, ``, false},
		{"interactions, GET", "GET", "/discord/interactions", ``, "", true, 405, `{"error":"only POST is accepted"}`, true},
		{"interactions, too large", "POST", "/discord/interactions", strings.Repeat(" ", relay.MaxBodyBytes+1), "", true, 413, `{"error":"body is larger than 1 MiB"}`, true},
		{"a guard's refusal", "POST", "/clockify", startedBody, "https://evil.example", false, 403, `{"error":"requests from web pages are refused"}`, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var logs bytes.Buffer
			obs := &counter{}
			q := &queuetest.Recorder{}
			h := relay.NewHandler(secrets.Static{}, q, slog.New(slog.NewJSONHandler(&logs, nil)), relay.Options{AllowUnsigned: true, Observer: obs})
			var a http.Handler
			if tt.withAsk {
				a = ask
			}
			asked = nil
			req := httptest.NewRequest(tt.method, tt.path, strings.NewReader(tt.body))
			if tt.origin != "" {
				req.Header.Set("Origin", tt.origin)
			}
			rec := httptest.NewRecorder()
			h.Front(a, guard).ServeHTTP(rec, req)
			if rec.Code != tt.status || rec.Body.String() != tt.answer {
				t.Errorf("answer = %d %s, want %d %s", rec.Code, rec.Body, tt.status, tt.answer)
			}
			if tt.reported != (len(obs.reports) == 1) || strings.Count(logs.String(), `"msg":"request"`) != len(obs.reports) {
				t.Fatalf("reports %+v, log %s", obs.reports, logs.String())
			}
			if tt.reported && (obs.reports[0].Status != tt.status || obs.reports[0].RequestID != "local-1") {
				t.Errorf("report %+v", obs.reports[0])
			}
			if tt.status == 405 && rec.Header().Get("Allow") != "POST" {
				t.Errorf("405 without Allow: %v", rec.Header())
			}
			if (asked != nil) != (tt.status == 202) || (asked != nil && string(asked) != tt.body) {
				t.Errorf("the interactions got %q", asked)
			}
			if queued := len(q.Jobs()); queued != map[bool]int{true: 1}[tt.status == 200] {
				t.Errorf("%d jobs queued", queued)
			}
		})
	}
}

// TestFrontNamesRequests: the adapter's id wins (Lambda's), then the
// caller's X-Request-Id, then a count.
func TestFrontNamesRequests(t *testing.T) {
	obs := &counter{}
	h := relay.NewHandler(secrets.Static{}, &queuetest.Recorder{}, slog.New(slog.NewJSONHandler(io.Discard, nil)), relay.Options{Observer: obs})
	front := h.Front(nil)
	send := func(ctx context.Context, header string) {
		req := httptest.NewRequestWithContext(ctx, "GET", "/clockify", nil)
		if header != "" {
			req.Header.Set("X-Request-Id", header)
		}
		front.ServeHTTP(httptest.NewRecorder(), req)
	}
	send(relay.WithRequestID(context.Background(), "lambda-1"), "spoofed")
	send(context.Background(), "curl-1")
	send(context.Background(), "")
	var got []string
	for _, r := range obs.reports {
		got = append(got, r.RequestID)
	}
	if strings.Join(got, " ") != "lambda-1 curl-1 local-1" {
		t.Errorf("request ids %v", got)
	}
}

// TestFrontReadsWhatComes: a body longer or shorter than announced is
// read as it is; one cut short by an error is refused, not taken in part.
func TestFrontReadsWhatComes(t *testing.T) {
	for name, c := range map[string]struct {
		announced int64
		body      io.Reader
		status    int
	}{
		"as announced":   {int64(len(startedBody)), strings.NewReader(startedBody), 200},
		"longer":         {10, strings.NewReader(startedBody), 200},
		"shorter":        {int64(len(startedBody)) + 100, strings.NewReader(startedBody), 200},
		"unannounced":    {-1, strings.NewReader(startedBody), 200},
		"a huge claim":   {relay.MaxBodyBytes, strings.NewReader(startedBody), 200},
		"cut short":      {int64(len(startedBody)) + 5, io.MultiReader(strings.NewReader(startedBody), failingReader{}), 400},
		"over the limit": {-1, strings.NewReader(strings.Repeat(" ", relay.MaxBodyBytes+1)), 413},
	} {
		q := &queuetest.Recorder{}
		h := relay.NewHandler(secrets.Static{}, q, slog.New(slog.NewJSONHandler(io.Discard, nil)), relay.Options{AllowUnsigned: true})
		req := httptest.NewRequest("POST", "/clockify", c.body)
		req.ContentLength = c.announced
		rec := httptest.NewRecorder()
		h.Front(nil).ServeHTTP(rec, req)
		if rec.Code != c.status {
			t.Errorf("%s: %d %s", name, rec.Code, rec.Body)
		}
		if c.status == 200 && (len(q.Jobs()) != 1 || q.Jobs()[0].Event.Entry.ID != "e1") {
			t.Errorf("%s: queued %+v", name, q.Jobs())
		}
	}
}

// failingReader is a connection that broke.
type failingReader struct{}

func (failingReader) Read([]byte) (int, error) { return 0, io.ErrUnexpectedEOF }
