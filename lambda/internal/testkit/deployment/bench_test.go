package deployment_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"

	"clockify-discord-relay/lambda/discord"
	"clockify-discord-relay/lambda/internal/testkit/processtest"
	"clockify-discord-relay/lambda/message"
	"clockify-discord-relay/lambda/store/localstore"
	"clockify-discord-relay/lambda/store/sqs/sqstest"
)

// fastDiscord answers every message at once, as the benchmarks' Discord,
// with no rate limit, and tells when each arrives. count is the events
// the messages carried (an embed, a line of a list, or a text message
// each); the board is neither counted nor told. It keeps Discord's contract for ?wait=true (the relay asks for
// the message's id, to link a stop to its start): the message, with an
// id; else 204.
type fastDiscord struct {
	*httptest.Server
	arrived chan time.Time
	count   atomic.Int64
	ids     atomic.Int64 // message ids given
}

func newFastDiscord(b *testing.B) *fastDiscord {
	d := &fastDiscord{arrived: make(chan time.Time, 1)}
	d.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodGet { // the webhook: where it posts
			w.Header().Set("Content-Type", "application/json")
			_, _ = w.Write([]byte(`{"id":"1","guild_id":"1","channel_id":"1"}`))
			return
		}
		var msg discord.Message
		_ = json.NewDecoder(r.Body).Decode(&msg)
		events := 0 // an embed each, a line each of a list, or one text message
		board := false
		for _, e := range msg.Embeds {
			switch {
			case e.Title == boardTitle:
				board = true
			case isList(e):
				events += strings.Count(e.Description, "\n") + 1
			default:
				events++
			}
		}
		if !board {
			d.count.Add(int64(max(events, 1)))
		}
		if r.URL.Query().Get("wait") == "true" || r.Method == http.MethodPatch {
			id := strconv.FormatInt(1300000000000000000+d.ids.Add(1), 10)
			if r.Method == http.MethodPatch {
				id = path.Base(r.URL.Path) // an edit keeps its message's id
			}
			w.Header().Set("Content-Type", "application/json")
			_, _ = w.Write([]byte(`{"id":"` + id + `","channel_id":"1"}`))
		} else {
			w.WriteHeader(http.StatusNoContent)
		}
		if board {
			return
		}
		select {
		case d.arrived <- time.Now():
		default:
		}
	}))
	b.Cleanup(d.Close)
	return d
}

// boardTitle tells the board (in the default language) from events.
var boardTitle = func() string {
	ja, _ := message.LanguageFor("ja")
	return ja.Board.Title
}()

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

// distinctRequests are n start events, each for an entry of its own: the
// relay posts the same event only once.
func distinctRequests(b *testing.B, n int) ([][]byte, map[string]string) {
	bodies := make([][]byte, n)
	var headers map[string]string
	for i := range bodies {
		bodies[i], headers = startedRequest(b, i)
	}
	return bodies, headers
}

// startLocal runs the bootstrap in local mode, its output discarded, and
// returns its URL and port. When it returns, the process may still be
// starting.
func startLocal(b *testing.B, bootstrap string, discordURL string, extra ...string) (*exec.Cmd, string, int) {
	port := processtest.FreePort(b)
	cmd := exec.Command(bootstrap)
	cmd.Env = baseEnv(map[string]string{
		"PORT":                     strconv.Itoa(port),
		"DATA_DIR":                 b.TempDir(),
		"DISCORD_WEBHOOK_URL":      discordURL,
		"CLOCKIFY_SIGNING_SECRETS": sampleSignature,
	})
	for i := 0; i+1 < len(extra); i += 2 {
		cmd.Env = append(cmd.Env, extra[i]+"="+extra[i+1])
	}
	if err := cmd.Start(); err != nil {
		b.Fatal(err)
	}
	return cmd, "http://127.0.0.1:" + strconv.Itoa(port) + "/clockify", port
}

// startWarmLocal runs the bootstrap in local mode and waits until it listens.
func startWarmLocal(b *testing.B, bootstrap string, discordURL string, extra ...string) (*exec.Cmd, string) {
	cmd, url, port := startLocal(b, bootstrap, discordURL, extra...)
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

// coldStart is a program a cold-start benchmark starts: setup, when set,
// prepares each start, untimed, and says its extra environment; launch
// starts the process and returns it with a function that sends the first
// event once it listens.
type coldStart struct {
	name   string
	setup  func() []string
	launch func(extra []string) (*exec.Cmd, func())
}

// measureColdStarts runs b.N rounds, each starting every program in turn,
// so that a slow spell of the shared machine falls on all of them alike.
// It reports each program's median, as "<name>-ms-to-first-answer" and,
// when d is set, "<name>-ms-to-first-message" (its event at Discord).
func measureColdStarts(b *testing.B, d *fastDiscord, programs []coldStart) {
	answers, messages := map[string][]time.Duration{}, map[string][]time.Duration{}
	for i := 0; i < b.N; i++ {
		for _, p := range programs {
			b.StopTimer()
			var extra []string
			if p.setup != nil {
				extra = p.setup()
			}
			b.StartTimer()
			start := time.Now()
			cmd, sendFirst := p.launch(extra)
			sendFirst()
			answers[p.name] = append(answers[p.name], time.Since(start))
			if d != nil {
				messages[p.name] = append(messages[p.name], waitArrival(b, d).Sub(start))
			}
			b.StopTimer()
			stopProcess(cmd)
			b.StartTimer()
		}
	}
	for _, p := range programs {
		b.ReportMetric(medianMs(answers[p.name]), p.name+"-ms-to-first-answer")
		if d != nil {
			b.ReportMetric(medianMs(messages[p.name]), p.name+"-ms-to-first-message")
		}
	}
}

func medianMs(ds []time.Duration) float64 {
	return float64(percentile(ds, 50).Microseconds()) / 1000
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

// compared are the programs each local benchmark measures in one run:
// the relay, the floor and the seed (floor_test.go).
var compared = []string{"relay", "floor", "seed"}

// BenchmarkLocalColdStart: from process start to the first answer, and to
// its message reaching Discord, in local mode, for the relay, the floor
// and the seed in turn. The relay starts as it does every time but the
// first: on the store a previous run left in DATA_DIR (a copy, so that
// each start sees the same file); relay-first-run starts on an empty
// DATA_DIR, as once per install.
func BenchmarkLocalColdStart(b *testing.B) {
	d := newFastDiscord(b)
	body, headers := benchRequest(b)
	client := &http.Client{Timeout: 10 * time.Second}
	var programs []coldStart
	for _, which := range append(compared, "relay-first-run") {
		program := strings.TrimSuffix(which, "-first-run")
		if !prepared(b, program) {
			continue
		}
		p := coldStart{name: which, launch: func(extra []string) (*exec.Cmd, func()) {
			cmd, url, port := startRelay(b, program, d.webhookURL(), extra...)
			return cmd, sendWhenListening(b, client, port, url, body, headers, "")
		}}
		if which == "relay" {
			store := leftStore(b)
			p.setup = func() []string {
				dir := b.TempDir()
				writeSynced(b, filepath.Join(dir, localstore.FileName), store)
				return []string{"DATA_DIR", dir}
			}
		}
		programs = append(programs, p)
	}
	b.ResetTimer() // the builds are not the start
	measureColdStarts(b, d, programs)
}

// writeSynced writes a file and syncs it, as a file left long ago is on
// disk: the relay's first sync must not flush it.
func writeSynced(b *testing.B, name string, data []byte) {
	f, err := os.OpenFile(name, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, 0o600)
	if err == nil {
		_, err = f.Write(data)
	}
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		b.Fatal(err)
	}
}

// leftStore is the store file a relay process leaves in DATA_DIR when it
// stops.
func leftStore(b *testing.B) []byte {
	bootstrap, _ := binaries(b)
	dir := b.TempDir()
	cmd, _ := startWarmLocal(b, bootstrap, "http://127.0.0.1:1/api/webhooks/1/unused", "DATA_DIR", dir)
	_ = cmd.Process.Signal(syscall.SIGTERM)
	if err := cmd.Wait(); err != nil {
		b.Fatalf("the relay did not stop cleanly: %v", err)
	}
	raw, err := os.ReadFile(filepath.Join(dir, localstore.FileName))
	if err != nil {
		b.Fatal(err)
	}
	return raw
}

// BenchmarkLocalWarm: latency of events one after another through one warm
// local-mode process, from the request to the relay's answer, which comes
// once the event is on disk.
func BenchmarkLocalWarm(b *testing.B) {
	bootstrap, _ := binaries(b)
	d := newFastDiscord(b)
	bodies, headers := distinctRequests(b, b.N)
	cmd, url := startWarmLocal(b, bootstrap, d.webhookURL())
	defer stopProcess(cmd)
	client := &http.Client{Timeout: 10 * time.Second}
	latencies := make([]time.Duration, 0, b.N)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		start := time.Now()
		if status, answer, err := post(context.Background(), client, url, bodies[i], headers); err != nil || status != 200 || !strings.Contains(string(answer), "queued") {
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
// process, with its default settings; events accepted a second, and the
// process's peak memory. Every event must then reach Discord. The relay
// answers once the event is on disk, the floor and the seed once Discord
// has taken it.
func BenchmarkLocalThroughput(b *testing.B) {
	for _, which := range compared {
		b.Run(which, func(b *testing.B) { benchmarkThroughput(b, which) })
	}
}

func benchmarkThroughput(b *testing.B, which string) {
	d := newFastDiscord(b)
	bodies, headers := distinctRequests(b, b.N)
	cmd, url, port := startRelay(b, which, d.webhookURL())
	defer stopProcess(cmd)
	if err := processtest.WaitForPort(port, 10*time.Second); err != nil {
		b.Fatal(err)
	}
	const clients = 8
	client := &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: clients}}
	var next atomic.Int64
	var failed atomic.Int64
	b.ResetTimer()
	start := time.Now()
	var wg sync.WaitGroup
	for range clients {
		wg.Go(func() {
			for i := next.Add(1); i <= int64(b.N); i = next.Add(1) {
				if status, _, err := post(context.Background(), client, url, bodies[i-1], headers); err != nil || status != 200 {
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
	for deadline := time.Now().Add(time.Minute); d.count.Load() < int64(b.N); time.Sleep(10 * time.Millisecond) {
		if time.Now().After(deadline) {
			b.Fatalf("Discord received %d of %d", d.count.Load(), b.N)
		}
	}
	b.ReportMetric(float64(b.N)/elapsed.Seconds(), "events/s")
	b.ReportMetric(peakRSS(b, cmd.Process.Pid), "MB-peak-RSS")
}

// BenchmarkRIEColdStart: the API function as deployed, under the
// emulator with SQS in kumo, beside the floor, the minimal aws-lambda-go
// function (testdata/floor): from starting the emulator (which starts the
// function) to the first answer, which comes once the job is on the
// queue.
func BenchmarkRIEColdStart(b *testing.B) {
	_, rie := binaries(b)
	q := sqstest.NewEmulator(b)
	payload := sampleEvents(b)["timer-started"]
	client := &http.Client{Timeout: 10 * time.Second}
	var programs []coldStart
	for _, which := range []string{"relay", "floor"} {
		prepared(b, which)
		function, want := floorBinary(b), `"statusCode":200`
		if which == "relay" {
			function, _ = binaries(b)
			want = "queued"
		}
		programs = append(programs, coldStart{name: which, launch: func([]string) (*exec.Cmd, func()) {
			vars := queueEnv(q)
			vars["AWS_REGION"], vars["AWS_ACCESS_KEY_ID"], vars["AWS_SECRET_ACCESS_KEY"] = "ap-northeast-1", "AKIDTEST", "test-secret-key"
			vars["DISCORD_WEBHOOK_URL"] = "https://discord.com/api/webhooks/1/bench-token"
			cmd, port, invocations := launchRIE(b, function, rie, vars)
			return cmd, sendWhenListening(b, client, port, invocations, payload, nil, want)
		}})
	}
	b.ResetTimer()
	measureColdStarts(b, nil, programs)
}

// launchRIE starts the bootstrap under the emulator with vars, and returns
// the port it will listen on and its invocation URL.
func launchRIE(b *testing.B, bootstrap, rie string, vars map[string]string) (*exec.Cmd, int, string) {
	ports := processtest.FreePorts(b, 2)
	port, apiPort := ports[0], ports[1]
	cmd := exec.Command(rie, "--runtime-interface-emulator-address", "127.0.0.1:"+strconv.Itoa(port),
		"--runtime-api-address", "127.0.0.1:"+strconv.Itoa(apiPort), "--log-level", "error", bootstrap)
	vars["AWS_LAMBDA_FUNCTION_TIMEOUT"] = "10"
	vars["CLOCKIFY_SIGNING_SECRETS"] = sampleSignature
	cmd.Env = baseEnv(vars)
	if err := cmd.Start(); err != nil {
		b.Fatal(err)
	}
	return cmd, port, "http://127.0.0.1:" + strconv.Itoa(port) + "/2015-03-31/functions/function/invocations"
}
