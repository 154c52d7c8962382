package apigateway_test

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-lambda-go/lambdacontext"

	"clockify-discord-relay/lambda/accept/apigateway"
	"clockify-discord-relay/lambda/accept/relay"
	"clockify-discord-relay/lambda/internal/testkit/samples"
)

// recorder is an http.Handler that remembers the request it was given
// and answers as the relay does.
type recorder struct {
	method, path, id string
	header           http.Header
	body             []byte
	readErr          error
}

func (r *recorder) ServeHTTP(w http.ResponseWriter, req *http.Request) {
	r.method, r.path, r.header, r.id = req.Method, req.URL.Path, req.Header, relay.RequestID(req.Context())
	r.body, r.readErr = io.ReadAll(req.Body)
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write([]byte(`{"status":"queued"}`))
}

func invoke(t *testing.T, event any) (*recorder, []byte) {
	t.Helper()
	payload, err := json.Marshal(event)
	if err != nil {
		t.Fatal(err)
	}
	rec := &recorder{}
	out, err := apigateway.NewHandler(rec).Invoke(context.Background(), payload)
	if err != nil {
		t.Fatalf("Invoke: %v", err)
	}
	return rec, out
}

func TestRESTEvent(t *testing.T) {
	rec, out := invoke(t, events.APIGatewayProxyRequest{
		HTTPMethod:     "POST",
		Path:           "/clockify",
		Headers:        map[string]string{"clockify-signature": "sig", "CLOCKIFY-WEBHOOK-EVENT-TYPE": "TIMER_STOPPED"},
		Body:           `{"id":"e1"}`,
		RequestContext: events.APIGatewayProxyRequestContext{RequestID: "gw-1", Stage: "Prod", Path: "/Prod/clockify"},
	})
	if rec.method != "POST" || rec.path != "/clockify" || string(rec.body) != `{"id":"e1"}` || rec.id != "gw-1" {
		t.Errorf("request = %+v", rec)
	}
	if rec.header.Get("Clockify-Signature") != "sig" || rec.header.Get("clockify-webhook-event-type") != "TIMER_STOPPED" {
		t.Errorf("headers are not case-insensitive: %v", rec.header)
	}
	var resp events.APIGatewayProxyResponse
	if err := json.Unmarshal(out, &resp); err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != 200 || resp.Body != `{"status":"queued"}` || resp.Headers["Content-Type"] != "application/json" {
		t.Errorf("response = %+v", resp)
	}
}

func TestRESTEventWithOnlyMultiValueHeaders(t *testing.T) {
	rec, _ := invoke(t, events.APIGatewayProxyRequest{
		HTTPMethod:        "POST",
		Path:              "/clockify",
		MultiValueHeaders: map[string][]string{"CLOCKIFY-signature": {"sig"}, "clockify-webhook-event-type": {"NEW_TIMER_STARTED"}},
		Body:              `{}`,
	})
	if rec.header.Get("Clockify-Signature") != "sig" || rec.header.Get("Clockify-Webhook-Event-Type") != "NEW_TIMER_STARTED" {
		t.Errorf("headers = %v", rec.header)
	}
}

// TestHeadersOfBothMapsKeepTheirValues: the headers' values share one
// array; a name spelled twice, and a value added by a handler, stay their
// own header's.
func TestHeadersOfBothMapsKeepTheirValues(t *testing.T) {
	rec, _ := invoke(t, events.APIGatewayProxyRequest{
		HTTPMethod:        "POST",
		Path:              "/clockify",
		MultiValueHeaders: map[string][]string{"x-a": {"1", "2"}, "X-A": {"3"}, "x-b": {"4"}, "x-c": {}},
		Headers:           map[string]string{"x-a": "2", "x-d": "5", "x-c": "6"},
		Body:              `{}`,
	})
	h := rec.header
	if a := h.Values("X-A"); len(a) != 3 || !slices.Contains(a, "3") || h.Get("X-B") != "4" || h.Get("X-D") != "5" {
		t.Errorf("headers = %v", h)
	}
	if _, ok := h["X-C"]; !ok || h.Get("X-C") != "" {
		t.Errorf("a name with no values took the single map's: %v", h)
	}
	h.Add("X-B", "added")
	h.Add("X-D", "added")
	if a := h.Values("X-A"); len(a) != 3 || h.Get("X-B") != "4" || h.Get("X-D") != "5" || len(h.Values("X-B")) != 2 {
		t.Errorf("an added value overwrote another header's: %v", h)
	}
}

func TestBase64Body(t *testing.T) {
	rec, _ := invoke(t, events.APIGatewayProxyRequest{
		HTTPMethod:      "POST",
		Path:            "/clockify",
		Body:            base64.StdEncoding.EncodeToString([]byte(`{"id":"日本"}`)),
		IsBase64Encoded: true,
	})
	if string(rec.body) != `{"id":"日本"}` || rec.readErr != nil {
		t.Errorf("body = %q, %v", rec.body, rec.readErr)
	}
}

// TestBadBase64Body: reading the body fails with the reason the front
// answers with (TestBodiesTheFrontRefuses).
func TestBadBase64Body(t *testing.T) {
	rec, _ := invoke(t, events.APIGatewayProxyRequest{HTTPMethod: "POST", Path: "/clockify", Body: "not base64!", IsBase64Encoded: true})
	if !errors.Is(rec.readErr, relay.UnreadableBody("body is not valid base64")) {
		t.Errorf("reading the body: %v", rec.readErr)
	}
}

// TestHTTPAPIEvent: payload 2.0, on a named stage, whose name leads the
// raw path.
func TestHTTPAPIEvent(t *testing.T) {
	ev := events.APIGatewayV2HTTPRequest{
		Version:         "2.0",
		RawPath:         "/Prod/clockify",
		Headers:         map[string]string{"clockify-signature": "sig"},
		Body:            base64.StdEncoding.EncodeToString([]byte(`{"id":"e2"}`)),
		IsBase64Encoded: true,
	}
	ev.RequestContext.HTTP.Method = "POST"
	ev.RequestContext.RequestID = "gw-2"
	ev.RequestContext.Stage = "Prod"
	rec, out := invoke(t, ev)
	if rec.method != "POST" || rec.path != "/clockify" || string(rec.body) != `{"id":"e2"}` || rec.header.Get("Clockify-Signature") != "sig" {
		t.Errorf("request = %+v", rec)
	}
	var resp events.APIGatewayV2HTTPResponse
	if err := json.Unmarshal(out, &resp); err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != 200 || resp.Body != `{"status":"queued"}` {
		t.Errorf("response = %+v", resp)
	}
	ev.RawPath, ev.RequestContext.Stage = "/clockify", "$default"
	if rec, _ := invoke(t, ev); rec.path != "/clockify" {
		t.Errorf("on $default: %q", rec.path)
	}
}

func TestLambdaRequestIDWins(t *testing.T) {
	rec := &recorder{}
	ctx := lambdacontext.NewContext(context.Background(), &lambdacontext.LambdaContext{AwsRequestID: "lambda-1"})
	payload, _ := json.Marshal(events.APIGatewayProxyRequest{HTTPMethod: "POST", Path: "/clockify", RequestContext: events.APIGatewayProxyRequestContext{RequestID: "gw-1"}})
	if _, err := apigateway.NewHandler(rec).Invoke(ctx, payload); err != nil {
		t.Fatal(err)
	}
	if rec.id != "lambda-1" {
		t.Errorf("request id = %q", rec.id)
	}
}

// TestBodiesTheFrontRefuses: through the relay's front, an invocation
// that is no event and a body that is no base64 are refused with 400 and
// reported; a body over 1 MiB with 413, decoded no further than that.
func TestBodiesTheFrontRefuses(t *testing.T) {
	obs := &counter{}
	h := apigateway.NewHandler(observedRelay(obs).Front(nil))
	big := make([]byte, relay.MaxBodyBytes+1)
	for name, c := range map[string]struct {
		payload []byte
		status  int
		answer  string
	}{
		"not an event": {[]byte(`[1,2`), 400, `{"error":"the invocation is not an API Gateway event"}`},
		"not base64":   {mustJSON(events.APIGatewayProxyRequest{HTTPMethod: "POST", Path: "/clockify", Body: "not base64!", IsBase64Encoded: true}), 400, `{"error":"body is not valid base64"}`},
		"too large":    {mustJSON(events.APIGatewayProxyRequest{HTTPMethod: "POST", Path: "/clockify", Body: base64.StdEncoding.EncodeToString(big), IsBase64Encoded: true}), 413, `{"error":"body is larger than 1 MiB"}`},
	} {
		obs.reports = nil
		out, err := h.Invoke(context.Background(), c.payload)
		if err != nil {
			t.Fatal(err)
		}
		var resp events.APIGatewayProxyResponse
		_ = json.Unmarshal(out, &resp)
		if resp.StatusCode != c.status || resp.Body != c.answer || len(obs.reports) != 1 || obs.reports[0].Outcome != relay.Rejected {
			t.Errorf("%s: %d %s, reports %+v", name, resp.StatusCode, resp.Body, obs.reports)
		}
	}
}

func mustJSON(v any) []byte {
	b, _ := json.Marshal(v)
	return b
}

// TestSampleEvents checks that every file in events/ is an API Gateway event
// whose body reaches the relay as sent.
func TestSampleEvents(t *testing.T) {
	files, _ := samples.Webhooks("../../../events")
	if len(files) < 2 {
		t.Fatalf("found %d sample events", len(files))
	}
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			payload, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			var ev events.APIGatewayProxyRequest
			if err := json.Unmarshal(payload, &ev); err != nil {
				t.Fatal(err)
			}
			rec := &recorder{}
			if _, err := apigateway.NewHandler(rec).Invoke(context.Background(), payload); err != nil {
				t.Fatal(err)
			}
			if string(rec.body) != ev.Body || rec.path != relay.Path || rec.header.Get("Clockify-Webhook-Event-Type") == "" {
				t.Errorf("relay got %+v", rec)
			}
		})
	}
}
