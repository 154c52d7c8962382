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
	tempFiles(t)
	now := time.Date(2026, 11, 29, 10, 0, 0, 0, time.UTC)
	var out bytes.Buffer
	for _, args := range [][]string{{"-url", srv.URL, "../../../events/timer-stopped.json"}, {"-url", srv.URL, "../../../events/timer-stopped.json"}, {"-url", srv.URL, "-again"}} {
		if err := run(args, noEnv, &out, now); err != nil {
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

func noEnv(string) string { return "" }

// tempFiles keeps the last send and start in the test's own directory.
func tempFiles(t *testing.T) {
	dir := t.TempDir()
	lastFile, startFile = dir+"/last.json", dir+"/start.json"
}

// relay is a stand-in relay that answers answer, and records the bodies.
func relay(t *testing.T, status int, answer string) (*httptest.Server, *[]map[string]any) {
	var bodies []map[string]any
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var b map[string]any
		_ = json.NewDecoder(r.Body).Decode(&b)
		bodies = append(bodies, b)
		w.WriteHeader(status)
		w.Write([]byte(answer))
	}))
	t.Cleanup(srv.Close)
	return srv, &bodies
}

// TestAStopEndsTheLastStart: the demo's stop, update and delete end or
// change the entry that the last start began, its id and start kept and
// its end now; NEW=1 makes another entry.
func TestAStopEndsTheLastStart(t *testing.T) {
	tempFiles(t)
	srv, bodies := relay(t, http.StatusOK, `{"status":"queued"}`)
	started := time.Date(2026, 11, 29, 10, 0, 0, 0, time.UTC)
	var out bytes.Buffer
	send := func(at time.Time, args ...string) map[string]any {
		t.Helper()
		if err := run(append([]string{"-url", srv.URL}, args...), noEnv, &out, at); err != nil {
			t.Fatal(err)
		}
		return (*bodies)[len(*bodies)-1]
	}
	start := send(started, "../../../events/timer-started.json")
	stop := send(started.Add(90*time.Minute), "../../../events/timer-stopped.json")
	ti := stop["timeInterval"].(map[string]any)
	if stop["id"] != start["id"] || ti["start"] != "2026-11-29T10:00:00Z" || ti["end"] != "2026-11-29T11:30:00Z" || ti["duration"] != "PT1H30M0S" {
		t.Errorf("the stop %v %v, want the start's entry %v, 10:00 to 11:30", stop["id"], ti, start["id"])
	}
	if deleted := send(started.Add(2*time.Hour), "../../../events/time-entry-deleted.json"); deleted["id"] != start["id"] {
		t.Errorf("the delete names %v, want the start's entry", deleted["id"])
	}
	if other := send(started.Add(2*time.Hour), "-new", "../../../events/timer-stopped.json"); other["id"] == start["id"] {
		t.Errorf("NEW=1 stopped the last start's entry")
	}
}

// TestSendFollowsPortAndFailsOnRefusal: without -url it posts to
// 127.0.0.1:$PORT, and any answer but queued or duplicate fails it; the
// secret comes from the environment.
func TestSendFollowsPortAndFailsOnRefusal(t *testing.T) {
	tempFiles(t)
	var got []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got = append(got, r.Header.Get("Clockify-Signature"))
		w.WriteHeader(http.StatusUnauthorized)
		w.Write([]byte(`{"error":"invalid request signature"}`))
	}))
	defer srv.Close()
	_, port, _ := strings.Cut(strings.TrimPrefix(srv.URL, "http://"), ":")
	env := map[string]string{"PORT": port, "CLOCKIFY_SIGNING_SECRET": "from-the-environment"}
	var out bytes.Buffer
	err := run([]string{"../../../events/timer-started.json"}, func(k string) string { return env[k] }, &out, time.Now())
	if err == nil || !strings.Contains(err.Error(), "401") {
		t.Errorf("a 401: err %v, want it to fail", err)
	}
	if len(got) != 1 || got[0] != "from-the-environment" {
		t.Errorf("the relay on $PORT got %q, want one request signed with the environment's secret", got)
	}
}
