package main

import (
	"bytes"
	"strings"
	"testing"
)

func TestReport(t *testing.T) {
	in := `goos: linux
BenchmarkRelayOwnWork/embed-2    43982   52724 ns/op   69.74 MB/s   16418 B/op   200 allocs/op
BenchmarkLocalThroughput/relay-2       16328  141071 ns/op   18.27 MB-peak-RSS   4000 events/s
BenchmarkLocalThroughput/floor-2       16328  141071 ns/op   12.00 MB-peak-RSS   3000 events/s
BenchmarkLocalThroughput/seed-2       16328  141071 ns/op   60.00 MB-peak-RSS   2500 events/s
BenchmarkLocalColdStart-2       10  141071 ns/op   9.0 relay-ms-to-first-answer   12.0 relay-ms-to-first-message   3.0 floor-ms-to-first-answer   5.0 floor-ms-to-first-message   14.0 relay-first-run-ms-to-first-message
BenchmarkAccept-2    1000   90000 ns/op
BenchmarkAccept-2    1000   70000 ns/op
BenchmarkAccept-2    1000  200000 ns/op
PASS`
	metrics, raw := parse(strings.NewReader(in))
	if len(raw) != 8 || metrics["BenchmarkAccept"]["ns/op"] != 90000 || metrics["BenchmarkRelayOwnWork/embed"]["ns/op"] != 52724 || metrics["BenchmarkLocalThroughput/relay"]["events/s"] != 4000 {
		t.Fatalf("parsed %v", metrics)
	}
	var out bytes.Buffer
	if err := report(&out, metrics, raw, "/nonexistent"); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"| the relay's own work per event, through to Discord (embed) | 52.7 µs |  |  | ≤ 100 µs | yes |",
		"default settings (the relay answers once the event is on disk; the floor and the seed once Discord took it) | 4000 events/s | 3000 events/s | 2500 events/s | ≥ 2× the seed | **no** |",
		"| peak RSS under that load | 18.3 MB | 12.0 MB | 60.0 MB | ≤ 30 MB | yes |",
		"| first message at Discord after process start, local mode (the relay on the store a previous run left) | 12.0 ms | 5.0 ms | – | ≤ 2× the floor | **no** |",
		"| first answer after emulator start, under the RIE (the relay queued to SQS in kumo) | not measured | – | – |",
		"| the same, the relay's first run (an empty DATA_DIR) | 14.0 ms |  |  | (no target) |  |",
		"| the accept half's work per event (verify, decode, route, enqueue) | 90.0 µs |  |  | ≤ 100 µs | yes |",
	} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("report lacks %q:\n%s", want, out.String())
		}
	}
	if err := report(&out, nil, nil, ""); err == nil {
		t.Error("an empty input gave a report")
	}
}
