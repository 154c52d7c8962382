package deployment_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"

	"clockify-discord-relay/lambda/processtest"
)

// fastDiscord answers every message at once, as the benchmarks' Discord,
// and tells when each arrives.
type fastDiscord struct {
	*httptest.Server
	arrived chan time.Time
	count   atomic.Int64
}

func newFastDiscord(b *testing.B) *fastDiscord {
	d := &fastDiscord{arrived: make(chan time.Time, 1)}
	d.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		w.WriteHeader(http.StatusNoContent)
		d.count.Add(1)
		select {
		case d.arrived <- time.Now():
		default:
		}
	}))
	b.Cleanup(d.Close)
	return d
}

func (d *fastDiscord) webhookURL() string { return d.URL + "/api/webhooks/1/bench-token" }

// benchRequest is the body and headers of events/timer-started.json, as
// Clockify would post them.
func benchRequest(b *testing.B) ([]byte, map[string]string) {
	var ev events.APIGatewayProxyRequest
	if err := json.Unmarshal(sampleEvents(b)["timer-started"], &ev); err != nil {
		b.Fatal(err)
	}
	return []byte(ev.Body), ev.Headers
}

// startLocal runs the bootstrap in local mode, its output discarded, and
// returns its URL and port. When it returns, the process may still be
// starting.
func startLocal(b *testing.B, bootstrap string, discordURL string) (*exec.Cmd, string, int) {
	port := processtest.FreePort(b)
	cmd := exec.Command(bootstrap)
	cmd.Env = baseEnv(map[string]string{
		"PORT":                     strconv.Itoa(port),
		"DISCORD_WEBHOOK_URL":      discordURL,
		"CLOCKIFY_SIGNING_SECRETS": sampleSignature,
	})
	if err := cmd.Start(); err != nil {
		b.Fatal(err)
	}
	return cmd, "http://127.0.0.1:" + strconv.Itoa(port) + "/clockify", port
}

// startWarmLocal runs the bootstrap in local mode and waits until it listens.
func startWarmLocal(b *testing.B, bootstrap string, discordURL string) (*exec.Cmd, string) {
	cmd, url, port := startLocal(b, bootstrap, discordURL)
	if err := processtest.WaitForPort(port, 10*time.Second); err != nil {
		stopProcess(cmd)
		b.Fatal(err)
	}
	return cmd, url
}

func stopProcess(cmd *exec.Cmd) {
	_ = cmd.Process.Kill()
	_ = cmd.Wait()
}

// peakRSS is the process's high-water resident set (VmHWM), in MB.
func peakRSS(b *testing.B, pid int) float64 {
	raw, err := os.ReadFile(filepath.Join("/proc", strconv.Itoa(pid), "status"))
	if err != nil {
		b.Fatal(err)
	}
	for _, line := range strings.Split(string(raw), "\n") {
		if rest, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			kb, _ := strconv.Atoi(strings.TrimSuffix(strings.TrimSpace(rest), " kB"))
			return float64(kb) / 1024
		}
	}
	b.Fatal("no VmHWM")
	return 0
}

func waitArrival(b *testing.B, d *fastDiscord) time.Time {
	select {
	case t := <-d.arrived:
		return t
	case <-time.After(10 * time.Second):
		b.Fatal("no message reached Discord")
	}
	return time.Time{}
}

// measureColdStarts runs b.N cold starts. launch starts a process and
// returns it with a function that sends the first event once it listens;
// each figure runs from launch to that message reaching Discord.
func measureColdStarts(b *testing.B, d *fastDiscord, launch func() (*exec.Cmd, func())) {
	var total time.Duration
	for i := 0; i < b.N; i++ {
		start := time.Now()
		cmd, sendFirst := launch()
		sendFirst()
		total += waitArrival(b, d).Sub(start)
		b.StopTimer()
		stopProcess(cmd)
		b.StartTimer()
	}
	b.ReportMetric(float64(total.Microseconds())/1000/float64(b.N), "ms-to-first-message")
}

// sendWhenListening posts to url once port accepts connections, and expects
// an answer containing want.
func sendWhenListening(b *testing.B, client *http.Client, port int, url string, body []byte, headers map[string]string, want string) func() {
	return func() {
		if err := processtest.WaitForPort(port, 10*time.Second); err != nil {
			b.Fatal(err)
		}
		status, answer, err := post(context.Background(), client, url, body, headers)
		if err != nil || status != 200 || !strings.Contains(string(answer), want) {
			b.Fatalf("%d %s %v", status, answer, err)
		}
	}
}

// BenchmarkLocalColdStart: from process start to the first message reaching
// Discord, in local mode. Each iteration is a new process.
func BenchmarkLocalColdStart(b *testing.B) {
	bootstrap, _ := binaries(b)
	d := newFastDiscord(b)
	body, headers := benchRequest(b)
	client := &http.Client{Timeout: 10 * time.Second}
	measureColdStarts(b, d, func() (*exec.Cmd, func()) {
		cmd, url, port := startLocal(b, bootstrap, d.webhookURL())
		return cmd, sendWhenListening(b, client, port, url, body, headers, `"delivered"`)
	})
}

// BenchmarkLocalWarm: end-to-end latency of events one after another
// through one warm local-mode process, from the request to the relay's
// answer (which comes after Discord's).
func BenchmarkLocalWarm(b *testing.B) {
	bootstrap, _ := binaries(b)
	d := newFastDiscord(b)
	body, headers := benchRequest(b)
	cmd, url := startWarmLocal(b, bootstrap, d.webhookURL())
	defer stopProcess(cmd)
	client := &http.Client{Timeout: 10 * time.Second}
	latencies := make([]time.Duration, 0, b.N)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		start := time.Now()
		if status, answer, err := post(context.Background(), client, url, body, headers); err != nil || status != 200 {
			b.Fatalf("%d %s %v", status, answer, err)
		}
		latencies = append(latencies, time.Since(start))
	}
	b.StopTimer()
	slices.Sort(latencies)
	b.ReportMetric(float64(latencies[len(latencies)/2].Microseconds()), "p50-µs")
	b.ReportMetric(float64(latencies[len(latencies)*99/100].Microseconds()), "p99-µs")
}

// BenchmarkLocalThroughput: 8 clients at once through one local-mode
// process; events a second, and the process's peak memory.
func BenchmarkLocalThroughput(b *testing.B) {
	bootstrap, _ := binaries(b)
	d := newFastDiscord(b)
	body, headers := benchRequest(b)
	cmd, url := startWarmLocal(b, bootstrap, d.webhookURL())
	defer stopProcess(cmd)
	const clients = 8
	client := &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: clients}}
	var next atomic.Int64
	var failed atomic.Int64
	b.ResetTimer()
	start := time.Now()
	var wg sync.WaitGroup
	for range clients {
		wg.Go(func() {
			for next.Add(1) <= int64(b.N) {
				if status, _, err := post(context.Background(), client, url, body, headers); err != nil || status != 200 {
					failed.Add(1)
				}
			}
		})
	}
	wg.Wait()
	elapsed := time.Since(start)
	b.StopTimer()
	if failed.Load() > 0 {
		b.Fatalf("%d of %d events failed", failed.Load(), b.N)
	}
	if got := d.count.Load(); got != int64(b.N) {
		b.Fatalf("Discord received %d of %d", got, b.N)
	}
	b.ReportMetric(float64(b.N)/elapsed.Seconds(), "events/s")
	b.ReportMetric(peakRSS(b, cmd.Process.Pid), "MB-peak-RSS")
}

// BenchmarkRIEColdStart: the same cold figure under the Runtime Interface
// Emulator: from starting the emulator (which starts the bootstrap) to the
// first message reaching Discord.
func BenchmarkRIEColdStart(b *testing.B) {
	bootstrap, rie := binaries(b)
	d := newFastDiscord(b)
	payload := sampleEvents(b)["timer-started"]
	client := &http.Client{Timeout: 10 * time.Second}
	measureColdStarts(b, d, func() (*exec.Cmd, func()) {
		port, apiPort := processtest.FreePort(b), processtest.FreePort(b)
		cmd := exec.Command(rie, "--runtime-interface-emulator-address", "127.0.0.1:"+strconv.Itoa(port),
			"--runtime-api-address", "127.0.0.1:"+strconv.Itoa(apiPort), "--log-level", "error", bootstrap)
		cmd.Env = baseEnv(map[string]string{
			"AWS_LAMBDA_FUNCTION_TIMEOUT": "10",
			"DISCORD_WEBHOOK_URL":         d.webhookURL(),
			"CLOCKIFY_SIGNING_SECRETS":    sampleSignature,
		})
		if err := cmd.Start(); err != nil {
			b.Fatal(err)
		}
		invocations := "http://127.0.0.1:" + strconv.Itoa(port) + "/2015-03-31/functions/function/invocations"
		return cmd, sendWhenListening(b, client, port, invocations, payload, nil, `"statusCode":200`)
	})
}
