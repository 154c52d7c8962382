package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsssm "github.com/aws/aws-sdk-go-v2/service/ssm"

	"clockify-discord-relay/lambda/clockify"
	"clockify-discord-relay/lambda/store/ssm"
	"clockify-discord-relay/lambda/store/ssm/ssmtest"
)

const (
	apiKey    = "test-api-key-do-not-print"
	workspace = "ws-1"
	relayURL  = "https://abc.execute-api.ap-northeast-1.amazonaws.com/Prod/clockify"
)

// fakeClockify stands in for Clockify's webhook API for one workspace.
type fakeClockify struct {
	*httptest.Server
	limit    int // webhooks a workspace may have; 0 for no limit
	mu       sync.Mutex
	webhooks []clockify.Webhook
	calls    []string // "METHOD path"
	next     int
}

func newFakeClockify(t *testing.T, existing ...clockify.Webhook) *fakeClockify {
	f := &fakeClockify{webhooks: existing}
	f.Server = httptest.NewServer(http.HandlerFunc(f.serve))
	t.Cleanup(f.Close)
	return f
}

func (f *fakeClockify) serve(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls = append(f.calls, r.Method+" "+r.URL.Path)
	w.Header().Set("Content-Type", "application/json")
	if r.Header.Get("X-Api-Key") != apiKey {
		w.WriteHeader(http.StatusUnauthorized)
		_, _ = w.Write([]byte(`{"message":"Full authentication is required to access this resource","code":1000}`))
		return
	}
	base := "/api/v1/workspaces/" + workspace + "/webhooks"
	switch {
	case r.Method == http.MethodGet && r.URL.Path == base:
		_ = json.NewEncoder(w).Encode(map[string]any{"webhooks": f.webhooks, "workspaceWebhookCount": len(f.webhooks)})
	case r.Method == http.MethodPost && r.URL.Path == base:
		var in struct {
			Name, URL, WebhookEvent, TriggerSourceType string
			TriggerSource                              []string
		}
		if err := json.NewDecoder(r.Body).Decode(&in); err != nil || in.TriggerSourceType != "WORKSPACE_ID" || in.URL == "" || in.Name == "" {
			w.WriteHeader(http.StatusBadRequest)
			_, _ = w.Write([]byte(`{"message":"bad request"}`))
			return
		}
		if f.limit > 0 && len(f.webhooks) >= f.limit {
			w.WriteHeader(http.StatusForbidden)
			_, _ = w.Write([]byte(`{"message":"Webhook limit reached for this workspace","code":501}`))
			return
		}
		f.next++
		hook := clockify.Webhook{ID: fmt.Sprintf("new-%d", f.next), Name: in.Name, URL: in.URL, Event: clockify.EventType(in.WebhookEvent), AuthToken: fmt.Sprintf("token-new-%d", f.next), Enabled: true}
		f.webhooks = append(f.webhooks, hook)
		_ = json.NewEncoder(w).Encode(hook)
	case r.Method == http.MethodDelete && strings.HasPrefix(r.URL.Path, base+"/"):
		id := strings.TrimPrefix(r.URL.Path, base+"/")
		for i, h := range f.webhooks {
			if h.ID == id {
				f.webhooks = append(f.webhooks[:i], f.webhooks[i+1:]...)
				_ = json.NewEncoder(w).Encode(h)
				return
			}
		}
		w.WriteHeader(http.StatusNotFound)
	default:
		w.WriteHeader(http.StatusNotFound)
	}
}

func (f *fakeClockify) state() ([]clockify.Webhook, []string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]clockify.Webhook(nil), f.webhooks...), append([]string(nil), f.calls...)
}

type harness struct {
	clockify *fakeClockify
	emu      *ssmtest.Emulator
	param    string
}

func (h harness) run(t *testing.T, extra ...string) (string, error) {
	t.Helper()
	args := append([]string{"-workspace", workspace, "-url", relayURL, "-api", h.clockify.URL + "/api", "-parameter", h.param}, extra...)
	if !slices.Contains(extra, "-digest") {
		args = append(args, "-digest", "off") // the seed's two webhooks
	}
	var out bytes.Buffer
	err := run(context.Background(), args, func(k string) string {
		if k == "CLOCKIFY_API_KEY" {
			return apiKey
		}
		return ""
	}, &out, func(context.Context) (ssm.Writer, error) { return h.emu.Client(t), nil })
	if strings.Contains(out.String(), apiKey) || (err != nil && strings.Contains(err.Error(), apiKey)) {
		t.Errorf("the API key was printed")
	}
	return out.String(), err
}

// secrets reads the parameter back, decrypted, through the real SDK.
func (h harness) secrets(t *testing.T) (string, bool) {
	t.Helper()
	out, err := h.emu.Client(t).GetParameter(context.Background(), &awsssm.GetParameterInput{Name: aws.String(h.param), WithDecryption: aws.Bool(true)})
	if err != nil {
		return "", false
	}
	return aws.ToString(out.Parameter.Value), true
}

func newHarness(t *testing.T, existing ...clockify.Webhook) harness {
	emu := ssmtest.NewEmulator(t)
	return harness{clockify: newFakeClockify(t, existing...), emu: emu, param: emu.Name("clockify-discord-relay/clockify-signing-secrets")}
}

func TestSetupCreatesThenKeeps(t *testing.T) {
	h := newHarness(t)
	out, err := h.run(t)
	if err != nil {
		t.Fatalf("setup: %v\n%s", err, out)
	}
	hooks, _ := h.clockify.state()
	if len(hooks) != 2 || hooks[0].Event != clockify.NewTimerStarted || hooks[1].Event != clockify.TimerStopped || hooks[0].URL != relayURL {
		t.Fatalf("webhooks = %+v", hooks)
	}
	if got, _ := h.secrets(t); got != "NEW_TIMER_STARTED=token-new-1\nTIMER_STOPPED=token-new-2" {
		t.Errorf("parameter = %q", got)
	}
	if strings.Contains(out, "token-new") {
		t.Errorf("a signing secret was printed:\n%s", out)
	}

	// Again: nothing to create, nothing duplicated, the same secrets.
	out, err = h.run(t)
	if err != nil {
		t.Fatal(err)
	}
	hooks, calls := h.clockify.state()
	if len(hooks) != 2 || strings.Count(strings.Join(calls, "\n"), "POST") != 2 {
		t.Errorf("a second run created webhooks: %v", calls)
	}
	if !strings.Contains(out, "keep    NEW_TIMER_STARTED") || strings.Contains(out, "create") {
		t.Errorf("second run output:\n%s", out)
	}
	if got, _ := h.secrets(t); got != "NEW_TIMER_STARTED=token-new-1\nTIMER_STOPPED=token-new-2" {
		t.Errorf("parameter = %q", got)
	}
}

func TestSetupRemovesDuplicatesAndKeepsOthers(t *testing.T) {
	h := newHarness(t,
		clockify.Webhook{ID: "a", URL: relayURL, Event: clockify.NewTimerStarted, AuthToken: "token-a", Enabled: true},
		clockify.Webhook{ID: "b", URL: relayURL + "/", Event: clockify.NewTimerStarted, AuthToken: "token-b", Enabled: true},
		clockify.Webhook{ID: "c", URL: relayURL, Event: clockify.TimeEntryDeleted, AuthToken: "token-c", Enabled: true},
		clockify.Webhook{ID: "d", URL: "https://elsewhere.example/hook", Event: clockify.TimerStopped, AuthToken: "token-d", Enabled: true},
	)
	out, err := h.run(t, "-events", "NEW_TIMER_STARTED,timer_stopped")
	if err != nil {
		t.Fatalf("setup: %v\n%s", err, out)
	}
	hooks, _ := h.clockify.state()
	ids := []string{}
	for _, w := range hooks {
		ids = append(ids, w.ID)
	}
	if strings.Join(ids, ",") != "a,c,d,new-1" {
		t.Errorf("webhooks after setup: %v", ids)
	}
	if got, _ := h.secrets(t); got != "NEW_TIMER_STARTED=token-a\nTIME_ENTRY_DELETED=token-c\nTIMER_STOPPED=token-new-1" {
		t.Errorf("parameter = %q", got)
	}
	for _, line := range []string{"keep    NEW_TIMER_STARTED", "create  TIMER_STOPPED", "delete  NEW_TIMER_STARTED    webhook b", "leave   TIME_ENTRY_DELETED", "write   " + h.param + ": 3 signing secrets"} {
		if !strings.Contains(out, line) {
			t.Errorf("output lacks %q:\n%s", line, out)
		}
	}
}

func TestSetupDryRunChangesNothing(t *testing.T) {
	h := newHarness(t, clockify.Webhook{ID: "a", URL: relayURL, Event: clockify.NewTimerStarted, AuthToken: "token-a"})
	out, err := h.run(t, "-dry-run", "-events", "all")
	if err != nil {
		t.Fatal(err)
	}
	_, calls := h.clockify.state()
	if len(calls) != 1 || calls[0] != "GET /api/v1/workspaces/ws-1/webhooks" {
		t.Errorf("a dry run called %v", calls)
	}
	if _, ok := h.secrets(t); ok {
		t.Error("a dry run wrote the parameter")
	}
	if !strings.Contains(out, "DISABLED in Clockify") || strings.Count(out, "create  ") != 6 || !strings.Contains(out, "dry run: nothing was changed") {
		t.Errorf("dry run output:\n%s", out)
	}
}

func TestSetupRefusesBadInput(t *testing.T) {
	h := newHarness(t)
	for _, args := range [][]string{{"-events", "NEW_PROJECT"}, {"-url", "http://insecure.example/clockify"}, {"-parameter", "no-slash"}, {"-frobnicate"}} {
		if _, err := h.run(t, args...); err == nil {
			t.Errorf("setup accepted %v", args)
		}
	}
	err := run(context.Background(), []string{"-workspace", workspace, "-url", relayURL}, func(string) string { return "" }, &bytes.Buffer{}, nil)
	if err == nil || !strings.Contains(err.Error(), "CLOCKIFY_API_KEY") {
		t.Errorf("without a key: %v", err)
	}
}

func TestSetupReportsClockifyErrors(t *testing.T) {
	h := newHarness(t)
	args := []string{"-workspace", workspace, "-url", relayURL, "-api", h.clockify.URL + "/api"}
	err := run(context.Background(), args, func(string) string { return "wrong-key" }, &bytes.Buffer{}, nil)
	if err == nil || !strings.Contains(err.Error(), "401 Full authentication is required") || strings.Contains(err.Error(), "wrong-key") {
		t.Errorf("err = %v", err)
	}
}

// TestSetupAtTheWebhookLimit: on the Free plan's 3 webhooks, the one it
// could create still gets its secret into SSM, replacing the placeholder,
// and the error says what is missing.
func TestSetupAtTheWebhookLimit(t *testing.T) {
	h := newHarness(t,
		clockify.Webhook{ID: "x", URL: "https://elsewhere.example/1", Event: "NEW_PROJECT", AuthToken: "token-x"},
		clockify.Webhook{ID: "y", URL: "https://elsewhere.example/2", Event: "NEW_PROJECT", AuthToken: "token-y"},
	)
	h.clockify.limit = 3
	h.emu.Put(t, h.param, "placeholder", "SecureString")
	out, err := h.run(t)
	if err == nil || !strings.Contains(err.Error(), "TIMER_STOPPED was not created") || !strings.Contains(err.Error(), "Webhook limit reached") {
		t.Errorf("err = %v", err)
	}
	if got, _ := h.secrets(t); got != "NEW_TIMER_STARTED=token-new-1" {
		t.Errorf("parameter = %q\n%s", got, out)
	}
}

// TestSetupForTheDigest: with a digest, the ledger's events get webhooks
// too; on the Free plan's 3, the two left out are named with what the
// digest loses, and the three secrets are written.
func TestSetupForTheDigest(t *testing.T) {
	h := newHarness(t)
	if _, err := h.run(t, "-digest", "daily"); err != nil {
		t.Fatal(err)
	}
	if got, _ := h.secrets(t); strings.Count(got, "\n") != 4 || !strings.Contains(got, "TIME_ENTRY_DELETED=") || !strings.Contains(got, "NEW_TIME_ENTRY=") {
		t.Errorf("secrets %q", got)
	}

	h = newHarness(t)
	h.clockify.limit = 3
	_, err := h.run(t, "-digest", "weekly")
	for _, want := range []string{
		"TIME_ENTRY_UPDATED was not created", "edited entries count as they were first stopped",
		"TIME_ENTRY_DELETED was not created", "deleted entries still count",
	} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("err lacks %q: %v", want, err)
		}
	}
	if got, _ := h.secrets(t); strings.Count(got, "\n") != 2 || !strings.Contains(got, "NEW_TIME_ENTRY=") {
		t.Errorf("secrets %q", got)
	}
	if _, err := h.run(t, "-digest", "monthly"); err == nil {
		t.Error("-digest monthly was taken")
	}
}

// TestSetupHelp: -h and help print what setup does and each flag with
// its meaning, and are no error; a wrong flag says where the help is.
func TestSetupHelp(t *testing.T) {
	for _, args := range [][]string{{"-h"}, {"--help"}, {"help"}} {
		var out bytes.Buffer
		err := run(context.Background(), args, func(string) string { return "" }, &out, nil)
		if !errors.Is(err, flag.ErrHelp) || !strings.Contains(out.String(), "Creates or updates the Clockify webhooks") ||
			!strings.Contains(out.String(), "Clockify workspace id (required)") {
			t.Errorf("%v: %v\n%s", args, err, out.String())
		}
	}
	err := run(context.Background(), []string{"-bogus"}, func(string) string { return "" }, io.Discard, nil)
	if err == nil || !strings.Contains(err.Error(), "setup -h") {
		t.Errorf("a wrong flag: %v", err)
	}
}
