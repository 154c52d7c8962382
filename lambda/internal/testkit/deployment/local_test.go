package deployment_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"

	"clockify-discord-relay/lambda/discord/discordtest"
	"clockify-discord-relay/lambda/internal/testkit/processtest"
)

// localRelay is the bootstrap in local mode, as make run starts it.
type localRelay struct {
	*process
	port int
	env  []string
	url  string
}

func startLocalRelay(t testing.TB, dc *discordtest.Server, dataDir string, extra ...string) *localRelay {
	t.Helper()
	port := processtest.FreePort(t)
	vars := map[string]string{
		"PORT":                     strconv.Itoa(port),
		"DATA_DIR":                 dataDir,
		"DISCORD_WEBHOOK_URL":      dc.WebhookURL(),
		"CLOCKIFY_SIGNING_SECRETS": sampleSignature,
	}
	for i := 0; i+1 < len(extra); i += 2 {
		vars[extra[i]] = extra[i+1]
	}
	env := baseEnv(vars)
	r := &localRelay{port: port, env: env, url: "http://127.0.0.1:" + strconv.Itoa(port) + "/clockify"}
	r.start(t)
	return r
}

func (r *localRelay) start(t testing.TB) {
	t.Helper()
	bootstrap, _ := binaries(t)
	r.process = start(t, r.port, r.env, bootstrap)
}

// kill9 kills the relay as kill -9 would: no shutdown, no flush.
func (r *localRelay) kill9(t testing.TB) {
	t.Helper()
	if err := r.cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	_ = r.cmd.Wait()
}

// startedRequest is the sample start event for entry i: its body and
// headers, as Clockify posts them.
func startedRequest(t testing.TB, i int) ([]byte, map[string]string) {
	t.Helper()
	var ev events.APIGatewayProxyRequest
	if err := json.Unmarshal(timerStarted(t, i), &ev); err != nil {
		t.Fatal(err)
	}
	return []byte(ev.Body), ev.Headers
}

// send posts entry i and returns the answer's status and how long it took.
func (r *localRelay) send(t testing.TB, client *http.Client, i int) (string, time.Duration) {
	body, headers := startedRequest(t, i)
	start := time.Now()
	status, answer, err := post(context.Background(), client, r.url, body, headers)
	took := time.Since(start)
	if err != nil || status != http.StatusOK {
		return fmt.Sprintf("%d %s %v", status, answer, err), took
	}
	var a struct{ Status string }
	_ = json.Unmarshal(answer, &a)
	return a.Status, took
}

// waitDelivered waits until Discord shows n events, and returns when.
func waitDelivered(t testing.TB, dc *discordtest.Server, n int) time.Time {
	t.Helper()
	deadline := time.Now().Add(3 * time.Minute) // stops a hung test; speed is measured by make rush
	for len(deliveredEntries(dc)) < n {
		if time.Now().After(deadline) {
			t.Fatalf("Discord shows %d of %d events", len(deliveredEntries(dc)), n)
		}
		time.Sleep(5 * time.Millisecond)
	}
	return time.Now()
}

// checkOnce asserts that Discord shows entries 0..n-1, each once.
func checkOnce(t testing.TB, dc *discordtest.Server, n int) {
	t.Helper()
	got := slices.Sorted(slices.Values(deliveredEntries(dc)))
	if len(got) != n {
		t.Fatalf("Discord shows %d events, want %d", len(got), n)
	}
	for i, id := range got {
		if want := fmt.Sprintf("%04d", i); id != want {
			t.Fatalf("missing or twice: %s at %d", id, i)
		}
	}
}

func TestLocalModeRush(t *testing.T) {
	dc := discordtest.NewServer(t)
	r := startLocalRelay(t, dc, t.TempDir())
	const n = 60
	client := &http.Client{Timeout: 10 * time.Second}
	var wg sync.WaitGroup
	answers := make([]string, n)
	for i := range n {
		wg.Go(func() { answers[i], _ = r.send(t, client, i) })
	}
	wg.Wait()
	for i, a := range answers {
		if a != "queued" {
			t.Fatalf("event %d: %s", i, a)
		}
	}
	waitDelivered(t, dc, n)
	checkOnce(t, dc, n)
	if m := len(dc.Received()); m > 12 {
		t.Errorf("%d Discord messages for %d events", m, n)
	}
	if k := dc.RateLimited(); k > 3 {
		t.Errorf("%d 429s", k)
	}
	if !strings.Contains(r.output.String(), `"message":"discord message"`) {
		t.Errorf("no log line per Discord message:\n%s", r.output)
	}
}

// TestLocalModeKilledDuringAnOutage: every event the relay acknowledged
// reaches Discord, in order, after a kill -9 and a restart.
func TestLocalModeKilledDuringAnOutage(t *testing.T) {
	dc := discordtest.NewServer(t)
	dir := t.TempDir()
	r := startLocalRelay(t, dc, dir)
	dc.SetDown(true)
	client := &http.Client{Timeout: 10 * time.Second}
	const n = 10
	for i := range n {
		if a, _ := r.send(t, client, i); a != "queued" {
			t.Fatalf("event %d: %s", i, a)
		}
	}
	// Killed once a failed send is settled: one killed while its request
	// is in flight is reported "outcome unknown" instead (the
	// simulation covers that window).
	for deadline := time.Now().Add(time.Minute); !strings.Contains(r.output.String(), `"outcome":"retry"`); time.Sleep(5 * time.Millisecond) {
		if time.Now().After(deadline) { // stops a hung test
			t.Fatalf("the worker never tried Discord\n%s", r.output)
		}
	}
	r.kill9(t)
	r.start(t)
	dc.SetDown(false)
	waitDelivered(t, dc, n)
	checkInOrderOnce(t, deliveredEntries(dc), n)
}
