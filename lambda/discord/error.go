package discord

import (
	"encoding/json"
	"fmt"
	"net/http"
	"sort"
	"strings"
)

// maxErrorBody bounds how much of an answer is read.
const maxErrorBody = 64 << 10

// JSON error codes the relay explains.
// https://discord.com/developers/docs/topics/opcodes-and-status-codes#json-json-error-codes
const (
	CodeUnknownMessage      = 10008
	CodeUnknownWebhook      = 10015
	CodeInvalidWebhookToken = 50027
	CodeInvalidFormBody     = 50035
	// CodeMessageTooOld: a message older than an hour takes few more
	// edits (docs topics/opcodes-and-status-codes).
	CodeMessageTooOld = 30046
)

// APIError is a non-2xx answer from Discord.
type APIError struct {
	StatusCode int
	Code       int    // Discord's JSON error code, 0 when absent
	Message    string // Discord's message, summarised
}

func (e *APIError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "discord: %d %s", e.StatusCode, http.StatusText(e.StatusCode))
	switch {
	case e.StatusCode == http.StatusNotFound && e.Code == CodeUnknownMessage:
		b.WriteString(": the message was deleted")
	case e.StatusCode == http.StatusNotFound && (e.Code == CodeUnknownWebhook || e.Code == 0):
		b.WriteString(": the webhook was deleted or the URL is wrong")
	case e.StatusCode == http.StatusUnauthorized || e.Code == CodeInvalidWebhookToken:
		b.WriteString(": the webhook token is invalid")
	}
	if e.Message != "" {
		fmt.Fprintf(&b, " (%s", e.Message)
		if e.Code != 0 {
			fmt.Fprintf(&b, ", code %d", e.Code)
		}
		b.WriteString(")")
	}
	return b.String()
}

// errorBody is Discord's JSON error. Errors mirrors the JSON path of the
// fields at fault; v6 URLs answer with a flat {"field": ["message"]} instead.
type errorBody struct {
	Code    int             `json:"code"`
	Message string          `json:"message"`
	Errors  json.RawMessage `json:"errors"`
}

func readAPIError(a *answer) *APIError {
	e := &APIError{StatusCode: a.StatusCode}
	raw := a.Body
	var body errorBody
	if json.Unmarshal(raw, &body) != nil {
		return e
	}
	e.Code = body.Code
	e.Message = Truncate(body.Message, 200)
	if reasons := formErrors(body.Errors); reasons != "" {
		e.Message = Truncate(e.Message+": "+reasons, 300)
	}
	return e
}

// formErrors flattens {"embeds":{"0":{"title":{"_errors":[{"message":"..."}]}}}}
// into "embeds.0.title: ...".
func formErrors(raw json.RawMessage) string {
	if len(raw) == 0 {
		return ""
	}
	var tree any
	if json.Unmarshal(raw, &tree) != nil {
		return ""
	}
	var out []string
	var walk func(path string, v any)
	walk = func(path string, v any) {
		m, ok := v.(map[string]any)
		if !ok {
			return
		}
		keys := make([]string, 0, len(m))
		for k := range m {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			if k != "_errors" {
				walk(strings.TrimPrefix(path+"."+k, "."), m[k])
				continue
			}
			list, _ := m[k].([]any)
			for _, item := range list {
				if obj, ok := item.(map[string]any); ok {
					if msg, ok := obj["message"].(string); ok {
						out = append(out, path+": "+msg)
					}
				}
			}
		}
	}
	walk("", tree)
	return strings.Join(out, "; ")
}
