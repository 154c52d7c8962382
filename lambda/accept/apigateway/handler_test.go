package apigateway_test

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"testing"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-lambda-go/lambdacontext"

	"clockify-discord-relay/lambda/accept/apigateway"
	"clockify-discord-relay/lambda/accept/relay"
	"clockify-discord-relay/lambda/internal/testkit/samples"
)

// recorder is a relay that remembers the request it was given, and the
// statuses of the requests refused before it.
type recorder struct {
	got     relay.Request
	resp    relay.Response
	refused []int
}

func (r *recorder) Handle(_ context.Context, req relay.Request) relay.Response {
	r.got = req
	return r.resp
}

func (r *recorder) Refuse(_ context.Context, _ relay.Request, status int, reason string) relay.Response {
	r.refused = append(r.refused, status)
	return relay.ErrorResponse(status, reason)
}

func invoke(t *testing.T, event any) (*recorder, []byte) {
	t.Helper()
	payload, err := json.Marshal(event)
	if err != nil {
		t.Fatal(err)
	}
	rec := &recorder{resp: relay.Response{Status: 200, Body: []byte(`{"status":"queued"}`)}}
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
		RequestContext: events.APIGatewayProxyRequestContext{RequestID: "gw-1"},
	})
	if rec.got.Method != "POST" || string(rec.got.Body) != `{"id":"e1"}` || rec.got.RequestID != "gw-1" {
		t.Errorf("request = %+v", rec.got)
	}
	if rec.got.Header.Get("Clockify-Signature") != "sig" || rec.got.Header.Get("clockify-webhook-event-type") != "TIMER_STOPPED" {
		t.Errorf("headers are not case-insensitive: %v", rec.got.Header)
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
		MultiValueHeaders: map[string][]string{"CLOCKIFY-signature": {"sig"}, "clockify-webhook-event-type": {"NEW_TIMER_STARTED"}},
		Body:              `{}`,
	})
	if rec.got.Header.Get("Clockify-Signature") != "sig" || rec.got.Header.Get("Clockify-Webhook-Event-Type") != "NEW_TIMER_STARTED" {
		t.Errorf("headers = %v", rec.got.Header)
	}
}

func TestBase64Body(t *testing.T) {
	rec, _ := invoke(t, events.APIGatewayProxyRequest{
		HTTPMethod:      "POST",
		Body:            base64.StdEncoding.EncodeToString([]byte(`{"id":"日本"}`)),
		IsBase64Encoded: true,
	})
	if string(rec.got.Body) != `{"id":"日本"}` {
		t.Errorf("body = %q", rec.got.Body)
	}
}

func TestBadBase64Body(t *testing.T) {
	rec, out := invoke(t, events.APIGatewayProxyRequest{HTTPMethod: "POST", Body: "not base64!", IsBase64Encoded: true})
	var resp events.APIGatewayProxyResponse
	_ = json.Unmarshal(out, &resp)
	if resp.StatusCode != http.StatusBadRequest || resp.Body != `{"error":"body is not valid base64"}` {
		t.Errorf("response = %+v", resp)
	}
	if rec.got.Method != "" {
		t.Error("the relay ran on a body that could not be decoded")
	}
}

func TestHTTPAPIEvent(t *testing.T) {
	ev := events.APIGatewayV2HTTPRequest{
		Version:         "2.0",
		RawPath:         "/clockify",
		Headers:         map[string]string{"clockify-signature": "sig"},
		Body:            base64.StdEncoding.EncodeToString([]byte(`{"id":"e2"}`)),
		IsBase64Encoded: true,
	}
	ev.RequestContext.HTTP.Method = "POST"
	ev.RequestContext.RequestID = "gw-2"
	rec, out := invoke(t, ev)
	if rec.got.Method != "POST" || string(rec.got.Body) != `{"id":"e2"}` || rec.got.Header.Get("Clockify-Signature") != "sig" {
		t.Errorf("request = %+v", rec.got)
	}
	var resp events.APIGatewayV2HTTPResponse
	if err := json.Unmarshal(out, &resp); err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != 200 || resp.Body != `{"status":"queued"}` {
		t.Errorf("response = %+v", resp)
	}
}

func TestLambdaRequestIDWins(t *testing.T) {
	rec := &recorder{resp: relay.Response{Status: 200}}
	ctx := lambdacontext.NewContext(context.Background(), &lambdacontext.LambdaContext{AwsRequestID: "lambda-1"})
	payload, _ := json.Marshal(events.APIGatewayProxyRequest{HTTPMethod: "POST", RequestContext: events.APIGatewayProxyRequestContext{RequestID: "gw-1"}})
	if _, err := apigateway.NewHandler(rec).Invoke(ctx, payload); err != nil {
		t.Fatal(err)
	}
	if rec.got.RequestID != "lambda-1" {
		t.Errorf("request id = %q", rec.got.RequestID)
	}
}

func TestNotAnEvent(t *testing.T) {
	rec := &recorder{}
	out, err := apigateway.NewHandler(rec).Invoke(context.Background(), []byte(`[1,2`))
	if err != nil {
		t.Fatal(err)
	}
	var resp events.APIGatewayProxyResponse
	_ = json.Unmarshal(out, &resp)
	if resp.StatusCode != http.StatusBadRequest || len(rec.refused) != 1 {
		t.Errorf("response = %+v, refusals %v", resp, rec.refused)
	}
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
			rec := &recorder{resp: relay.Response{Status: 200}}
			if _, err := apigateway.NewHandler(rec).Invoke(context.Background(), payload); err != nil {
				t.Fatal(err)
			}
			if string(rec.got.Body) != ev.Body || rec.got.Header.Get("Clockify-Webhook-Event-Type") == "" {
				t.Errorf("relay got %+v", rec.got)
			}
		})
	}
}
