package clockify_test

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
	"time"

	"clockify-discord-relay/lambda/clockify"
)

// TestTimeEntryRoundTrip decodes each canonical fixture and encodes it
// again: every field the relay models survives, nulls included.
func TestTimeEntryRoundTrip(t *testing.T) {
	for _, name := range []string{"timer-started.json", "timer-stopped.json"} {
		t.Run(name, func(t *testing.T) {
			in, err := os.ReadFile(filepath.Join("testdata", name))
			if err != nil {
				t.Fatal(err)
			}
			entry, err := clockify.DecodeTimeEntry(in)
			if err != nil {
				t.Fatalf("DecodeTimeEntry: %v", err)
			}
			out, err := json.Marshal(entry)
			if err != nil {
				t.Fatal(err)
			}
			assertJSONEqual(t, in, out)
		})
	}
}

func TestDecodeCapturedPayload(t *testing.T) {
	in, err := os.ReadFile(filepath.Join("testdata", "new-time-entry-captured.json"))
	if err != nil {
		t.Fatal(err)
	}
	e, err := clockify.DecodeTimeEntry(in)
	if err != nil {
		t.Fatalf("DecodeTimeEntry: %v", err)
	}
	if got, want := e.TimeInterval.Start, time.Date(2025, 6, 16, 7, 5, 0, 0, time.UTC); !got.Equal(want) {
		t.Errorf("start = %v, want %v", got, want)
	}
	if e.TimeInterval.Duration == nil || time.Duration(*e.TimeInterval.Duration) != 11*time.Hour+48*time.Minute {
		t.Errorf("duration = %v, want PT11H48M", e.TimeInterval.Duration)
	}
	if e.Project == nil || e.Project.Name != "Research" || e.Project.ClientName != "" || e.Project.Color != "#039BE5" {
		t.Errorf("project = %+v", e.Project)
	}
	if e.Task == nil || e.Task.Name != "Reading" {
		t.Errorf("task = %+v", e.Task)
	}
	if e.User == nil || e.User.Name != "Priya" {
		t.Errorf("user = %+v", e.User)
	}
	if len(e.Tags) != 1 || e.Tags[0].Name != "reading" {
		t.Errorf("tags = %+v", e.Tags)
	}
	if e.Type != clockify.EntryRegular || e.CurrentlyRunning {
		t.Errorf("type = %q, running = %v", e.Type, e.CurrentlyRunning)
	}
	if got := e.InferredEventType(); got != clockify.TimerStopped {
		t.Errorf("InferredEventType = %s, want TIMER_STOPPED", got)
	}
}

func assertJSONEqual(t *testing.T, want, got []byte) {
	t.Helper()
	var a, b any
	if err := json.Unmarshal(want, &a); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(got, &b); err != nil {
		t.Fatal(err)
	}
	wa, _ := json.Marshal(a)
	gb, _ := json.Marshal(b)
	if !bytes.Equal(wa, gb) {
		t.Errorf("JSON differs\nwant %s\n got %s", wa, gb)
	}
}
