package apigateway

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"strings"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-lambda-go/lambdacontext"

	"clockify-discord-relay/lambda/accept/relay"
)

// InteractionsPath is the API's route for Discord's interactions.
const InteractionsPath = relay.InteractionsPath

// Handler is a lambda.Handler that speaks both payload formats, so the
// template's event can switch between Api and HttpApi without code changes.
type Handler struct {
	relay relay.Front
	ask   relay.Asker
}

// NewHandler returns a Lambda handler for r.
func NewHandler(r relay.Front) *Handler { return &Handler{relay: r} }

// WithInteractions answers /discord/interactions with ask; without, that
// path answers 404.
func (h *Handler) WithInteractions(ask relay.Asker) *Handler { h.ask = ask; return h }

// Event is what the relay reads of an API Gateway event, in either
// payload format: 1.0 (events.APIGatewayProxyRequest) or 2.0
// (events.APIGatewayV2HTTPRequest). One pass decodes either, skipping the
// fields the relay does not use.
type Event struct {
	Version           string              `json:"version"`
	Path              string              `json:"path"`       // 1.0
	RawPath           string              `json:"rawPath"`    // 2.0
	HTTPMethod        string              `json:"httpMethod"` // 1.0
	Headers           map[string]string   `json:"headers"`
	MultiValueHeaders map[string][]string `json:"multiValueHeaders"` // 1.0
	Body              string              `json:"body"`
	IsBase64Encoded   bool                `json:"isBase64Encoded"`
	RequestContext    struct {
		RequestID string `json:"requestId"`
		HTTP      struct {
			Method string `json:"method"`
		} `json:"http"` // 2.0
	} `json:"requestContext"`
}

// Invoke decodes the event, runs the relay and encodes its answer in the
// event's own format.
func (h *Handler) Invoke(ctx context.Context, payload []byte) ([]byte, error) {
	var ev Event
	if err := json.Unmarshal(payload, &ev); err != nil {
		return h.Unreadable(ctx)
	}
	return h.Serve(ctx, ev)
}

// Unreadable answers an invocation that is not JSON.
func (h *Handler) Unreadable(ctx context.Context) ([]byte, error) {
	return encodeV1(h.relay.Refuse(ctx, relay.Request{RequestID: requestID(ctx, "")}, http.StatusBadRequest, "the invocation is not an API Gateway event"))
}

// Serve answers a decoded event in its own format.
func (h *Handler) Serve(ctx context.Context, ev Event) ([]byte, error) {
	method, encode := ev.HTTPMethod, encodeV1
	if ev.Version == "2.0" {
		method, encode = ev.RequestContext.HTTP.Method, encodeV2
	}
	if strings.HasSuffix(ev.Path+ev.RawPath, InteractionsPath) {
		return encode(h.interact(ctx, method, ev))
	}
	return encode(h.serve(ctx, method, ev))
}

// interact answers an interaction, or 404 without an Asker.
func (h *Handler) interact(ctx context.Context, method string, ev Event) relay.Response {
	req, refused := h.read(ctx, method, ev)
	switch {
	case refused != nil:
		return *refused
	case h.ask == nil:
		return h.relay.Refuse(ctx, req, http.StatusNotFound, "interactions are off: set DISCORD_PUBLIC_KEY (or DISCORD_PUBLIC_KEY_PARAMETER) to the application's public key to turn them on")
	case method != http.MethodPost:
		return h.relay.Refuse(ctx, req, http.StatusMethodNotAllowed, "only POST is accepted")
	}
	status, out := h.ask.Handle(ctx, req.Header, req.Body)
	return relay.Response{Status: status, Body: out}
}

func (h *Handler) serve(ctx context.Context, method string, ev Event) relay.Response {
	req, refused := h.read(ctx, method, ev)
	if refused != nil {
		return *refused
	}
	return h.relay.Handle(ctx, req)
}

// read is the event as a request: its headers merged, its body decoded;
// or the refusal of a body too large or not base64.
func (h *Handler) read(ctx context.Context, method string, ev Event) (relay.Request, *relay.Response) {
	req := relay.Request{
		Method:    method,
		Header:    headers(ev.Headers, ev.MultiValueHeaders),
		RequestID: requestID(ctx, ev.RequestContext.RequestID),
	}
	refuse := func(status int, reason string) (relay.Request, *relay.Response) {
		r := h.relay.Refuse(ctx, req, status, reason)
		return req, &r
	}
	if len(ev.Body) > base64.StdEncoding.EncodedLen(relay.MaxBodyBytes)+4 {
		return refuse(http.StatusRequestEntityTooLarge, "body is larger than 1 MiB")
	}
	req.Body = []byte(ev.Body)
	if ev.IsBase64Encoded {
		raw, err := base64.StdEncoding.DecodeString(ev.Body)
		if err != nil {
			return refuse(http.StatusBadRequest, "body is not valid base64")
		}
		req.Body = raw
	}
	return req, nil
}

// requestID is Lambda's request id, else API Gateway's.
func requestID(ctx context.Context, fromEvent string) string {
	if lc, ok := lambdacontext.FromContext(ctx); ok {
		return lc.AwsRequestID
	}
	return fromEvent
}

// headers merges both header maps with canonical keys, so that lookups are
// case-insensitive whichever map API Gateway filled.
func headers(single map[string]string, multi map[string][]string) http.Header {
	h := make(http.Header, len(single)+len(multi))
	for k, vs := range multi {
		key := http.CanonicalHeaderKey(k)
		h[key] = append(h[key], vs...)
	}
	for k, v := range single {
		key := http.CanonicalHeaderKey(k)
		if _, ok := h[key]; !ok {
			h[key] = []string{v}
		}
	}
	return h
}

func encodeV1(r relay.Response) ([]byte, error) {
	return json.Marshal(events.APIGatewayProxyResponse{
		StatusCode: r.Status,
		Headers:    map[string]string{"Content-Type": relay.ContentType},
		Body:       string(r.Body),
	})
}

func encodeV2(r relay.Response) ([]byte, error) {
	return json.Marshal(events.APIGatewayV2HTTPResponse{
		StatusCode: r.Status,
		Headers:    map[string]string{"Content-Type": relay.ContentType},
		Body:       string(r.Body),
	})
}
