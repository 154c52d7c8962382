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

// write answers with status and a.
func write(w http.ResponseWriter, status int, a answer) {
	body, _ := json.Marshal(a) // cannot fail for this type
	w.Header().Set("Content-Type", ContentType)
	if status == http.StatusMethodNotAllowed {
		w.Header().Set("Allow", http.MethodPost)
	}
	w.WriteHeader(status)
	_, _ = w.Write(body)
}
