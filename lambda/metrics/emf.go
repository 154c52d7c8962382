package metrics

import (
	"encoding/json"
	"fmt"
	"io"
	"sync"
	"time"

	"clockify-discord-relay/lambda/accept/relay"
	"clockify-discord-relay/lambda/deliver"
	"clockify-discord-relay/lambda/store/sqs"
)

// Metric names, as template.yaml's alarms use them.
const (
	Requests           = "Requests"           // one per request, by Outcome and EventType
	DiscordRetries     = "DiscordRetries"     // requests to Discord beyond the first
	DiscordRateLimited = "DiscordRateLimited" // 429 answers from Discord
	DeliveryLatency    = "DeliveryLatency"    // time spent delivering to Discord
	StaleSecrets       = "StaleSecrets"       // requests served with the last good secrets while SSM failed

	// One line per Discord message, by Outcome (delivered, retry, dead).
	EventsPerMessage = "EventsPerMessage" // events one message carried
	Delivered        = "Delivered"        // events Discord accepted

	// One line per SQS batch.
	OldestJobAge = "OldestJobAge" // how long the batch's oldest job waited in the queue
	DeadLettered = "DeadLettered" // jobs sent to the dead-letter queue
	Retried      = "Retried"      // jobs put back to wait
)

var (
	_ relay.Observer   = (*EMF)(nil)
	_ deliver.Observer = (*EMF)(nil)
	_ sqs.Observer     = (*EMF)(nil)
)

// Level says which custom metrics are written: each metric (a name and
// its dimensions' values) costs US$0.30 a month, and the log lines keep
// every detail for Logs Insights, so the alarms watch AWS's own metrics.
type Level int

const (
	// Off writes none.
	Off Level = iota
	// Basic writes three, without dimensions: Requests, Delivered and
	// DeadLettered.
	Basic
	// Detailed writes every metric, by outcome and event type (about
	// 25).
	Detailed
)

// ParseLevel reads METRICS: off (or empty), basic or detailed.
func ParseLevel(s string) (Level, error) {
	switch s {
	case "", "off":
		return Off, nil
	case "basic":
		return Basic, nil
	case "detailed":
		return Detailed, nil
	}
	return Off, fmt.Errorf("%q is not off, basic or detailed", s)
}

// EMF writes one Embedded Metric Format line per request, message and
// batch, as its level says.
type EMF struct {
	mu        sync.Mutex
	w         io.Writer
	namespace string
	level     Level
	now       func() time.Time
}

// NewEMF writes to w, under the CloudWatch namespace, the metrics of
// level.
func NewEMF(w io.Writer, namespace string, level Level, now func() time.Time) *EMF {
	return &EMF{w: w, namespace: namespace, level: level, now: now}
}

type metricDef struct {
	Name string `json:"Name"`
	Unit string `json:"Unit"`
}

type directive struct {
	Namespace  string      `json:"Namespace"`
	Dimensions [][]string  `json:"Dimensions"`
	Metrics    []metricDef `json:"Metrics"`
}

type metadata struct {
	Timestamp         int64       `json:"Timestamp"`
	CloudWatchMetrics []directive `json:"CloudWatchMetrics"`
}

// Observe writes the request's metrics. Requests is counted by outcome, and
// by outcome and event type.
func (e *EMF) Observe(r relay.Report) {
	switch e.level {
	case Off:
		return
	case Basic:
		e.write(map[string]any{Requests: 1}, [][]string{{}}, []metricDef{{Requests, "Count"}})
		return
	}
	event := string(r.Event)
	if event == "" {
		event = "none"
	}
	doc := map[string]any{
		"Outcome":   string(r.Outcome),
		"EventType": event,
		"requestId": r.RequestID,
		Requests:    1,
	}
	defs := []metricDef{{Requests, "Count"}}
	if r.StaleSecrets != nil {
		doc[StaleSecrets] = 1
		defs = append(defs, metricDef{StaleSecrets, "Count"})
	}
	e.write(doc, [][]string{{"Outcome"}, {"Outcome", "EventType"}}, defs)
}

// ObserveMessage writes a Discord message's metrics, by outcome.
func (e *EMF) ObserveMessage(r deliver.Report) {
	delivered := 0
	if r.Err == nil {
		delivered = len(r.Events)
	}
	switch e.level {
	case Off:
		return
	case Basic:
		e.write(map[string]any{Delivered: delivered}, [][]string{{}}, []metricDef{{Delivered, "Count"}})
		return
	}
	doc := map[string]any{
		"Outcome":          r.State.String(),
		EventsPerMessage:   len(r.Events),
		Delivered:          delivered,
		DiscordRetries:     max(r.Delivery.Attempts-1, 0),
		DiscordRateLimited: r.Delivery.RateLimited,
		DeliveryLatency:    float64(r.Latency.Microseconds()) / 1000,
	}
	e.write(doc, [][]string{{"Outcome"}}, []metricDef{
		{EventsPerMessage, "Count"}, {Delivered, "Count"}, {DiscordRetries, "Count"},
		{DiscordRateLimited, "Count"}, {DeliveryLatency, "Milliseconds"},
	})
}

// ObserveBatch writes an SQS batch's metrics.
func (e *EMF) ObserveBatch(r sqs.BatchReport) {
	switch e.level {
	case Off:
		return
	case Basic:
		e.write(map[string]any{DeadLettered: r.DeadLettered}, [][]string{{}}, []metricDef{{DeadLettered, "Count"}})
		return
	}
	doc := map[string]any{
		OldestJobAge: float64(r.OldestAge.Milliseconds()),
		DeadLettered: r.DeadLettered,
		Retried:      r.Retried,
	}
	e.write(doc, [][]string{{}}, []metricDef{{OldestJobAge, "Milliseconds"}, {DeadLettered, "Count"}, {Retried, "Count"}})
}

// write adds the EMF directive to doc and prints it as one line.
func (e *EMF) write(doc map[string]any, dimensions [][]string, defs []metricDef) {
	doc["_aws"] = metadata{
		Timestamp: e.now().UnixMilli(),
		CloudWatchMetrics: []directive{{
			Namespace:  e.namespace,
			Dimensions: dimensions,
			Metrics:    defs,
		}},
	}
	line, err := json.Marshal(doc)
	if err != nil {
		return // cannot happen for these types
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	_, _ = e.w.Write(append(line, '\n'))
}
