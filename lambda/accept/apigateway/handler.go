package apigateway

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strings"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-lambda-go/lambdacontext"

	"clockify-discord-relay/lambda/accept/relay"
)

// Handler serves an http.Handler (the accept half's front) to API
// Gateway's events, in both payload formats, so the template's event can
// switch between Api and HttpApi without code changes.
type Handler struct {
	front http.Handler
}

// NewHandler serves front.
func NewHandler(front http.Handler) *Handler { return &Handler{front: front} }

// Event is what the relay reads of an API Gateway event, in either
// payload format: 1.0 (events.APIGatewayProxyRequest) or 2.0
// (events.APIGatewayV2HTTPRequest). One pass decodes either, skipping the
// fields the relay does not use.
type Event struct {
	Version           string              `json:"version"`
	Path              string              `json:"path"`       // 1.0, without the stage
	RawPath           string              `json:"rawPath"`    // 2.0, with a named stage
	HTTPMethod        string              `json:"httpMethod"` // 1.0
	Headers           map[string]string   `json:"headers"`
	MultiValueHeaders map[string][]string `json:"multiValueHeaders"` // 1.0
	Body              string              `json:"body"`
	IsBase64Encoded   bool                `json:"isBase64Encoded"`
	RequestContext    struct {
		RequestID string `json:"requestId"`
		Stage     string `json:"stage"`
		HTTP      struct {
			Method string `json:"method"`
		} `json:"http"` // 2.0
	} `json:"requestContext"`
}

// Invoke decodes the event, serves it and encodes the answer in the
// event's own format.
func (h *Handler) Invoke(ctx context.Context, payload []byte) ([]byte, error) {
	var ev Event
	if err := json.Unmarshal(payload, &ev); err != nil {
		return h.Unreadable(ctx)
	}
	return h.Serve(ctx, ev)
}

// errNotAnEvent is the body of an invocation that is not JSON: the front
// refuses it like any body it cannot read.
var errNotAnEvent = relay.UnreadableBody("the invocation is not an API Gateway event")

// Unreadable answers an invocation that is not JSON.
func (h *Handler) Unreadable(ctx context.Context) ([]byte, error) {
	req := request(ctx, http.MethodPost, relay.Path, failing{errNotAnEvent}, http.Header{}, "")
	return encodeV1(h.serve(req))
}

// Serve answers a decoded event in its own format.
func (h *Handler) Serve(ctx context.Context, ev Event) ([]byte, error) {
	method, path, encode := ev.HTTPMethod, ev.Path, encodeV1
	if ev.Version == "2.0" {
		method, path, encode = ev.RequestContext.HTTP.Method, ev.RawPath, encodeV2
		// A named stage leads the raw path; $default does not.
		if stage := ev.RequestContext.Stage; stage != "" && stage != "$default" {
			path = strings.TrimPrefix(path, "/"+stage)
		}
	}
	var body io.Reader = text{strings.NewReader(ev.Body)}
	size := len(ev.Body)
	if ev.IsBase64Encoded {
		// Decoded as read, so the front's limit stops a large body early.
		body, size = base64Body{base64.NewDecoder(base64.StdEncoding, strings.NewReader(ev.Body))}, base64.StdEncoding.DecodedLen(size)
	}
	req := request(ctx, method, path, body, headers(ev.Headers, ev.MultiValueHeaders), ev.RequestContext.RequestID)
	req.ContentLength = int64(size) // at most: the front reads it into one buffer
	return encode(h.serve(req))
}

// request is the event as net/http's request, named by Lambda's request
// id, else API Gateway's.
func request(ctx context.Context, method, path string, body io.Reader, header http.Header, gatewayID string) *http.Request {
	id := gatewayID
	if lc, ok := lambdacontext.FromContext(ctx); ok {
		id = lc.AwsRequestID
	}
	ctx = relay.WithRequestID(ctx, id)
	r, err := http.NewRequestWithContext(ctx, method, "", body)
	if err != nil { // a method net/http refuses: the front refuses it too
		r, _ = http.NewRequestWithContext(ctx, "INVALID", "", body)
	}
	r.URL.Path, r.RequestURI, r.Header, r.Host = path, path, header, header.Get("Host")
	return r
}

// serve runs the front on req and keeps what it wrote.
func (h *Handler) serve(req *http.Request) *answer {
	a := &answer{header: http.Header{}, status: http.StatusOK}
	h.front.ServeHTTP(a, req)
	return a
}

// answer is an http.ResponseWriter that keeps the answer for the event's
// response.
type answer struct {
	header http.Header
	status int
	body   strings.Builder
	wrote  bool
}

func (a *answer) Header() http.Header { return a.header }

func (a *answer) WriteHeader(status int) {
	if !a.wrote {
		a.status, a.wrote = status, true
	}
}

func (a *answer) Write(b []byte) (int, error) {
	a.WriteHeader(http.StatusOK)
	return a.body.Write(b)
}

// single is the answer's headers, one value each, as both formats take.
func (a *answer) single() map[string]string {
	out := make(map[string]string, len(a.header))
	for k, vs := range a.header {
		out[k] = strings.Join(vs, ",")
	}
	return out
}

func encodeV1(a *answer) ([]byte, error) {
	return json.Marshal(events.APIGatewayProxyResponse{StatusCode: a.status, Headers: a.single(), Body: a.body.String()})
}

func encodeV2(a *answer) ([]byte, error) {
	return json.Marshal(events.APIGatewayV2HTTPResponse{StatusCode: a.status, Headers: a.single(), Body: a.body.String()})
}

// headers merges both header maps with canonical keys, so that lookups are
// case-insensitive whichever map API Gateway filled. The values share one
// array: a header is one allocation fewer each, on every request.
func headers(single map[string]string, multi map[string][]string) http.Header {
	n := len(single)
	for _, vs := range multi {
		n += len(vs)
	}
	vals := make([]string, 0, n)
	h := make(http.Header, len(single)+len(multi))
	add := func(key string, vs ...string) {
		if old, ok := h[key]; ok {
			h[key] = append(old, vs...) // two spellings of one name: rare
			return
		}
		start := len(vals)
		vals = append(vals, vs...)
		h[key] = vals[start:len(vals):len(vals)]
	}
	for k, vs := range multi {
		add(http.CanonicalHeaderKey(k), vs...)
	}
	for k, v := range single {
		key := http.CanonicalHeaderKey(k)
		if _, ok := h[key]; !ok {
			add(key, v)
		}
	}
	return h
}

// base64Body says that a body is not base64 as the front can tell.
type base64Body struct{ r io.Reader }

func (b base64Body) Read(p []byte) (int, error) {
	n, err := b.r.Read(p)
	var corrupt base64.CorruptInputError
	if errors.As(err, &corrupt) {
		err = relay.UnreadableBody("body is not valid base64")
	}
	return n, err
}

// text is a body as the event holds it, a ReadCloser as it is.
type text struct{ *strings.Reader }

func (text) Close() error { return nil }

// failing is a body that cannot be read.
type failing struct{ err error }

func (f failing) Read([]byte) (int, error) { return 0, f.err }
