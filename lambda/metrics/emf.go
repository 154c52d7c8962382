// Package metrics counts what the relay does as CloudWatch metrics, by
// printing them in the Embedded Metric Format: one JSON line per request,
// which CloudWatch Logs turns into metrics, with no API call.
// https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/CloudWatch_Embedded_Metric_Format_Specification.html
package metrics

import (
	"encoding/json"
	"io"
	"sync"
	"time"

	"clockify-discord-relay/lambda/relay"
)

// Metric names, as template.yaml's alarms use them.
const (
	Requests           = "Requests"           // one per request, by Outcome and EventType
	DiscordRetries     = "DiscordRetries"     // requests to Discord beyond the first
	DiscordRateLimited = "DiscordRateLimited" // 429 answers from Discord
	DeliveryLatency    = "DeliveryLatency"    // time spent delivering to Discord
)

// EMF writes one Embedded Metric Format line per request.
type EMF struct {
	mu        sync.Mutex
	w         io.Writer
	namespace string
	now       func() time.Time
}

// NewEMF writes to w, under the CloudWatch namespace.
func NewEMF(w io.Writer, namespace string, now func() time.Time) *EMF {
	return &EMF{w: w, namespace: namespace, now: now}
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
	if r.Delivery.Attempts > 0 {
		doc[DiscordRetries] = r.Delivery.Attempts - 1
		doc[DiscordRateLimited] = r.Delivery.RateLimited
		doc[DeliveryLatency] = float64(r.DeliveryLatency.Microseconds()) / 1000
		defs = append(defs, metricDef{DiscordRetries, "Count"}, metricDef{DiscordRateLimited, "Count"}, metricDef{DeliveryLatency, "Milliseconds"})
	}
	doc["_aws"] = metadata{
		Timestamp: e.now().UnixMilli(),
		CloudWatchMetrics: []directive{{
			Namespace:  e.namespace,
			Dimensions: [][]string{{"Outcome"}, {"Outcome", "EventType"}},
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
