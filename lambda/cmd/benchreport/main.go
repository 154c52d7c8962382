package main

import (
	"bufio"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"time"
)

// target is one figure the project promises, measured beside the floor
// (the least Go relay, or the minimal aws-lambda-go function) and the seed
// (the article's Node relay) where the benchmark runs them too.
type target struct {
	what      string
	bench     string // benchmark name, without the -N suffix
	unit      string // the metric's unit in the benchmark line
	limit     float64
	atMost    bool // the figure must be at most limit (else at least)
	show      string
	limitText string
	scale     float64 // applied before showing; 0 means 1
	// compare, when set, is the sub-benchmark of the relay ("relay"),
	// beside "floor" and "seed"; with floorTimes or seedTimes the limit
	// is that multiple of the floor's or the seed's figure.
	compare    bool
	floorTimes float64
	seedTimes  float64
	// interleaved: one benchmark ran the programs in turn, each figure
	// in its own unit, "relay-" + unit.
	interleaved bool
}

var targets = []target{
	{what: "first answer after process start, local mode (the relay on the store a previous run left)", bench: "BenchmarkLocalColdStart", unit: "ms-to-first-answer", atMost: true, show: "%.1f ms", limitText: "≤ 20 ms", limit: 20, compare: true, interleaved: true},
	{what: "first message at Discord after process start, local mode (the relay on the store a previous run left)", bench: "BenchmarkLocalColdStart", unit: "ms-to-first-message", atMost: true, show: "%.1f ms", limitText: "≤ 2× the floor", compare: true, floorTimes: 2, interleaved: true},
	{what: "the same, the relay's first run (an empty DATA_DIR)", bench: "BenchmarkLocalColdStart", unit: "relay-first-run-ms-to-first-message", atMost: true, show: "%.1f ms", limitText: "(no target)"},
	{what: "first answer after emulator start, under the RIE (the relay queued to SQS in kumo)", bench: "BenchmarkRIEColdStart", unit: "ms-to-first-answer", atMost: true, show: "%.1f ms", limitText: "≤ 1.5× the floor", compare: true, floorTimes: 1.5, interleaved: true},
	{what: "the accept half's work per event (verify, decode, route, enqueue)", bench: "BenchmarkAccept", unit: "ns/op", limit: 100_000, atMost: true, show: "%.1f µs", limitText: "≤ 100 µs", scale: 1e-3},
	{what: "the relay's own work per event, through to Discord (embed)", bench: "BenchmarkRelayOwnWork/embed", unit: "ns/op", limit: 100_000, atMost: true, show: "%.1f µs", limitText: "≤ 100 µs", scale: 1e-3},
	{what: "the relay's own work per event, through to Discord (text)", bench: "BenchmarkRelayOwnWork/text", unit: "ns/op", limit: 100_000, atMost: true, show: "%.1f µs", limitText: "≤ 100 µs", scale: 1e-3},
	{what: "allocations per event, through to Discord (embed)", bench: "BenchmarkRelayOwnWork/embed", unit: "allocs/op", atMost: true, show: "%.0f", limitText: "(no target)"},
	{what: "per event with an HTTP round trip to Discord", bench: "BenchmarkRelayOverHTTP", unit: "ns/op", atMost: true, show: "%.1f µs", limitText: "(no target)", scale: 1e-3},
	{what: "a digest's chart, drawn and encoded as PNG (sample day: 4 people, 5 projects)", bench: "BenchmarkRender", unit: "ns/op", atMost: true, show: "%.1f ms", limitText: "(no target)", scale: 1e-6},
	{what: "that chart's PNG", bench: "BenchmarkRender", unit: "png-bytes", atMost: true, show: "%.0f bytes", limitText: "(no target)"},
	{what: "memory allocated to draw it", bench: "BenchmarkRender", unit: "B/op", atMost: true, show: "%.1f MB", limitText: "(no target)", scale: 1e-6},
	{what: "reading the embedded font, once per process (the first chart)", bench: "BenchmarkParseFont", unit: "ns/op", atMost: true, show: "%.2f ms", limitText: "(no target)", scale: 1e-6},
	{what: "warm answer latency, local mode (on disk before the answer), p50", bench: "BenchmarkLocalWarm", unit: "p50-µs", atMost: true, show: "%.0f µs", limitText: "(no target)"},
	{what: "warm answer latency, local mode, p99", bench: "BenchmarkLocalWarm", unit: "p99-µs", atMost: true, show: "%.0f µs", limitText: "(no target)"},
	{what: "throughput, 8 clients, local mode, default settings (the relay answers once the event is on disk; the floor and the seed once Discord took it)", bench: "BenchmarkLocalThroughput", unit: "events/s", show: "%.0f events/s", limitText: "≥ 2× the seed", compare: true, seedTimes: 2},
	{what: "peak RSS under that load", bench: "BenchmarkLocalThroughput", unit: "MB-peak-RSS", limit: 30, atMost: true, show: "%.1f MB", limitText: "≤ 30 MB", compare: true},
	{what: "rush: 60 timer starts within 5 s (BOARD=off), all delivered after", bench: "BenchmarkRush60", unit: "s-to-all-delivered", limit: 20, atMost: true, show: "%.1f s", limitText: "≤ 20 s"},
	{what: "rush of 60: answer p50", bench: "BenchmarkRush60", unit: "ms-answer-p50", limit: 20, atMost: true, show: "%.1f ms", limitText: "≤ 20 ms"},
	{what: "rush of 60: Discord messages", bench: "BenchmarkRush60", unit: "messages", limit: 8, atMost: true, show: "%.0f", limitText: "≤ 8"},
	{what: "rush of 60: 429s", bench: "BenchmarkRush60", unit: "429s", atMost: true, show: "%.0f", limitText: "(no target)"},
	{what: "rush: 300 timer starts within 10 s (BOARD=off), all delivered after", bench: "BenchmarkRush300", unit: "s-to-all-delivered", limit: 40, atMost: true, show: "%.1f s", limitText: "≤ 40 s"},
	{what: "rush of 300: answer p50", bench: "BenchmarkRush300", unit: "ms-answer-p50", limit: 20, atMost: true, show: "%.1f ms", limitText: "≤ 20 ms"},
	{what: "rush of 300: Discord messages", bench: "BenchmarkRush300", unit: "messages", atMost: true, show: "%.0f", limitText: "(no target)"},
	{what: "rush of 300: 429s", bench: "BenchmarkRush300", unit: "429s", atMost: true, show: "%.0f", limitText: "(no target)"},
	{what: "rush of 300 with the board (the default): all delivered after", bench: "BenchmarkRush300Board", unit: "s-to-all-delivered", limit: 40, atMost: true, show: "%.1f s", limitText: "≤ 40 s"},
	{what: "rush of 300 with the board: Discord messages and edits (the board's included)", bench: "BenchmarkRush300Board", unit: "messages", atMost: true, show: "%.0f", limitText: "(no target)"},
	{what: "rush of 300 with the board: 429s", bench: "BenchmarkRush300Board", unit: "429s", atMost: true, show: "%.0f", limitText: "(no target)"},
	{what: "Discord down 60 s, 20 events: all delivered, in order, after recovery", bench: "BenchmarkOutage60s", unit: "s-after-recovery", limit: 30, atMost: true, show: "%.1f s", limitText: "≤ 30 s"},
	{what: "the same with kill -9 and a restart at 12 s: all delivered after recovery", bench: "BenchmarkOutageKilled", unit: "s-after-recovery", limit: 30, atMost: true, show: "%.1f s", limitText: "≤ 30 s"},
	{what: "Lambda mode (two RIEs, SQS and DynamoDB in kumo): one event to an idle stack, accepted to shown, through SQS (median of 5)", bench: "BenchmarkLambdaIdle", unit: "ms-accepted-to-shown", atMost: true, show: "%.0f ms", limitText: "(no target)"},
	{what: "Lambda mode: 300 timer starts within 10 s, all delivered in order, each once, after (local mode: the rush of 300 above)", bench: "BenchmarkLambdaRush300", unit: "s-to-all-delivered", limit: 20, atMost: true, show: "%.1f s", limitText: "≤ 20 s (issue 31)"},
	{what: "Lambda mode rush of 300: Discord messages (gathered in the outbox, as lists)", bench: "BenchmarkLambdaRush300", unit: "messages", atMost: true, show: "%.0f", limitText: "(no target)"},
	{what: "Lambda mode: Discord down 40 s, 10 events within 2 s: all delivered after recovery", bench: "BenchmarkLambdaOutage40s", unit: "s-after-recovery", limit: 10, atMost: true, show: "%.1f s", limitText: "≤ 10 s"},
}

func main() {
	bootstrap := flag.String("bootstrap", "bin/bootstrap", "the Lambda bootstrap whose size is reported")
	flag.Parse()
	metrics, raw := parse(os.Stdin)
	if err := report(os.Stdout, metrics, raw, *bootstrap); err != nil {
		fmt.Fprintln(os.Stderr, "benchreport:", err)
		os.Exit(1)
	}
}

// parse reads benchmark lines: name, iterations, then value-unit pairs.
// A benchmark run more than once (-count) gives each figure's median.
func parse(r io.Reader) (map[string]map[string]float64, []string) {
	samples := map[string]map[string][]float64{}
	var raw []string
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		line := sc.Text()
		fields := strings.Fields(line)
		if len(fields) < 4 || !strings.HasPrefix(fields[0], "Benchmark") {
			continue
		}
		raw = append(raw, line)
		name := fields[0]
		if i := strings.LastIndexByte(name, '-'); i > 0 {
			name = name[:i] // drop GOMAXPROCS
		}
		if samples[name] == nil {
			samples[name] = map[string][]float64{}
		}
		for i := 2; i+1 < len(fields); i += 2 {
			if v, err := strconv.ParseFloat(fields[i], 64); err == nil {
				samples[name][fields[i+1]] = append(samples[name][fields[i+1]], v)
			}
		}
	}
	metrics := map[string]map[string]float64{}
	for name, units := range samples {
		metrics[name] = map[string]float64{}
		for unit, vs := range units {
			metrics[name][unit] = median(vs)
		}
	}
	return metrics, raw
}

// median is the middle value, or the mean of the two middle ones.
func median(vs []float64) float64 {
	vs = slices.Sorted(slices.Values(vs))
	n := len(vs)
	if n%2 == 1 {
		return vs[n/2]
	}
	return (vs[n/2-1] + vs[n/2]) / 2
}

func report(w io.Writer, metrics map[string]map[string]float64, raw []string, bootstrap string) error {
	if len(raw) == 0 {
		return fmt.Errorf("no benchmark results on standard input")
	}
	fmt.Fprintf(w, "# Benchmarks\n\nThe latest `make bench`, %s.\n\n", time.Now().UTC().Format("2006-01-02 15:04 MST"))
	fmt.Fprintf(w, "Machine: %s; %d cores; %s; %s/%s.\n\n", cpuModel(), runtime.NumCPU(), goVersion(), runtime.GOOS, runtime.GOARCH)
	fmt.Fprintln(w, "| figure | relay | floor | seed | target | met |")
	fmt.Fprintln(w, "|---|---|---|---|---|---|")
	for _, t := range targets {
		lookup := func(which string) (float64, bool) {
			switch {
			case t.interleaved:
				v, ok := metrics[t.bench][which+"-"+t.unit]
				return v, ok
			case t.compare:
				v, ok := metrics[t.bench+"/"+which][t.unit]
				return v, ok
			}
			v, ok := metrics[t.bench][t.unit]
			return v, ok
		}
		shown := func(which string) (string, float64, bool) {
			v, ok := lookup(which)
			if !ok {
				return "–", 0, false
			}
			if t.scale != 0 {
				return fmt.Sprintf(t.show, v*t.scale), v, true
			}
			return fmt.Sprintf(t.show, v), v, true
		}
		relay, v, ok := shown("relay")
		floor, fv, fok := "", 0.0, false
		seed, sv, sok := "", 0.0, false
		if t.compare {
			floor, fv, fok = shown("floor")
			seed, sv, sok = shown("seed")
		}
		if !ok {
			fmt.Fprintf(w, "| %s | not measured | %s | %s | %s | |\n", t.what, floor, seed, t.limitText)
			continue
		}
		limit := t.limit
		switch {
		case t.floorTimes != 0 && fok:
			limit = t.floorTimes * fv
		case t.seedTimes != 0 && sok:
			limit = t.seedTimes * sv
		case t.floorTimes != 0 || t.seedTimes != 0:
			limit = 0 // what it is compared with was not measured
		}
		fmt.Fprintf(w, "| %s | %s | %s | %s | %s | %s |\n", t.what, relay, floor, seed, t.limitText, verdict(limit, t.atMost, v))
	}
	if fi, err := os.Stat(bootstrap); err == nil {
		size := float64(fi.Size())
		met := "yes"
		if size > 15e6 {
			met = "**no**"
		}
		fmt.Fprintf(w, "| bootstrap size (linux/arm64, as `sam build` makes it) | %.1f MB | | | ≤ 15 MB | %s |\n", size/1e6, met)
	}
	fmt.Fprintf(w, "\nA benchmark run more than once shows the median of its runs. The speed benchmarks' Discord answers at once, on the same machine; the load generator shares its 2 cores with the relay. The rush and outage benchmarks (`make rush`) run against the Discord stand-in with Discord's limits: 5 requests per 2 s per webhook, 30 messages a minute per channel; each event counts once, and each must arrive exactly once.\n\nRaw `go test -bench` lines:\n\n```\n%s\n```\n", strings.Join(raw, "\n"))
	return nil
}

func verdict(limit float64, atMost bool, v float64) string {
	if limit == 0 {
		return ""
	}
	if (atMost && v <= limit) || (!atMost && v >= limit) {
		return "yes"
	}
	return "**no**"
}

func cpuModel() string {
	raw, err := os.ReadFile("/proc/cpuinfo")
	if err == nil {
		for _, line := range strings.Split(string(raw), "\n") {
			if k, v, ok := strings.Cut(line, ":"); ok && strings.TrimSpace(k) == "model name" {
				return strings.TrimSpace(v)
			}
		}
	}
	return "unknown CPU"
}

func goVersion() string {
	out, err := exec.Command("go", "version").Output()
	if err != nil {
		return runtime.Version()
	}
	return strings.TrimPrefix(strings.TrimSpace(string(out)), "go version ")
}
