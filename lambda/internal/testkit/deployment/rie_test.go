package deployment_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-sdk-go-v2/service/ssm/types"

	"clockify-discord-relay/lambda/discord/discordtest"
	"clockify-discord-relay/lambda/internal/testkit/processtest"
	"clockify-discord-relay/lambda/internal/testkit/samples"
	"clockify-discord-relay/lambda/store/ssm/ssmtest"
)

const sampleSignature = "sample-signing-secret" // what events/ carry

// Parameter names, as template.yaml's defaults, under the emulator's own prefix.
func webhookParameter(emu *ssmtest.Emulator) string {
	return emu.Name("clockify-discord-relay/discord-webhook-url")
}

func signingParameter(emu *ssmtest.Emulator) string {
	return emu.Name("clockify-discord-relay/clockify-signing-secrets")
}

// lambdaUnderRIE is the bootstrap running under the emulator.
type lambdaUnderRIE struct {
	*process
}

// startLambda runs the real bootstrap under the Runtime Interface Emulator,
// configured as template.yaml configures it, with SSM at emu.
func startLambda(t testing.TB, emu *ssmtest.Emulator, timeoutSeconds int, extra map[string]string) *lambdaUnderRIE {
	t.Helper()
	bootstrap, rie := binaries(t)
	ports := processtest.FreePorts(t, 2)
	port, apiPort := ports[0], ports[1]
	vars := map[string]string{
		"AWS_ENDPOINT_URL_SSM":               emu.URL,
		"AWS_REGION":                         "ap-northeast-1",
		"AWS_ACCESS_KEY_ID":                  "AKIDTEST",
		"AWS_SECRET_ACCESS_KEY":              "test-secret-key",
		"AWS_LAMBDA_FUNCTION_TIMEOUT":        strconv.Itoa(timeoutSeconds),
		"AWS_LAMBDA_FUNCTION_MEMORY_SIZE":    "128",
		"AWS_LAMBDA_FUNCTION_NAME":           "clockify-discord-relay",
		"DISCORD_WEBHOOK_URL_PARAMETER":      webhookParameter(emu),
		"CLOCKIFY_SIGNING_SECRETS_PARAMETER": signingParameter(emu),
		"MESSAGE_LANGUAGE":                   "ja",
		"METRICS":                            "detailed", // so that the tests count them
	}
	for k, v := range extra {
		vars[k] = v
	}
	p := start(t, port, baseEnv(vars), rie,
		"--runtime-interface-emulator-address", "127.0.0.1:"+strconv.Itoa(port),
		"--runtime-api-address", "127.0.0.1:"+strconv.Itoa(apiPort),
		bootstrap)
	return &lambdaUnderRIE{p}
}

// invoke sends one event through the emulator's invocation endpoint.
func (l *lambdaUnderRIE) invoke(t testing.TB, payload []byte) events.APIGatewayProxyResponse {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	status, body, err := post(ctx, http.DefaultClient, l.base+"/2015-03-31/functions/function/invocations", payload, nil)
	if err != nil {
		t.Fatalf("invoke: %v\n%s", err, l.output)
	}
	var resp events.APIGatewayProxyResponse
	if status != http.StatusOK || json.Unmarshal(body, &resp) != nil || resp.StatusCode == 0 {
		t.Fatalf("invoke: %d %s\n%s", status, body, l.output)
	}
	return resp
}

func sampleEvents(t testing.TB) map[string][]byte {
	t.Helper()
	files, _ := samples.Webhooks(filepath.Join(repoRoot, "events"))
	out := map[string][]byte{}
	for _, f := range files {
		raw, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		out[strings.TrimSuffix(filepath.Base(f), ".json")] = raw
	}
	if len(out) < 7 {
		t.Fatalf("only %d sample events", len(out))
	}
	return out
}

func canonicalJSON(t testing.TB, raw []byte) string {
	t.Helper()
	var v any
	if err := json.Unmarshal(raw, &v); err != nil {
		t.Fatalf("not JSON: %s", raw)
	}
	out, _ := json.Marshal(v)
	return string(out)
}

// TestEveryEventUnderRIE invokes every file in events/ through the
// emulator, as sam local invoke -e would, and checks the answers, exactly
// what Discord received, and that SSM was read once for all of them.
func TestEveryEventUnderRIE(t *testing.T) {
	dc := discordtest.NewServer(t)
	emu := ssmtest.NewEmulator(t)
	emu.Put(t, webhookParameter(emu), dc.WebhookURL(), types.ParameterTypeSecureString)
	emu.Put(t, signingParameter(emu), sampleSignature+"\nsecret-of-another-webhook", types.ParameterTypeSecureString)
	emu.ResetCalls()
	l := startLambda(t, emu, 10, nil)

	samples := sampleEvents(t)
	names := make([]string, 0, len(samples))
	for n := range samples {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, name := range names {
		before := len(dc.Received())
		resp := l.invoke(t, samples[name])
		if resp.StatusCode != 200 || !strings.HasPrefix(resp.Body, `{"status":"queued"`) || resp.Headers["Content-Type"] != "application/json" {
			t.Errorf("%s: answer %d %s", name, resp.StatusCode, resp.Body)
			continue
		}
		got := dc.Received()
		if len(got) != before+1 {
			t.Fatalf("%s: Discord received %d messages", name, len(got)-before)
		}
		golden, err := os.ReadFile(filepath.Join(repoRoot, "lambda", "message", "testdata", "golden", name+".ja.embed.json"))
		if err != nil {
			t.Fatal(err)
		}
		if g, w := canonicalJSON(t, got[before].Body), canonicalJSON(t, golden); g != w {
			t.Errorf("%s: Discord received\n%s\nwant\n%s", name, g, w)
		}
	}

	// A forged signature is refused, and nothing is sent.
	var forged events.APIGatewayProxyRequest
	_ = json.Unmarshal(samples["timer-started"], &forged)
	forged.Headers["Clockify-Signature"] = "forged"
	forged.MultiValueHeaders["Clockify-Signature"] = []string{"forged"}
	payload, _ := json.Marshal(forged)
	before := len(dc.Received())
	if resp := l.invoke(t, payload); resp.StatusCode != 401 {
		t.Errorf("forged signature: %d %s", resp.StatusCode, resp.Body)
	}
	if len(dc.Received()) != before {
		t.Error("a forged request reached Discord")
	}

	// Payload format 2.0 (HTTP API, function URL) through the same binary.
	var v1 events.APIGatewayProxyRequest
	_ = json.Unmarshal(samples["timer-stopped"], &v1)
	v2 := events.APIGatewayV2HTTPRequest{Version: "2.0", RawPath: "/clockify", Headers: map[string]string{}, Body: v1.Body}
	for k, v := range v1.Headers {
		v2.Headers[strings.ToLower(k)] = v
	}
	v2.RequestContext.HTTP.Method = "POST"
	payload, _ = json.Marshal(v2)
	before = len(dc.Received())
	if resp := l.invoke(t, payload); resp.StatusCode != 200 || !strings.HasPrefix(resp.Body, `{"status":"duplicate"`) || len(dc.Received()) != before {
		t.Errorf("payload 2.0, the same change again: %d %s, %d posted", resp.StatusCode, resp.Body, len(dc.Received())-before)
	}
	v2.Body = strings.Replace(v2.Body, `"description":"`, `"description":"v2 `, 1)
	payload, _ = json.Marshal(v2)
	if resp := l.invoke(t, payload); resp.StatusCode != 200 || !strings.HasPrefix(resp.Body, `{"status":"queued"`) || len(dc.Received()) != before+1 {
		t.Errorf("payload 2.0: %d %s", resp.StatusCode, resp.Body)
	}

	calls := emu.Calls()
	if len(calls) != 1 || calls[0].Target != "AmazonSSM.GetParameters" || !calls[0].WithDecryption {
		t.Errorf("SSM calls across %d warm invocations: %+v, want one GetParameters with decryption", len(names)+2, calls)
	}
	// One structured log line and one metrics line per request, and per
	// Discord message (one per request here: each is drained before the
	// next). The output is copied from the process's pipe: wait for the
	// last lines.
	delivered := len(names) + 1
	want := map[string]int{"metrics queued": delivered, "metrics rejected": 1, "metrics duplicate": 1, "log queued": delivered, "log rejected": 1, "log duplicate": 1,
		"message metrics delivered": delivered, "message log delivered": delivered}
	var counts map[string]int
	for deadline := time.Now().Add(time.Minute); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) { // stops a hung test
		if counts = countRecords(t, l.output.String()); fmt.Sprint(counts) == fmt.Sprint(want) {
			break
		}
	}
	if fmt.Sprint(counts) != fmt.Sprint(want) {
		t.Errorf("log and metrics lines %v, want %v", counts, want)
	}
	for _, secret := range []string{discordtest.Token, sampleSignature, "secret-of-another-webhook", "test-secret-key"} {
		if strings.Contains(l.output.String(), secret) {
			t.Errorf("a secret appears in the function's output")
		}
	}
}

func TestMissingParameterUnderRIE(t *testing.T) {
	emu := ssmtest.NewEmulator(t)
	emu.Put(t, signingParameter(emu), sampleSignature, types.ParameterTypeSecureString)
	emu.ResetCalls()
	l := startLambda(t, emu, 10, nil)
	payload := sampleEvents(t)["timer-started"]
	for range 2 {
		resp := l.invoke(t, payload)
		if resp.StatusCode != 500 || resp.Body != `{"error":"relay secrets are unavailable"}` {
			t.Errorf("answer %d %s", resp.StatusCode, resp.Body)
		}
	}
	if n := len(emu.Calls()); n != 2 {
		t.Errorf("%d SSM calls for 2 invocations: a failure must not be cached", n)
	}
	if !l.waitForOutput("parameters not found: "+webhookParameter(emu), 5*time.Second) {
		t.Errorf("the log does not name the missing parameter:\n%s", l.output)
	}
}

func TestDiscordDownUnderRIE(t *testing.T) {
	gone := discordtest.NewServer(t)
	gone.DeleteWebhook()
	down := discordtest.NewServer(t)
	downURL := down.WebhookURL()
	down.Close()
	for url, outcome := range map[string]string{gone.WebhookURL(): "dead", downURL: "retry"} {
		emu := ssmtest.NewEmulator(t)
		emu.Put(t, webhookParameter(emu), url, types.ParameterTypeSecureString)
		emu.Put(t, signingParameter(emu), sampleSignature, types.ParameterTypeSecureString)
		l := startLambda(t, emu, 3, nil)
		start := time.Now()
		resp := l.invoke(t, sampleEvents(t)["timer-stopped"])
		elapsed := time.Since(start)
		// Accepted: what Discord did is the delivery's log line.
		if resp.StatusCode != 200 || !strings.HasPrefix(resp.Body, `{"status":"queued"`) {
			t.Errorf("answer %d %s, want 200 queued", resp.StatusCode, resp.Body)
		}
		if elapsed > 3*time.Second {
			t.Errorf("answered after %s, past the 3 s function timeout", elapsed)
		}
		if !l.waitForOutput(`"outcome":"`+outcome+`"`, 5*time.Second) {
			t.Errorf("no message log line with outcome %s: %s", outcome, l.output.String())
		}
		if strings.Contains(l.output.String(), discordtest.Token) {
			t.Error("the webhook token appears in the function's output")
		}
	}
}

// countRecords counts the function's request log lines and metrics lines
// by outcome, and checks each log line's Lambda fields.
func countRecords(t *testing.T, output string) map[string]int {
	counts := map[string]int{}
	for _, line := range strings.Split(output, "\n") {
		var rec map[string]any
		if json.Unmarshal([]byte(line), &rec) != nil {
			continue // the emulator's own lines
		}
		switch {
		case rec["_aws"] != nil && rec["EventsPerMessage"] != nil:
			counts["message metrics "+fmt.Sprint(rec["Outcome"])]++
		case rec["_aws"] != nil:
			counts["metrics "+fmt.Sprint(rec["Outcome"])]++
		case rec["message"] == "discord message":
			counts["message log "+fmt.Sprint(rec["outcome"])]++
		case rec["message"] == "request":
			if id, _ := rec["requestId"].(string); len(id) < 30 || rec["timestamp"] == nil || rec["level"] == nil {
				t.Errorf("log line without a Lambda request id, timestamp or level: %s", line)
			}
			counts["log "+fmt.Sprint(rec["outcome"])]++
		}
	}
	return counts
}
