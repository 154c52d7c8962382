package relay

import "net/http"

// MaxBodyBytes is the largest body accepted. Time entries are a few KiB.
const MaxBodyBytes = 1 << 20

// Request is a webhook delivery, whatever carried it.
type Request struct {
	Method string
	Header http.Header // canonical keys, so lookups ignore case
	Body   []byte
	// RequestID names the request in logs (Lambda's or API Gateway's id).
	RequestID string
}
