package main

import (
	"bytes"
	"strings"
	"testing"
)

func TestReport(t *testing.T) {
	in := `goos: linux
BenchmarkRelayOwnWork/embed-2    43982   52724 ns/op   69.74 MB/s   16418 B/op   200 allocs/op
BenchmarkLocalThroughput-2       16328  141071 ns/op   18.27 MB-peak-RSS   4000 events/s
PASS`
	metrics, raw := parse(strings.NewReader(in))
	if len(raw) != 2 || metrics["BenchmarkRelayOwnWork/embed"]["ns/op"] != 52724 || metrics["BenchmarkLocalThroughput"]["events/s"] != 4000 {
		t.Fatalf("parsed %v", metrics)
	}
	var out bytes.Buffer
	if err := report(&out, metrics, raw, "/nonexistent"); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"| the relay's own work per event, through to Discord (embed) | 52.7 µs | ≤ 100 µs | yes |",
		"| throughput, 8 clients, local mode (each event on disk before its answer) | 4000 events/s | ≥ 5,000 events/s | **no** |",
		"| peak RSS under that load | 18.3 MB | ≤ 30 MB | yes |",
		"| first answer after process start, local mode | not measured |",
	} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("report lacks %q:\n%s", want, out.String())
		}
	}
	if err := report(&out, nil, nil, ""); err == nil {
		t.Error("an empty input gave a report")
	}
}
