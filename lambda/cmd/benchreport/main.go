package main

import (
	"bufio"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"runtime"
	"strconv"
	"strings"
	"time"
)

// target is one figure the project promises.
type target struct {
	what      string
	bench     string // benchmark name, without the -N suffix
	unit      string // the metric's unit in the benchmark line
	limit     float64
	atMost    bool // the figure must be at most limit (else at least)
	show      string
	limitText string
	scale     float64 // applied before showing; 0 means 1
}

var targets = []target{
	{"first answer after process start, local mode", "BenchmarkLocalColdStart", "ms-to-first-answer", 20, true, "%.1f ms", "≤ 20 ms", 0},
	{"first message delivered after process start, local mode", "BenchmarkLocalColdStart", "ms-to-first-message", 0, true, "%.1f ms", "(no target)", 0},
	{"first answer after emulator start, under the RIE, queued to SQS (kumo)", "BenchmarkRIEColdStartQueued", "ms-to-first-answer", 30, true, "%.1f ms", "≤ 30 ms", 0},
	{"first answer after emulator start, under the RIE, without a queue", "BenchmarkRIEColdStart", "ms-to-first-answer", 0, true, "%.1f ms", "(no target)", 0},
	{"the accept half's work per event (verify, decode, route, enqueue)", "BenchmarkAccept", "ns/op", 100_000, true, "%.1f µs", "≤ 100 µs", 1e-3},
	{"the relay's own work per event, through to Discord (embed)", "BenchmarkRelayOwnWork/embed", "ns/op", 100_000, true, "%.1f µs", "≤ 100 µs", 1e-3},
	{"the relay's own work per event, through to Discord (text)", "BenchmarkRelayOwnWork/text", "ns/op", 100_000, true, "%.1f µs", "≤ 100 µs", 1e-3},
	{"allocations per event, through to Discord (embed)", "BenchmarkRelayOwnWork/embed", "allocs/op", 0, true, "%.0f", "(no target)", 0},
	{"per event with an HTTP round trip to Discord", "BenchmarkRelayOverHTTP", "ns/op", 0, true, "%.1f µs", "(no target)", 1e-3},
	{"a digest's chart, drawn and encoded as PNG (sample day: 4 people, 5 projects)", "BenchmarkRender", "ns/op", 0, true, "%.1f ms", "(no target)", 1e-6},
	{"that chart's PNG", "BenchmarkRender", "png-bytes", 0, true, "%.0f bytes", "(no target)", 0},
	{"memory allocated to draw it", "BenchmarkRender", "B/op", 0, true, "%.1f MB", "(no target)", 1e-6},
	{"reading the embedded font, once per process (the first chart)", "BenchmarkParseFont", "ns/op", 0, true, "%.2f ms", "(no target)", 1e-6},
	{"warm answer latency, local mode (on disk before the answer), p50", "BenchmarkLocalWarm", "p50-µs", 0, true, "%.0f µs", "(no target)", 0},
	{"warm answer latency, local mode, p99", "BenchmarkLocalWarm", "p99-µs", 0, true, "%.0f µs", "(no target)", 0},
	{"throughput, 8 clients, local mode (each event on disk before its answer)", "BenchmarkLocalThroughput", "events/s", 5000, false, "%.0f events/s", "≥ 5,000 events/s", 0},
	{"peak RSS under that load", "BenchmarkLocalThroughput", "MB-peak-RSS", 30, true, "%.1f MB", "≤ 30 MB", 0},
	{"rush: 60 timer starts within 5 s (BOARD=off), all delivered after", "BenchmarkRush60", "s-to-all-delivered", 20, true, "%.1f s", "≤ 20 s", 0},
	{"rush of 60: answer p50", "BenchmarkRush60", "ms-answer-p50", 20, true, "%.1f ms", "≤ 20 ms", 0},
	{"rush of 60: Discord messages", "BenchmarkRush60", "messages", 0, true, "%.0f", "(no target)", 0},
	{"rush of 60: 429s", "BenchmarkRush60", "429s", 0, true, "%.0f", "(no target)", 0},
	{"rush: 300 timer starts within 10 s (BOARD=off), all delivered after", "BenchmarkRush300", "s-to-all-delivered", 40, true, "%.1f s", "≤ 40 s", 0},
	{"rush of 300: answer p50", "BenchmarkRush300", "ms-answer-p50", 20, true, "%.1f ms", "≤ 20 ms", 0},
	{"rush of 300: Discord messages", "BenchmarkRush300", "messages", 0, true, "%.0f", "(no target)", 0},
	{"rush of 300: 429s", "BenchmarkRush300", "429s", 0, true, "%.0f", "(no target)", 0},
	{"rush of 300 with the board posted during it: all delivered after", "BenchmarkRush300Board", "s-to-all-delivered", 0, true, "%.1f s", "(no target)", 0},
	{"rush of 300 with the board: Discord messages (the board's post included)", "BenchmarkRush300Board", "messages", 0, true, "%.0f", "(no target)", 0},
	{"rush of 300 with the board: 429s", "BenchmarkRush300Board", "429s", 0, true, "%.0f", "(no target)", 0},
	{"Discord down 60 s, 20 events: all delivered, in order, after recovery", "BenchmarkOutage60s", "s-after-recovery", 30, true, "%.1f s", "≤ 30 s", 0},
	{"the same with kill -9 and a restart at 12 s: all delivered after recovery", "BenchmarkOutageKilled", "s-after-recovery", 30, true, "%.1f s", "≤ 30 s", 0},
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
func parse(r io.Reader) (map[string]map[string]float64, []string) {
	metrics := map[string]map[string]float64{}
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
		m := map[string]float64{}
		for i := 2; i+1 < len(fields); i += 2 {
			if v, err := strconv.ParseFloat(fields[i], 64); err == nil {
				m[fields[i+1]] = v
			}
		}
		metrics[name] = m
	}
	return metrics, raw
}

func report(w io.Writer, metrics map[string]map[string]float64, raw []string, bootstrap string) error {
	if len(raw) == 0 {
		return fmt.Errorf("no benchmark results on standard input")
	}
	fmt.Fprintf(w, "# Benchmarks\n\nThe latest `make bench`, %s.\n\n", time.Now().UTC().Format("2006-01-02 15:04 MST"))
	fmt.Fprintf(w, "Machine: %s; %d cores; %s; %s/%s.\n\n", cpuModel(), runtime.NumCPU(), goVersion(), runtime.GOOS, runtime.GOARCH)
	fmt.Fprintln(w, "| figure | result | target | met |")
	fmt.Fprintln(w, "|---|---|---|---|")
	for _, t := range targets {
		v, ok := metrics[t.bench][t.unit]
		if !ok {
			fmt.Fprintf(w, "| %s | not measured | %s | |\n", t.what, t.limitText)
			continue
		}
		shown := v
		if t.scale != 0 {
			shown *= t.scale
		}
		fmt.Fprintf(w, "| %s | %s | %s | %s |\n", t.what, fmt.Sprintf(t.show, shown), t.limitText, verdict(t, v))
	}
	if fi, err := os.Stat(bootstrap); err == nil {
		size := float64(fi.Size())
		met := "yes"
		if size > 10<<20 {
			met = "**no**"
		}
		fmt.Fprintf(w, "| bootstrap size (linux/arm64, as `sam build` makes it) | %d bytes (%.2f MiB) | ≤ 10 MiB | %s |\n", fi.Size(), size/(1<<20), met)
	}
	fmt.Fprintf(w, "\nThe speed benchmarks' Discord answers at once, on the same machine; the load generator shares its 2 cores with the relay. The rush and outage benchmarks (`make rush`) run against the Discord stand-in with Discord's limits: 5 requests per 2 s per webhook, 30 messages a minute per channel; each event counts once, and each must arrive exactly once.\n\nRaw `go test -bench` lines:\n\n```\n%s\n```\n", strings.Join(raw, "\n"))
	return nil
}

func verdict(t target, v float64) string {
	if t.limit == 0 {
		return ""
	}
	if (t.atMost && v <= t.limit) || (!t.atMost && v >= t.limit) {
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
