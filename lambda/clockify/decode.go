package clockify

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"
)

// DecodeError says why a body is not a time entry. Its text is short and
// safe to send back to the caller.
type DecodeError struct{ Reason string }

func (e *DecodeError) Error() string { return e.Reason }

// DecodeTimeEntry reads a time-entry webhook body. It refuses what is not a
// JSON object, fields of the wrong type, and entries without an id or a start.
func DecodeTimeEntry(body []byte) (TimeEntry, error) {
	var entry TimeEntry
	trimmed := bytes.TrimLeft(body, " \t\r\n")
	if len(trimmed) == 0 {
		return entry, &DecodeError{"empty body"}
	}
	if trimmed[0] != '{' {
		return entry, &DecodeError{"body is not a JSON object"}
	}
	if err := json.Unmarshal(trimmed, &entry); err != nil {
		return entry, &DecodeError{describeJSONError(err)}
	}
	switch {
	case entry.ID == "" && isEnvelope(trimmed):
		return entry, &DecodeError{`this is an API Gateway event (as in events/), not Clockify's body: post its "body" with its headers, or use make send EVENT=<file>`}
	case entry.ID == "":
		return entry, &DecodeError{"time entry has no id"}
	case entry.TimeInterval.Start.IsZero():
		return entry, &DecodeError{"time entry has no timeInterval.start"}
	}
	entry.clean()
	return entry, nil
}

// InferredEventType guesses the event when Clockify's header is missing:
// a running entry has just been started, a finished one stopped.
func (e TimeEntry) InferredEventType() EventType {
	if e.CurrentlyRunning {
		return NewTimerStarted
	}
	return TimerStopped
}

// ParseEventType normalises the event-type header's value.
func ParseEventType(header string) EventType {
	return EventType(strings.ToUpper(strings.TrimSpace(header)))
}

// describeJSONError names the field at fault without echoing the input.
func describeJSONError(err error) string {
	var typeErr *json.UnmarshalTypeError
	var syntaxErr *json.SyntaxError
	switch {
	case errors.As(err, &typeErr) && typeErr.Field != "":
		return fmt.Sprintf("field %s has the wrong type", typeErr.Field)
	case errors.As(err, &syntaxErr):
		return "body is not valid JSON"
	case errors.Is(err, ErrInvalidDuration):
		return "timeInterval.duration is not an ISO 8601 duration"
	case errors.As(err, new(*time.ParseError)):
		return "timeInterval has a time that is not RFC 3339"
	}
	return "body is not a valid time entry"
}

// isEnvelope tells an API Gateway event, which wraps Clockify's body, from
// a time entry: what someone posting a file of events/ sends.
func isEnvelope(body []byte) bool {
	var ev struct {
		Body           *string         `json:"body"`
		HTTPMethod     string          `json:"httpMethod"`
		RequestContext json.RawMessage `json:"requestContext"`
	}
	return json.Unmarshal(body, &ev) == nil && ev.Body != nil && (ev.HTTPMethod != "" || len(ev.RequestContext) > 0)
}
