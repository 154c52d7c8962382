package deployment_test

import (
	"encoding/json"
	"net/http"
	"testing"

	"github.com/aws/aws-lambda-go/events"

	"clockify-discord-relay/lambda/clockify"
)

// TestSampleEventsAreAPIGatewayEvents: every file in events/ is an API
// Gateway proxy event as sam local invoke -e needs, POST /clockify, with
// Clockify's headers and a body that decodes as a time entry.
func TestSampleEventsAreAPIGatewayEvents(t *testing.T) {
	for name, raw := range sampleEvents(t) {
		var ev events.APIGatewayProxyRequest
		if err := json.Unmarshal(raw, &ev); err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		if ev.HTTPMethod != http.MethodPost || ev.Path != "/clockify" || ev.IsBase64Encoded {
			t.Errorf("%s: %s %s base64=%v", name, ev.HTTPMethod, ev.Path, ev.IsBase64Encoded)
		}
		h := http.Header{}
		for k, v := range ev.Headers {
			h.Set(k, v)
		}
		for k, vs := range ev.MultiValueHeaders {
			if len(vs) != 1 || vs[0] != ev.Headers[k] {
				t.Errorf("%s: multiValueHeaders[%s] differs from headers", name, k)
			}
		}
		if h.Get(clockify.SignatureHeader) == "" || h.Get(clockify.EventTypeHeader) == "" || h.Get("Content-Type") != "application/json" {
			t.Errorf("%s: lacks Clockify's headers: %v", name, h)
		}
		if _, err := clockify.DecodeTimeEntry([]byte(ev.Body)); err != nil {
			t.Errorf("%s: body: %v", name, err)
		}
	}
}
