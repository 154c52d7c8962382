package metrics_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"clockify-discord-relay/lambda/accept/relay"
	"clockify-discord-relay/lambda/deliver"
	"clockify-discord-relay/lambda/discord"
	"clockify-discord-relay/lambda/metrics"
	"clockify-discord-relay/lambda/queue"
	"clockify-discord-relay/lambda/store/sqs"
)

func TestEMF(t *testing.T) {
	var buf bytes.Buffer
	at := time.Date(2026, 11, 26, 9, 0, 0, 0, time.UTC)
	emf := metrics.NewEMF(&buf, "ClockifyDiscordRelay", metrics.Detailed, func() time.Time { return at })
	emf.Observe(relay.Report{RequestID: "r-1", Outcome: relay.Queued, Event: "TIMER_STOPPED"})
	emf.Observe(relay.Report{RequestID: "r-2", Outcome: relay.Rejected})

	lines := bytes.Split(bytes.TrimSpace(buf.Bytes()), []byte("\n"))
	if len(lines) != 2 {
		t.Fatalf("%d lines", len(lines))
	}
	var first map[string]any
	if err := json.Unmarshal(lines[0], &first); err != nil {
		t.Fatal(err)
	}
	want := `{"CloudWatchMetrics":[{"Dimensions":[["Outcome"],["Outcome","EventType"]],"Metrics":[{"Name":"Requests","Unit":"Count"}],"Namespace":"ClockifyDiscordRelay"}],"Timestamp":1795683600000}`
	if got, _ := json.Marshal(first["_aws"]); string(got) != want {
		t.Errorf("_aws\n got %s\nwant %s", got, want)
	}
	for key, value := range map[string]any{"Outcome": "queued", "EventType": "TIMER_STOPPED", "Requests": 1.0} {
		if first[key] != value {
			t.Errorf("%s = %v, want %v", key, first[key], value)
		}
	}
	// Every metric the directive names has a value in the document.
	var second map[string]any
	_ = json.Unmarshal(lines[1], &second)
	if second["EventType"] != "none" || second["Outcome"] != "rejected" || second["Requests"] != 1.0 {
		t.Errorf("second line = %v", second)
	}
	if _, ok := first["DeliveryLatency"]; ok {
		t.Error("a request reports a delivery latency: the messages report theirs")
	}
}

func TestEMFForMessagesAndBatches(t *testing.T) {
	var buf bytes.Buffer
	emf := metrics.NewEMF(&buf, "NS", metrics.Detailed, time.Now)
	emf.ObserveMessage(deliver.Report{State: queue.Delivered, Events: []string{"A", "B", "C"}, Delivery: discord.Delivery{Attempts: 2, RateLimited: 1}})
	emf.ObserveBatch(sqs.BatchReport{Received: 4, DeadLettered: 1, OldestAge: 90 * time.Second})
	lines := bytes.Split(bytes.TrimSpace(buf.Bytes()), []byte("\n"))
	if len(lines) != 2 {
		t.Fatalf("%d lines", len(lines))
	}
	var msg, batch map[string]any
	_ = json.Unmarshal(lines[0], &msg)
	_ = json.Unmarshal(lines[1], &batch)
	for key, value := range map[string]any{"Outcome": "delivered", "EventsPerMessage": 3.0, "Delivered": 3.0, "DiscordRetries": 1.0, "DiscordRateLimited": 1.0} {
		if msg[key] != value {
			t.Errorf("message %s = %v, want %v", key, msg[key], value)
		}
	}
	for key, value := range map[string]any{"OldestJobAge": 90000.0, "DeadLettered": 1.0, "Retried": 0.0} {
		if batch[key] != value {
			t.Errorf("batch %s = %v, want %v", key, batch[key], value)
		}
	}
}

// TestMetricLevels: off writes no metric; basic writes three, with no
// dimension, so they cost three metrics whatever comes; detailed writes
// them by outcome and event type.
func TestMetricLevels(t *testing.T) {
	names := func(level metrics.Level) map[string]bool {
		var buf bytes.Buffer
		emf := metrics.NewEMF(&buf, "NS", level, time.Now)
		emf.Observe(relay.Report{Outcome: relay.Queued, Event: "TIMER_STOPPED"})
		emf.Observe(relay.Report{Outcome: relay.Rejected})
		emf.ObserveMessage(deliver.Report{State: queue.Delivered, Events: []string{"TIMER_STOPPED"}})
		emf.ObserveBatch(sqs.BatchReport{DeadLettered: 1})
		out := map[string]bool{}
		for _, line := range bytes.Split(bytes.TrimSpace(buf.Bytes()), []byte("\n")) {
			if len(line) == 0 {
				continue
			}
			var doc struct {
				AWS struct {
					CloudWatchMetrics []struct {
						Dimensions [][]string
						Metrics    []struct{ Name string }
					}
				} `json:"_aws"`
			}
			if err := json.Unmarshal(line, &doc); err != nil {
				t.Fatal(err)
			}
			for _, d := range doc.AWS.CloudWatchMetrics {
				for _, m := range d.Metrics {
					for _, dims := range d.Dimensions {
						out[m.Name+fmt.Sprint(dims)] = true
					}
				}
			}
		}
		return out
	}
	if got := names(metrics.Off); len(got) != 0 {
		t.Errorf("off writes %v", got)
	}
	if got := names(metrics.Basic); len(got) != 3 || !got["Requests[]"] || !got["Delivered[]"] || !got["DeadLettered[]"] {
		t.Errorf("basic writes %v", got)
	}
	if got := names(metrics.Detailed); !got["Requests[Outcome EventType]"] || len(got) < 8 {
		t.Errorf("detailed writes %v", got)
	}
	for _, s := range []string{"", "off", "basic", "detailed"} {
		if _, err := metrics.ParseLevel(s); err != nil {
			t.Errorf("%q: %v", s, err)
		}
	}
	if _, err := metrics.ParseLevel("all"); err == nil {
		t.Error("METRICS=all was taken")
	}
}
