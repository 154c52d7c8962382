package relay

import (
	"encoding/json"
	"net/http"
)

// ContentType is the type of every answer's body.
const ContentType = "application/json"

// answer is the JSON body of a response. Error texts are short and carry no
// internals.
type answer struct {
	Status string `json:"status,omitempty"`
	Event  string `json:"event,omitempty"`
	Error  string `json:"error,omitempty"`
}

// contentType and allow are header values every answer shares: nothing
// changes them once set.
var contentType, allow = []string{ContentType}, []string{http.MethodPost}

// write answers with status and a.
func write(w http.ResponseWriter, status int, a answer) {
	body, _ := json.Marshal(a) // cannot fail for this type
	w.Header()["Content-Type"] = contentType
	if status == http.StatusMethodNotAllowed {
		w.Header()["Allow"] = allow
	}
	w.WriteHeader(status)
	_, _ = w.Write(body)
}
