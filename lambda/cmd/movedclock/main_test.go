package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestOverlay: the overlay replaces time.go, where Now becomes
// unmovedNow, and adds the moved Now beside it.
func TestOverlay(t *testing.T) {
	dir := t.TempDir()
	if err := run(dir); err != nil {
		t.Fatal(err)
	}
	raw, err := os.ReadFile(filepath.Join(dir, "overlay.json"))
	if err != nil {
		t.Fatal(err)
	}
	var o struct{ Replace map[string]string }
	if err := json.Unmarshal(raw, &o); err != nil || len(o.Replace) != 2 {
		t.Fatalf("overlay %s: %v", raw, err)
	}
	for from, to := range o.Replace {
		text, err := os.ReadFile(to)
		if err != nil {
			t.Fatal(err)
		}
		switch filepath.Base(from) {
		case "time.go":
			if strings.Contains(string(text), nowHead) || !strings.Contains(string(text), "func unmovedNow() Time {") {
				t.Errorf("time.go keeps its Now")
			}
		case "time_moved.go":
			if !strings.Contains(string(text), nowHead) || !strings.Contains(string(text), `"RELAY_TEST_CLOCK"`) {
				t.Errorf("time_moved.go has no moved Now")
			}
		default:
			t.Errorf("the overlay replaces %s", from)
		}
	}
}
