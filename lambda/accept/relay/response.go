package relay

import (
	"encoding/json"
	"net/http"
)

// Response is the answer to the caller: a status and a short JSON body.
type Response struct {
	Status int
	Body   []byte
}

// ContentType is the type of every response body.
const ContentType = "application/json"

// answer is the JSON body of a response. Error texts are short and carry no
// internals.
type answer struct {
	Status string `json:"status,omitempty"`
	Event  string `json:"event,omitempty"`
	Error  string `json:"error,omitempty"`
}

func respond(status int, a answer) Response {
	body, _ := json.Marshal(a) // cannot fail for this type
	return Response{Status: status, Body: body}
}

func fail(status int, reason string) Response {
	return respond(status, answer{Error: reason})
}

// ErrorResponse is a response for failures found before the relay runs,
// such as a body that is too large or a path that does not exist.
func ErrorResponse(status int, reason string) Response {
	if reason == "" {
		reason = http.StatusText(status)
	}
	return fail(status, reason)
}
