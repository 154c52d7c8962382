package deployment_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-sdk-go-v2/service/ssm/types"

	"clockify-discord-relay/lambda/discord"
	"clockify-discord-relay/lambda/discord/discordtest"
	"clockify-discord-relay/lambda/store/dynamodb/dynamodbtest"
	"clockify-discord-relay/lambda/store/sqs/sqstest"
	"clockify-discord-relay/lambda/store/ssm/ssmtest"
)

// queuedLambda is the bootstrap under the RIE as both of the template's
// functions: the API function, which enqueues, and the delivery function,
// which the test's poller calls with SQS batches, as Lambda's trigger
// would.
type queuedLambda struct {
	*lambdaUnderRIE
	sqs  *sqstest.Emulator
	dc   *discordtest.Server
	ssm  *ssmtest.Emulator
	vars map[string]string
}

// startQueuedLambda starts it; extra are more variables, name then value.
func startQueuedLambda(t *testing.T, extra ...string) *queuedLambda {
	t.Helper()
	dc, emu, q, vars := stackWorld(t)
	for i := 0; i+1 < len(extra); i += 2 {
		vars[extra[i]] = extra[i+1]
	}
	l := startLambda(t, emu, 30, vars)
	return &queuedLambda{lambdaUnderRIE: l, sqs: q, dc: dc, ssm: emu, vars: vars}
}

// stackWorld is what the deployed stack talks to, on this machine: the
// Discord stand-in, SSM with the webhook and signing secrets, SQS and
// DynamoDB in kumo; and the variables the template gives the functions.
func stackWorld(t testing.TB) (*discordtest.Server, *ssmtest.Emulator, *sqstest.Emulator, map[string]string) {
	dc := discordtest.NewServer(t)
	emu := ssmtest.NewEmulator(t)
	emu.Put(t, webhookParameter(emu), dc.WebhookURL(), types.ParameterTypeSecureString)
	emu.Put(t, signingParameter(emu), sampleSignature, types.ParameterTypeSecureString)
	q := sqstest.NewEmulator(t)
	vars := queueEnv(q)
	vars["AWS_ENDPOINT_URL_DYNAMODB"] = q.URL // the same kumo
	vars["STATE_TABLE"] = dynamodbtest.CreateTable(t, q.URL)
	return dc, emu, q, vars
}

// restart is a new instance of the function: nothing kept in memory.
func (l *queuedLambda) restart(t *testing.T) {
	t.Helper()
	l.stop()
	l.lambdaUnderRIE = startLambda(t, l.ssm, 30, l.vars)
}

// queueEnv is what template.yaml gives both functions.
func queueEnv(q *sqstest.Emulator) map[string]string {
	return map[string]string{
		"AWS_ENDPOINT_URL_SQS":  q.URL,
		"DELIVERY_QUEUE_URL":    q.QueueURL,
		"DEAD_LETTER_QUEUE_URL": q.DeadLetterURL,
	}
}

// timerStarted is the sample start event for entry i, with its own id
// and description.
func timerStarted(t testing.TB, i int) []byte {
	t.Helper()
	var ev events.APIGatewayProxyRequest
	if err := json.Unmarshal(sampleEvents(t)["timer-started"], &ev); err != nil {
		t.Fatal(err)
	}
	var body map[string]any
	_ = json.Unmarshal([]byte(ev.Body), &body)
	body["id"] = fmt.Sprintf("entry%04d", i)
	body["description"] = fmt.Sprintf("task %04d", i)
	raw, _ := json.Marshal(body)
	ev.Body = string(raw)
	payload, _ := json.Marshal(ev)
	return payload
}

// deliver is the delivery function as Lambda's trigger calls it.
func (l *lambdaUnderRIE) deliver(ctx context.Context, ev events.SQSEvent) (events.SQSEventResponse, error) {
	payload, _ := json.Marshal(ev)
	status, body, err := post(ctx, http.DefaultClient, l.base+"/2015-03-31/functions/function/invocations", payload, nil)
	var resp events.SQSEventResponse
	if err == nil && (status != http.StatusOK || json.Unmarshal(body, &resp) != nil) {
		err = fmt.Errorf("delivery function: %d %s", status, body)
	}
	return resp, err
}

// deliverSample sends body and headers as the sample's API Gateway event
// to the API function, and plays the trigger until it is delivered.
func (l *queuedLambda) deliverSample(t *testing.T, sample string, body []byte, headers map[string]string) {
	t.Helper()
	var ev events.APIGatewayProxyRequest
	_ = json.Unmarshal(sampleEvents(t)[sample], &ev)
	ev.Body, ev.Headers = string(body), headers
	payload, _ := json.Marshal(ev)
	l.accept(t, payload, "queued")
	l.drain(t)
}

// fire invokes the function with a schedule's event from events/, as
// EventBridge Scheduler does, and returns its answer.
func (l *queuedLambda) fire(t *testing.T, file string) string {
	t.Helper()
	schedule, err := os.ReadFile(filepath.Join(repoRoot, "events", file))
	if err != nil {
		t.Fatal(err)
	}
	status, out, err := post(context.Background(), http.DefaultClient, l.base+"/2015-03-31/functions/function/invocations", schedule, nil)
	if err != nil || status != http.StatusOK {
		t.Fatalf("scheduled invocation: %d %s %v\n%s", status, out, err, l.output)
	}
	return string(out)
}

// drain plays the trigger until the queue is empty.
func (l *queuedLambda) drain(t *testing.T) {
	t.Helper()
	ctx := context.Background()
	deadline := time.Now().Add(3 * time.Minute) // stops a hung test; speed is measured by make rush
	for l.sqs.Depth(t, l.sqs.QueueURL) > 0 {
		if time.Now().After(deadline) {
			t.Fatalf("the queue did not drain:\n%s", l.output)
		}
		n, err := l.sqs.Poll(ctx, l.deliver)
		if err != nil {
			t.Fatal(err)
		}
		if n == 0 {
			time.Sleep(100 * time.Millisecond) // as the trigger's long poll waits
		}
	}
}

func (l *queuedLambda) accept(t *testing.T, payload []byte, want string) {
	t.Helper()
	resp := l.invoke(t, payload)
	if resp.StatusCode != 200 || !strings.HasPrefix(resp.Body, `{"status":"`+want+`"`) {
		t.Fatalf("answer %d %s, want %s\n%s", resp.StatusCode, resp.Body, want, l.output)
	}
}

// deliveredEntries are the tasks Discord shows, in order: an event's
// embed's description field ("task 0001"), or a line of a list (an embed
// with only a description; the board has a title).
func deliveredEntries(dc *discordtest.Server) []string {
	var out []string
	for _, r := range dc.Received() {
		for _, e := range r.Message.Embeds {
			if isList(e) {
				for _, m := range taskPattern.FindAllStringSubmatch(e.Description, -1) {
					out = append(out, m[1])
				}
			}
			for _, f := range e.Fields {
				if id, ok := strings.CutPrefix(f.Value, "task "); ok {
					out = append(out, id)
				}
			}
		}
	}
	return out
}

// isList tells a list of events (an embed with only a description) from
// an event's embed and the board.
func isList(e discord.Embed) bool { return e.Title == "" && len(e.Fields) == 0 }

var taskPattern = regexp.MustCompile(`task (\d{4})`)

func checkInOrderOnce(t testing.TB, got []string, n int) {
	t.Helper()
	if len(got) != n {
		t.Fatalf("Discord shows %d events, want %d: %v", len(got), n, got)
	}
	for i, id := range got {
		if want := fmt.Sprintf("%04d", i); id != want {
			t.Fatalf("event %d is %s: out of order or twice: %v", i, id, got)
		}
	}
}

func TestQueuedRushUnderRIE(t *testing.T) {
	l := startQueuedLambda(t)
	const events = 60
	for i := range events {
		l.accept(t, timerStarted(t, i), "queued")
	}
	l.drain(t)
	checkInOrderOnce(t, deliveredEntries(l.dc), events)
	if n := len(l.dc.Received()); n > 12 {
		t.Errorf("%d Discord messages for %d events: not coalesced", n, events)
	}
	if n := l.dc.RateLimited(); n > 3 {
		t.Errorf("%d 429s", n)
	}
	if !l.waitForOutput(`"EventsPerMessage":10`, 5*time.Second) || !l.waitForOutput(`"OldestJobAge"`, 5*time.Second) {
		t.Errorf("no message and batch metrics:\n%s", l.output)
	}
}

func TestQueuedOutageUnderRIE(t *testing.T) {
	l := startQueuedLambda(t)
	l.dc.SetDown(true)
	for i := range 5 {
		l.accept(t, timerStarted(t, i), "queued")
	}
	if _, err := l.sqs.Poll(context.Background(), l.deliver); err != nil {
		t.Fatal(err)
	}
	if len(l.dc.Received()) != 0 || l.sqs.Depth(t, l.sqs.QueueURL) != 5 {
		t.Fatalf("during the outage: %d received, %d queued", len(l.dc.Received()), l.sqs.Depth(t, l.sqs.QueueURL))
	}
	l.dc.SetDown(false)
	l.drain(t)
	checkInOrderOnce(t, deliveredEntries(l.dc), 5)
}

func TestDeletedWebhookEndsInTheDeadLetterQueue(t *testing.T) {
	l := startQueuedLambda(t)
	l.dc.DeleteWebhook()
	for i := range 3 {
		l.accept(t, timerStarted(t, i), "queued")
	}
	l.drain(t)
	if n := l.sqs.Depth(t, l.sqs.DeadLetterURL); n != 3 {
		t.Fatalf("%d in the dead-letter queue, want 3", n)
	}
	if n := l.dc.Requests(); n != 1 {
		t.Errorf("%d requests to a deleted webhook, want 1", n)
	}
	// dlq list, as an operator runs it against the real queues.
	bootstrap, _ := binaries(t)
	vars := queueEnv(l.sqs)
	vars["AWS_REGION"], vars["AWS_ACCESS_KEY_ID"], vars["AWS_SECRET_ACCESS_KEY"] = "ap-northeast-1", "AKIDTEST", "test-secret-key"
	cmd := exec.Command(bootstrap, "dlq", "list")
	cmd.Env = baseEnv(vars)
	out, err := cmd.CombinedOutput()
	if err != nil || !strings.Contains(string(out), "3 dead letters") || !strings.Contains(string(out), "the webhook was deleted") {
		t.Errorf("dlq list: %v\n%s", err, out)
	}
	if strings.Contains(string(out), discordtest.Token) {
		t.Error("dlq list shows the webhook's token")
	}
}

func TestTheSameDeliveryTwicePostsOnce(t *testing.T) {
	l := startQueuedLambda(t)
	payload := timerStarted(t, 0)
	l.accept(t, payload, "queued")
	l.accept(t, payload, "duplicate") // Clockify resends at once
	l.drain(t)
	// Resent after it was delivered, past SQS's 5-minute window in AWS:
	// the state table remembers the key for a day.
	l.accept(t, payload, "duplicate")
	l.drain(t)
	checkInOrderOnce(t, deliveredEntries(l.dc), 1)
}

// TestBoardScenarioUnderRIE: the same scenario as in local mode, with the
// API function enqueueing, the trigger played by the test, and the state
// in DynamoDB (kumo): A starts, B starts, A stops, a new instance, B
// stops. One board message, edited each time.
func TestBoardScenarioUnderRIE(t *testing.T) {
	l := startQueuedLambda(t)
	var first string
	step := func(sample, id, user string, want ...string) {
		t.Helper()
		body, headers := entryRequest(t, sample, id, user)
		l.deliverSample(t, sample, body, headers)
		id, users, posted := board(l.dc)
		if strings.Join(users, ",") != strings.Join(want, ",") || id == "" {
			t.Fatalf("after %s %s the board lists %v, want %v\n%s", sample, user, users, want, l.output)
		}
		if first == "" {
			first = id
		}
		if id != first || posted != 1 {
			t.Fatalf("the board is message %s (%d posted), first %s", id, posted, first)
		}
	}
	step("timer-started", "entry-a", "A", "A")
	step("timer-started", "entry-b", "B", "A", "B")
	step("timer-stopped", "entry-a", "A", "B")
	l.restart(t)
	step("timer-stopped", "entry-b", "B")
	if n := len(l.dc.Edits()); n != 3 {
		t.Errorf("%d edits, want 3", n)
	}
}

// TestRemindersUnderRIE: the schedule's event (events/schedule-remind.json)
// reminds of a timer running for 11 hours, once, however often it fires.
func TestRemindersUnderRIE(t *testing.T) {
	l := startQueuedLambda(t)
	body, headers := entryRequest(t, "timer-started", "entry-long", "Ada")
	var raw map[string]any
	_ = json.Unmarshal(body, &raw)
	raw["timeInterval"] = map[string]any{"start": time.Now().Add(-11 * time.Hour).UTC().Format(time.RFC3339), "end": nil, "duration": nil}
	body, _ = json.Marshal(raw)
	l.deliverSample(t, "timer-started", body, headers)
	for _, want := range []string{`{"reminders":1}`, `{"reminders":0}`} {
		if got := l.fire(t, "schedule-remind.json"); got != want {
			t.Errorf("scheduled invocation: %s, want %s\n%s", got, want, l.output)
		}
		l.drain(t) // a reminder is a job in the queue
	}
	reminders := 0
	var contents []string
	for _, r := range l.dc.Received() {
		if strings.HasPrefix(r.Message.Content, "⏰ Ada のタイマーが 11時間") {
			reminders++
		}
		contents = append(contents, r.Message.Content)
	}
	if reminders != 1 {
		t.Errorf("%d reminders among %q", reminders, contents)
	}
}

// TestLateAnswerIsNotPostedTwiceUnderRIE: Discord takes the message and
// answers only after the delivery function's timeout. The function keeps
// time in reserve, so it answers in time with the job dead-lettered as
// "outcome unknown", and the message is not posted a second time; nor is
// the board, whose post had an unknown outcome too, and the queue drains.
func TestLateAnswerIsNotPostedTwiceUnderRIE(t *testing.T) {
	l := startQueuedLambda(t, "BOARD", "on")
	l.stop()
	l.lambdaUnderRIE = startLambda(t, l.ssm, 10, l.vars) // a 10 s function
	l.dc.SetLateAnswer(time.Minute)
	body, headers := entryRequest(t, "timer-started", "late-1", "Ada") // running now: on the board
	var ev events.APIGatewayProxyRequest
	_ = json.Unmarshal(sampleEvents(t)["timer-started"], &ev)
	ev.Body, ev.Headers = string(body), headers
	payload, _ := json.Marshal(ev)
	l.accept(t, payload, "queued")
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if _, err := l.sqs.Poll(ctx, l.deliver); err != nil {
		t.Fatal(err)
	}
	// The board's post had an unknown outcome too: no refresh waits to
	// post it again blind, so the queue is empty while Discord is slow.
	if n := l.sqs.Depth(t, l.sqs.QueueURL); n != 0 {
		t.Errorf("%d jobs still queued while Discord answers late, want none", n)
	}
	l.dc.SetLateAnswer(0)
	l.drain(t)
	events, boards := 0, 0
	for _, r := range l.dc.Received() {
		if len(r.Message.Embeds) == 0 || r.Message.Embeds[0].Title != "稼働中" {
			events++
		} else {
			boards++
		}
	}
	if events != 1 || boards != 1 {
		t.Errorf("Discord posted %d messages and %d boards for one event, want 1 and the board once:\n%s", events, boards, l.output)
	}
	if n := l.sqs.Depth(t, l.sqs.DeadLetterURL); n != 1 {
		t.Errorf("%d dead letters, want the one whose outcome is unknown", n)
	}
}
