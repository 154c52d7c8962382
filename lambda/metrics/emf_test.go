package metrics_test

import (
	"bytes"
	"encoding/json"
	"testing"
	"time"

	"clockify-discord-relay/lambda/discord"
	"clockify-discord-relay/lambda/metrics"
	"clockify-discord-relay/lambda/relay"
)

func TestEMF(t *testing.T) {
	var buf bytes.Buffer
	at := time.Date(2026, 11, 26, 9, 0, 0, 0, time.UTC)
	emf := metrics.NewEMF(&buf, "ClockifyDiscordRelay", func() time.Time { return at })
	emf.Observe(relay.Report{RequestID: "r-1", Outcome: relay.Delivered, Event: "TIMER_STOPPED",
		Delivery: discord.Delivery{Attempts: 3, RateLimited: 1}, DeliveryLatency: 1500 * time.Millisecond})
	emf.Observe(relay.Report{RequestID: "r-2", Outcome: relay.Rejected})

	lines := bytes.Split(bytes.TrimSpace(buf.Bytes()), []byte("\n"))
	if len(lines) != 2 {
		t.Fatalf("%d lines", len(lines))
	}
	var first map[string]any
	if err := json.Unmarshal(lines[0], &first); err != nil {
		t.Fatal(err)
	}
	want := `{"CloudWatchMetrics":[{"Dimensions":[["Outcome"],["Outcome","EventType"]],"Metrics":[{"Name":"Requests","Unit":"Count"},{"Name":"DiscordRetries","Unit":"Count"},{"Name":"DiscordRateLimited","Unit":"Count"},{"Name":"DeliveryLatency","Unit":"Milliseconds"}],"Namespace":"ClockifyDiscordRelay"}],"Timestamp":1795683600000}`
	if got, _ := json.Marshal(first["_aws"]); string(got) != want {
		t.Errorf("_aws\n got %s\nwant %s", got, want)
	}
	for key, value := range map[string]any{"Outcome": "delivered", "EventType": "TIMER_STOPPED", "Requests": 1.0, "DiscordRetries": 2.0, "DiscordRateLimited": 1.0, "DeliveryLatency": 1500.0} {
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
	if _, ok := second["DeliveryLatency"]; ok {
		t.Error("a request that never reached Discord reports a delivery latency")
	}
}
