package main

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

// TestSendIsANewEventEachTime: two sends of one sample carry two entry
// ids, the times are moved to now, the event header goes along; -again
// sends the same body once more.
func TestSendIsANewEventEachTime(t *testing.T) {
	var bodies []string
	var events []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		bodies = append(bodies, string(b))
		events = append(events, r.Header.Get("Clockify-Webhook-Event-Type"))
		w.Write([]byte(`{"status":"queued"}`))
	}))
	defer srv.Close()
	lastFile = t.TempDir() + "/last.json"
	now := time.Date(2026, 11, 29, 10, 0, 0, 0, time.UTC)
	var out bytes.Buffer
	for _, args := range [][]string{{"-url", srv.URL, "../../../events/timer-stopped.json"}, {"-url", srv.URL, "../../../events/timer-stopped.json"}, {"-url", srv.URL, "-again"}} {
		if err := run(args, &out, now); err != nil {
			t.Fatal(err)
		}
	}
	var a, b map[string]any
	_ = json.Unmarshal([]byte(bodies[0]), &a)
	_ = json.Unmarshal([]byte(bodies[1]), &b)
	if a["id"] == b["id"] || bodies[2] != bodies[1] {
		t.Errorf("ids %v %v; again: %v", a["id"], b["id"], bodies[2] == bodies[1])
	}
	if end := a["timeInterval"].(map[string]any)["end"]; end != "2026-11-29T10:00:00Z" {
		t.Errorf("end %v, want now", end)
	}
	if events[0] != "TIMER_STOPPED" || !strings.Contains(out.String(), "200") {
		t.Errorf("events %v, output %s", events, out.String())
	}
}
