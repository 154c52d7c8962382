package samples

import (
	"encoding/json"
	"fmt"
	"os"
	"time"

	"github.com/aws/aws-lambda-go/events"
)

// Moved reads a webhook sample (an API Gateway event) and moves its
// entry's times to now, as MovedBody does: a fixture that keeps its
// absolute date grows old, and the relay forgets timers a week old.
func Moved(file string, now time.Time) (events.APIGatewayProxyRequest, error) {
	var ev events.APIGatewayProxyRequest
	raw, err := os.ReadFile(file)
	if err != nil {
		return ev, err
	}
	if err := json.Unmarshal(raw, &ev); err != nil || ev.Body == "" {
		return ev, fmt.Errorf("%s is not an API Gateway event with a body", file)
	}
	body, err := MovedBody([]byte(ev.Body), now)
	if err != nil {
		return ev, fmt.Errorf("%s: %w", file, err)
	}
	ev.Body = string(body)
	return ev, nil
}

// MovedBody moves a Clockify entry's time interval by one shift, so that
// it ends at now or, still running, starts at now. Clockify's zoned
// copies of the times are dropped rather than left to disagree.
func MovedBody(body []byte, now time.Time) ([]byte, error) {
	var entry map[string]any
	if err := json.Unmarshal(body, &entry); err != nil {
		return nil, fmt.Errorf("the body is not JSON: %w", err)
	}
	ti, ok := entry["timeInterval"].(map[string]any)
	if !ok {
		return body, nil
	}
	start, err := time.Parse(time.RFC3339, fmt.Sprint(ti["start"]))
	if err != nil {
		return nil, fmt.Errorf("timeInterval.start: %w", err)
	}
	shift := now.Sub(start)
	if end, err := time.Parse(time.RFC3339, fmt.Sprint(ti["end"])); err == nil {
		shift = now.Sub(end)
		ti["end"] = end.Add(shift).UTC().Format(time.RFC3339)
	}
	ti["start"] = start.Add(shift).UTC().Format(time.RFC3339)
	delete(ti, "zonedStart")
	delete(ti, "zonedEnd")
	return json.Marshal(entry)
}
