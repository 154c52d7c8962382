package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"

	"clockify-discord-relay/lambda/clockify"
	"clockify-discord-relay/lambda/discord"
	"clockify-discord-relay/lambda/discord/discordtest"
	"clockify-discord-relay/lambda/internal/testkit/processtest"
	"clockify-discord-relay/lambda/internal/testkit/samples"
	"clockify-discord-relay/lambda/state"
	"clockify-discord-relay/lambda/state/statetest"
	"clockify-discord-relay/lambda/store/localstore"
	"clockify-discord-relay/lambda/store/sqs/sqstest"
	"clockify-discord-relay/lambda/summary"
)

// env is a getenv over a map.
func env(m map[string]string) func(string) string {
	return func(k string) string { return m[k] }
}

// startLocal runs the relay in local mode and waits until it accepts
// connections. It stops with the test.
func startLocal(t *testing.T, vars map[string]string) (base string, stdout, stderr *processtest.Buffer) {
	t.Helper()
	port := processtest.FreePort(t)
	vars["PORT"] = strconv.Itoa(port)
	if vars["DATA_DIR"] == "" {
		vars["DATA_DIR"] = t.TempDir()
	}
	stdout, stderr = &processtest.Buffer{}, &processtest.Buffer{}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- run(ctx, nil, env(vars), stdout, stderr) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("run: %v", err)
		}
	})
	if err := processtest.WaitForPort(port, 5*time.Second); err != nil {
		t.Fatalf("local mode did not start: %v\n%s", err, stderr)
	}
	return fmt.Sprintf("http://127.0.0.1:%d", port), stdout, stderr
}

// sampleRequest reads an event from events/, moved to now, and returns
// its body and headers.
func sampleRequest(t *testing.T, name string) (string, map[string]string) {
	t.Helper()
	ev, err := samples.Moved("../events/"+name, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	return ev.Body, ev.Headers
}

// The longest a test lets run() take: a subcommand's one job, and a
// refusal, which comes before anything starts.
const (
	oneJob  = 20 * time.Second
	refusal = 3 * time.Second
)

// runWithin runs run() with a deadline, so that a run that should have
// ended at once (a bad setting wrongly accepted starts to serve) fails the
// test in seconds instead of hanging until go test's timeout.
func runWithin(t *testing.T, limit time.Duration, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), limit)
	defer cancel()
	err := run(ctx, args, getenv, stdout, stderr)
	if ctx.Err() != nil {
		t.Errorf("run %q was still running after %s", args, limit)
	}
	return err
}

// waitFor polls until cond holds. The limit only stops a test that would
// otherwise hang; how fast things happen is measured by benchmarks.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(2 * time.Minute)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("gave up waiting for %s", what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func post(t *testing.T, url, body string, headers map[string]string) (int, string) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, url, strings.NewReader(body))
	for k, v := range headers {
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

func TestLocalModeDeliversToDiscord(t *testing.T) {
	dc := discordtest.NewServer(t)
	base, _, stderr := startLocal(t, map[string]string{
		"DISCORD_WEBHOOK_URL":      dc.WebhookURL(),
		"CLOCKIFY_SIGNING_SECRETS": "sample-signing-secret",
		"MESSAGE_STYLE":            "text",
	})
	body, headers := sampleRequest(t, "timer-stopped.json")
	status, answer := post(t, base+"/clockify", body, headers)
	if status != 200 || answer != `{"status":"queued","event":"TIMER_STOPPED"}` {
		t.Fatalf("answer = %d %s", status, answer)
	}
	waitFor(t, "the message to reach Discord", func() bool { return len(dc.Received()) > 0 })
	got := dc.Received()
	want := `{"content":"Sato Hanako が ACME - Website Renewal Fix login bug を終了しました (1時間30分30秒). お疲れ様でした.","allowed_mentions":{"parse":[]},"flags":4}`
	if len(got) != 1 || string(got[0].Body) != want {
		t.Fatalf("Discord received %d: %v", len(got), got)
	}

	headers["Clockify-Signature"] = "forged"
	if status, answer := post(t, base+"/clockify", body, headers); status != 401 || answer != `{"error":"missing or invalid Clockify-Signature"}` {
		t.Errorf("forged signature: %d %s", status, answer)
	}
	if status, answer := post(t, base+"/other", body, headers); status != 404 || !strings.Contains(answer, `"error"`) {
		t.Errorf("other path: %d %s", status, answer)
	}
	resp, err := http.Get(base + "/clockify")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 405 || resp.Header.Get("Allow") != "POST" {
		t.Errorf("GET: %d, Allow %q", resp.StatusCode, resp.Header.Get("Allow"))
	}
	if len(dc.Received()) != 1 {
		t.Errorf("rejected requests reached Discord")
	}
	for _, secret := range []string{discordtest.Token, "sample-signing-secret"} {
		if strings.Contains(stderr.String(), secret) {
			t.Errorf("a secret was logged: %s", stderr)
		}
	}
}

func TestLocalModePrintsWithoutDiscord(t *testing.T) {
	base, stdout, stderr := startLocal(t, map[string]string{"MESSAGE_LANGUAGE": "en"})
	body, headers := sampleRequest(t, "timer-started.json")
	status, answer := post(t, base+"/clockify", body, headers)
	if status != 200 {
		t.Fatalf("answer = %d %s", status, answer)
	}
	// The message, then the board: the relay keeps its memory without
	// Discord too.
	waitFor(t, "the message and the board to be printed", func() bool { return strings.Count(stdout.String(), "\n") >= 2 })
	lines := strings.Split(strings.TrimSpace(stdout.String()), "\n")
	var printed, board discord.Message // embeds are the default style
	if len(lines) != 2 || json.Unmarshal([]byte(lines[0]), &printed) != nil || json.Unmarshal([]byte(lines[1]), &board) != nil {
		t.Fatalf("stdout is not two JSON messages: %q", stdout.String())
	}
	if len(printed.Embeds) != 1 || printed.Embeds[0].Title != "Sato Hanako started ACME - Website Renewal." {
		t.Errorf("printed %+v", printed)
	}
	if len(board.Embeds) != 1 || board.Embeds[0].Title != "Working now" || !strings.Contains(board.Embeds[0].Description, "Sato Hanako") {
		t.Errorf("the board printed %+v", board)
	}
	// The stop links to the start's printed message, and the board is
	// edited empty.
	body, headers = sampleRequest(t, "timer-stopped.json")
	if status, answer := post(t, base+"/clockify", body, headers); status != 200 {
		t.Fatalf("the stop: %d %s", status, answer)
	}
	waitFor(t, "the stop and the board's edit", func() bool { return strings.Count(stdout.String(), "\n") >= 4 })
	lines = strings.Split(strings.TrimSpace(stdout.String()), "\n")
	if !strings.Contains(lines[2], "printed-1") || !strings.HasPrefix(lines[3], `{"edit":"printed-2"`) || !strings.Contains(lines[3], "Nobody is working") {
		t.Errorf("after the stop:\n%s\n%s", lines[2], lines[3])
	}
	if !strings.Contains(stderr.String(), "NO CLOCKIFY SIGNING SECRET CONFIGURED") {
		t.Errorf("no loud warning about unsigned requests: %s", stderr)
	}
}

func TestInvokeCommand(t *testing.T) {
	var stdout, stderr bytes.Buffer
	if err := runWithin(t, oneJob, []string{"invoke", "../events/timer-started.json"}, env(map[string]string{}), &stdout, &stderr); err != nil {
		t.Fatalf("run invoke: %v", err)
	}
	lines := strings.Split(strings.TrimSpace(stdout.String()), "\n")
	if len(lines) != 2 {
		t.Fatalf("stdout = %q", stdout.String())
	}
	var printed discord.Message
	if err := json.Unmarshal([]byte(lines[0]), &printed); err != nil || len(printed.Embeds) != 1 ||
		printed.Embeds[0].Title != "Sato Hanako が ACME - Website Renewal を開始しました." {
		t.Errorf("payload line = %s", lines[0])
	}
	var resp events.APIGatewayProxyResponse
	if err := json.Unmarshal([]byte(lines[1]), &resp); err != nil || resp.StatusCode != 200 {
		t.Errorf("response line = %s (%v)", lines[1], err)
	}
}

func TestRunRefusesBadSettings(t *testing.T) {
	for _, vars := range []map[string]string{{"MESSAGE_LANGUAGE": "fr"}, {"PORT": "http"}, {"LINKS": "sometimes"},
		{"DISCORD_WEBHOOK_URL": "http://discord.com/api/webhooks/1/token"}, {"DISCORD_WEBHOOK_URL": "https://discord.com/api/webhooks/…"},
		{"DIGEST": "monthly"}, {"DIGEST_TIME": "6pm"}, {"DIGEST_TIME": "24:00"}, {"TIME_ZONE": "JST"}, {"TIME_ZONE": "Local"},
		{"LONG_TIMER_HOURS": "NaN"}, {"LONG_TIMER_HOURS": "Inf"}, {"LONG_TIMER_HOURS": "1e-9"}, {"LONG_TIMER_HOURS": "0.24"}, {"LONG_TIMER_HOURS": "-1"}, {"LONG_TIMER_HOURS": "168.01"}} {
		err := runWithin(t, refusal, nil, env(vars), io.Discard, io.Discard)
		if err == nil {
			t.Errorf("run accepted %v", vars)
		}
		for name := range vars {
			if err != nil && !strings.Contains(err.Error(), name+":") {
				t.Errorf("the error does not name %s: %v", name, err)
			}
		}
	}
	if err := runWithin(t, refusal, []string{"frobnicate"}, env(nil), io.Discard, io.Discard); err == nil {
		t.Error("run accepted an unknown command")
	}
}

func TestBadRoutesAreRefusedAtStart(t *testing.T) {
	err := runWithin(t, refusal, nil, env(map[string]string{
		"ROUTES": `[{"name":"acme","match":{"client":["ACME"]},"webhook":"https://discord.com/api/webhooks/1/secret"},{"name":"typo","match":{"projct":["x"]},"drop":true}]`,
	}), io.Discard, io.Discard)
	if err == nil || !strings.Contains(err.Error(), `ROUTES: routes: rule 2 ("typo"): unknown field "projct"`) {
		t.Errorf("err = %v", err)
	}
	if err != nil && strings.Contains(err.Error(), "secret") {
		t.Errorf("the error leaks a webhook URL: %v", err)
	}
}

// TestInvokeSQSSample: the delivery function's sample, as sam local
// invoke DeliveryFunction runs it, delivers both jobs in one message.
func TestInvokeSQSSample(t *testing.T) {
	dc := discordtest.NewServer(t)
	q := sqstest.NewEmulator(t)
	var stdout, stderr bytes.Buffer
	vars := map[string]string{
		"DISCORD_WEBHOOK_URL":   dc.WebhookURL(),
		"DELIVERY_QUEUE_URL":    q.QueueURL,
		"DEAD_LETTER_QUEUE_URL": q.DeadLetterURL,
		"AWS_ENDPOINT_URL_SQS":  q.URL,
		"AWS_REGION":            "ap-northeast-1",
		"AWS_ACCESS_KEY_ID":     "AKIDTEST",
		"AWS_SECRET_ACCESS_KEY": "test",
	}
	if err := runWithin(t, oneJob, []string{"invoke", "../events/sqs-deliveries.json"}, env(vars), &stdout, &stderr); err != nil {
		t.Fatalf("run invoke: %v\n%s", err, stderr.String())
	}
	if got := strings.TrimSpace(stdout.String()); got != `{"batchItemFailures":[]}` {
		t.Errorf("answer %s", got)
	}
	got := dc.Received()
	if len(got) != 1 || len(got[0].Message.Embeds) != 2 || !strings.Contains(got[0].Message.Embeds[1].Title, "終了") {
		t.Fatalf("Discord received %d messages: %v", len(got), got)
	}
}

// TestRemindCommand: bootstrap remind checks DATA_DIR once; a forgotten
// timer gets one reminder however often it runs.
func TestRemindCommand(t *testing.T) {
	dc := discordtest.NewServer(t)
	dir := t.TempDir()
	store, err := localstore.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	start := statetest.Timer(clockify.NewTimerStarted, "e1", "Ada", time.Now().Add(-11*time.Hour))
	if _, err := store.State.Apply(context.Background(), state.ChannelKey(discordtest.ChannelID), "", start, time.Now()); err != nil {
		t.Fatal(err)
	}
	store.Close()
	vars := map[string]string{"DATA_DIR": dir, "DISCORD_WEBHOOK_URL": dc.WebhookURL(), "MESSAGE_LANGUAGE": "en"}
	for _, want := range []string{"1 reminders sent", "0 reminders sent"} {
		var stdout bytes.Buffer
		if err := runWithin(t, oneJob, []string{"remind"}, env(vars), &stdout, io.Discard); err != nil || strings.TrimSpace(stdout.String()) != want {
			t.Errorf("remind: %q, %v; want %q", stdout.String(), err, want)
		}
	}
	if got := dc.Received(); len(got) != 1 || !strings.Contains(got[0].Message.Content, "Ada's timer has been running for 11h") {
		t.Errorf("Discord received %+v", got)
	}
	vars["LONG_TIMER_HOURS"] = "0"
	if err := runWithin(t, oneJob, []string{"remind"}, env(vars), io.Discard, io.Discard); err == nil || !strings.Contains(err.Error(), "off") {
		t.Errorf("with reminders off: %v", err)
	}
}

// TestHelpAndBadArguments: -h, --help and help print the usage and the
// environment, on the bootstrap and on each subcommand; unknown flags
// and arguments are errors that say where the help is.
func TestHelpAndBadArguments(t *testing.T) {
	bad := map[string]string{"MESSAGE_LANGUAGE": "fr"} // help needs no settings
	for _, args := range [][]string{{"-h"}, {"--help"}, {"help"}} {
		var out bytes.Buffer
		if err := runWithin(t, oneJob, args, env(bad), &out, io.Discard); err != nil || !strings.Contains(out.String(), "usage: bootstrap") ||
			!strings.Contains(out.String(), "digest") || !strings.Contains(out.String(), "DATA_DIR") {
			t.Errorf("%v: %v\n%s", args, err, out.String())
		}
	}
	for _, c := range commands.Commands {
		var out bytes.Buffer
		if err := runWithin(t, oneJob, []string{c.Name, "-h"}, env(bad), &out, io.Discard); err != nil ||
			!strings.HasPrefix(out.String(), "usage: bootstrap "+c.Name) || !strings.Contains(out.String(), "Environment: ") {
			t.Errorf("%s -h: %v\n%s", c.Name, err, out.String())
		}
	}
	for _, args := range [][]string{{"-x"}, {"invoke", "-x"}, {"remind", "now"}, {"digest", "-bogus"}, {"dlq", "purge"}, {"commands", "-bogus"}} {
		err := runWithin(t, oneJob, args, env(map[string]string{"DATA_DIR": t.TempDir()}), io.Discard, io.Discard)
		if err == nil || !strings.Contains(err.Error(), "-h") {
			t.Errorf("%v: %v", args, err)
		}
		if c, ok := commands.Lookup(args[0]); ok && !strings.Contains(fmt.Sprint(err), "usage: "+commands.Line(c)) {
			t.Errorf("%v: %v, without the table's usage", args, err)
		}
	}
}

// TestBusyPortNamesPORT: a second relay on the same port says to set PORT.
func TestBusyPortNamesPORT(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	port := strconv.Itoa(ln.Addr().(*net.TCPAddr).Port)
	err = runWithin(t, oneJob, nil, env(map[string]string{"PORT": port, "DATA_DIR": t.TempDir()}), io.Discard, io.Discard)
	if err == nil || !strings.Contains(err.Error(), "set PORT") {
		t.Errorf("busy port: %v", err)
	}
}

// TestLocalDigestAndReminderWithoutAWebhook: with no webhook, remind and
// digest print what they would post; digest without -date takes the last
// day with time tracked, and -png writes its chart.
func TestLocalDigestAndReminderWithoutAWebhook(t *testing.T) {
	dir := t.TempDir()
	store, err := localstore.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	threeDaysAgo := time.Now().Add(-72 * time.Hour)
	ev := statetest.Finished(clockify.TimerStopped, "e0", "Ada", "Website", threeDaysAgo.Add(-2*time.Hour), threeDaysAgo)
	printed := state.ChannelKey(discord.PrintedChannel) // the channel that stdout stands for
	if err := store.State.Book(ctx, printed, "", ev, time.Now()); err != nil {
		t.Fatal(err)
	}
	if _, err := store.State.Apply(ctx, printed, "", statetest.Timer(clockify.NewTimerStarted, "e1", "Bob", time.Now().Add(-11*time.Hour)), time.Now()); err != nil {
		t.Fatal(err)
	}
	store.Close()
	vars := map[string]string{"DATA_DIR": dir, "MESSAGE_LANGUAGE": "en", "TIME_ZONE": "UTC"}
	var out bytes.Buffer
	if err := runWithin(t, oneJob, []string{"remind"}, env(vars), &out, io.Discard); err != nil || !strings.Contains(out.String(), "Bob's timer has been running for 11h") ||
		!strings.Contains(out.String(), "1 reminders sent") {
		t.Errorf("remind: %v\n%s", err, out.String())
	}
	out.Reset()
	// Bob's running timer is time today: stop it where it started.
	if store, err = localstore.Open(dir); err != nil {
		t.Fatal(err)
	}
	stop := statetest.Timer(clockify.TimerStopped, "e1", "Bob", time.Now().Add(-11*time.Hour))
	if _, err := store.State.Apply(ctx, printed, "", stop, time.Now()); err != nil {
		t.Fatal(err)
	}
	store.Close()
	png := filepath.Join(t.TempDir(), "chart.png")
	day := summary.DayOf(threeDaysAgo.Add(-time.Nanosecond).UTC()).Name()
	// A preview: printed, and claimed nowhere, so a second one prints too.
	for range 2 {
		out.Reset()
		if err := runWithin(t, oneJob, []string{"digest", "-png", png}, env(vars), &out, io.Discard); err != nil || !strings.Contains(out.String(), day+": 1 printed, a preview") ||
			!strings.Contains(out.String(), "Ada") {
			t.Errorf("digest: %v\n%s", err, out.String())
		}
	}
	if raw, err := os.ReadFile(png); err != nil || !bytes.HasPrefix(raw, []byte("\x89PNG")) {
		t.Errorf("the chart file: %v", err)
	}
}

// TestLocalModeSaysWhatIsOnAndWhenItStops: the start line names where
// messages go (the webhook redacted) and what is on; a stop is logged.
func TestLocalModeSaysWhatIsOnAndWhenItStops(t *testing.T) {
	port := processtest.FreePort(t)
	vars := map[string]string{"PORT": strconv.Itoa(port), "DATA_DIR": t.TempDir(), "BOARD": "off", "DIGEST": "weekly",
		"DISCORD_WEBHOOK_URL": "https://discord.com/api/webhooks/123456789012345678/secret-token-that-must-not-show"}
	stderr := &processtest.Buffer{}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- run(ctx, nil, env(vars), io.Discard, stderr) }()
	waitFor(t, "the start line", func() bool { return strings.Contains(stderr.String(), `"listening"`) })
	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	logs := stderr.String()
	for _, want := range []string{`"postsTo":"https://discord.com/api/webhooks/123456789012345678/REDACTED"`, `"board":"off"`, `"digest":"weekly at 18:00 Asia/Tokyo"`,
		`"interactions":"off"`, `"reminders":"after 10h0m0s"`, `"message":"stopping: asked to`, `"message":"stopped","queued":0`} {
		if !strings.Contains(logs, want) {
			t.Errorf("the log lacks %s:\n%s", want, logs)
		}
	}
	if strings.Contains(logs, "secret-token") {
		t.Error("the log shows the webhook's token")
	}
}

// TestCommandsBesideARunningRelay: make run holds DATA_DIR; digest, dlq
// and remind run beside it by asking it, and print what it did.
func TestCommandsBesideARunningRelay(t *testing.T) {
	vars := map[string]string{"MESSAGE_LANGUAGE": "en", "TIME_ZONE": "UTC"}
	base, stdout, _ := startLocal(t, vars)
	body, headers := sampleRequest(t, "timer-stopped.json") // an entry finished just now
	if status, answer := post(t, base+"/clockify", body, headers); status != 200 {
		t.Fatalf("timer stopped: %d %s", status, answer)
	}
	waitFor(t, "the stop to be printed", func() bool { return strings.Contains(stdout.String(), "Sato Hanako") })
	var out bytes.Buffer
	if err := runWithin(t, oneJob, []string{"digest"}, env(vars), &out, io.Discard); err != nil || !strings.Contains(out.String(), "1 printed, a preview") {
		t.Errorf("digest beside make run: %v\n%s", err, out.String())
	}
	waitFor(t, "the running relay to print the digest", func() bool { return strings.Contains(stdout.String(), "Daily digest") })
	out.Reset()
	if err := runWithin(t, oneJob, []string{"dlq", "list"}, env(vars), &out, io.Discard); err != nil || !strings.Contains(out.String(), "0 dead letters") {
		t.Errorf("dlq list beside make run: %v\n%s", err, out.String())
	}
	out.Reset()
	// Without the relay's PORT: DATA_DIR names it.
	other := maps.Clone(vars)
	delete(other, "PORT")
	if err := runWithin(t, oneJob, []string{"remind"}, env(other), &out, io.Discard); err != nil || !strings.Contains(out.String(), "0 reminders") {
		t.Errorf("remind beside make run: %v\n%s", err, out.String())
	}
	// Only the table's commands that run beside it: their names, from
	// the table, in the refusal.
	for _, args := range []string{`{"args":["invoke","x"]}`, `{"args":[]}`, `nonsense`} {
		req, _ := http.NewRequest("POST", base+"/local/command", strings.NewReader(args))
		req.Header.Set("Content-Type", "application/json")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		answer, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 400 || !strings.Contains(string(answer), `[\"dlq\"|\"remind\"|\"digest\", …]`) {
			t.Errorf("%s: %d %s", args, resp.StatusCode, answer)
		}
	}
}
