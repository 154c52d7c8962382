package settings

import (
	"context"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/ssm/types"

	"clockify-discord-relay/lambda/secrets"
	"clockify-discord-relay/lambda/store/awsclients"
	"clockify-discord-relay/lambda/store/ssm/ssmtest"
)

// env is a getenv over a map.
func env(m map[string]string) func(string) string {
	return func(k string) string { return m[k] }
}

// source reads s's parameters through the real SDK.
func source(s Settings, now func() time.Time) secrets.Source {
	clients := awsclients.New()
	return s.Source(func(ctx context.Context) (ParameterStore, error) { return clients.Parameters(ctx) }, now)
}

// ssmEnv points the real SDK at the emulator through the standard variables.
func ssmEnv(t *testing.T, emu *ssmtest.Emulator) {
	t.Setenv("AWS_ENDPOINT_URL_SSM", emu.URL)
	t.Setenv("AWS_REGION", "ap-northeast-1")
	t.Setenv("AWS_ACCESS_KEY_ID", "test")
	t.Setenv("AWS_SECRET_ACCESS_KEY", "test")
	t.Setenv("AWS_CONFIG_FILE", os.DevNull)
	t.Setenv("AWS_SHARED_CREDENTIALS_FILE", os.DevNull)
}

func TestSecretsFromSSM(t *testing.T) {
	emu := ssmtest.NewEmulator(t)
	ssmEnv(t, emu)
	emu.Put(t, emu.Name("/relay/discord"), "https://discord.example/api/webhooks/1/tok-1", types.ParameterTypeSecureString)
	emu.Put(t, emu.Name("/relay/signing"), "signing-secret-one, signing-secret-two", types.ParameterTypeSecureString)
	emu.ResetCalls()

	s, err := Load(env(map[string]string{
		"DISCORD_WEBHOOK_URL_PARAMETER":      emu.Name("/relay/discord"),
		"CLOCKIFY_SIGNING_SECRETS_PARAMETER": emu.Name("/relay/signing"),
	}))
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 11, 26, 9, 0, 0, 0, time.UTC)
	src := source(s, func() time.Time { return now })
	ctx := context.Background()
	for range 25 { // warm invocations
		sec, err := src.Secrets(ctx)
		if err != nil {
			t.Fatalf("Secrets: %v", err)
		}
		if sec.DiscordWebhookURL != "https://discord.example/api/webhooks/1/tok-1" || !sec.Signing.Verify("", "signing-secret-two") {
			t.Fatalf("secrets = %+v", sec)
		}
	}
	calls := emu.Calls()
	if len(calls) != 1 || calls[0].Target != "AmazonSSM.GetParameters" || !calls[0].WithDecryption || len(calls[0].Names) != 2 {
		t.Fatalf("calls = %+v, want one GetParameters of both names with decryption", calls)
	}

	// A rotated secret takes effect after the TTL.
	emu.Put(t, emu.Name("/relay/discord"), "https://discord.example/api/webhooks/1/tok-2", types.ParameterTypeSecureString)
	emu.ResetCalls()
	now = now.Add(SecretsTTL)
	sec, err := src.Secrets(ctx)
	if err != nil || sec.DiscordWebhookURL != "https://discord.example/api/webhooks/1/tok-2" || len(emu.Calls()) != 1 {
		t.Fatalf("after the TTL: %v, %d calls, url rotated: %v", err, len(emu.Calls()), sec.DiscordWebhookURL == "https://discord.example/api/webhooks/1/tok-2")
	}

	// A missing parameter: the last good secrets serve, marked stale and
	// naming the parameter, and SSM is tried again every 30 s, not on
	// every request.
	emu.Delete(t, emu.Name("/relay/signing"))
	emu.ResetCalls()
	now = now.Add(SecretsTTL)
	for i := range 3 {
		sec, err = src.Secrets(ctx)
		if err != nil || sec.Stale == nil || !strings.Contains(sec.Stale.Error(), "parameters not found: "+emu.Name("/relay/signing")) || !sec.Signing.Verify("", "signing-secret-two") {
			t.Fatalf("attempt %d: %v, stale %v", i, err, sec.Stale)
		}
	}
	if n := len(emu.Calls()); n != 1 {
		t.Errorf("%d SSM calls for three requests within 30 s, want 1", n)
	}
	now = now.Add(secrets.StaleRetry)
	if _, err = src.Secrets(ctx); err != nil || len(emu.Calls()) != 2 {
		t.Errorf("after 30 s: %v, %d calls", err, len(emu.Calls()))
	}
	// Past an hour, it is a clear error, and it is not cached.
	now = now.Add(secrets.MaxStale)
	for i := range 2 {
		_, err = src.Secrets(ctx)
		if err == nil || !strings.Contains(err.Error(), "parameters not found: "+emu.Name("/relay/signing")) {
			t.Fatalf("past an hour, attempt %d: err = %v", i, err)
		}
	}
	if n := len(emu.Calls()); n != 4 {
		t.Errorf("%d SSM calls, want 4 (a failure past the hour is retried each time)", n)
	}
	emu.Put(t, emu.Name("/relay/signing"), "signing-secret-three", types.ParameterTypeSecureString)
	if sec, err = src.Secrets(ctx); err != nil || !sec.Signing.Verify("", "signing-secret-three") {
		t.Errorf("after the parameter came back: %v", err)
	}
}

func TestEnvironmentValuesWinOverSSM(t *testing.T) {
	emu := ssmtest.NewEmulator(t)
	ssmEnv(t, emu)
	s, _ := Load(env(map[string]string{
		"DISCORD_WEBHOOK_URL":                "https://discord.example/api/webhooks/1/direct",
		"DISCORD_WEBHOOK_URL_PARAMETER":      emu.Name("/relay/discord"),
		"CLOCKIFY_SIGNING_SECRETS":           "direct-signing-secret",
		"CLOCKIFY_SIGNING_SECRETS_PARAMETER": emu.Name("/relay/signing"),
	}))
	sec, err := source(s, time.Now).Secrets(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if sec.DiscordWebhookURL != "https://discord.example/api/webhooks/1/direct" || !sec.Signing.Verify("", "direct-signing-secret") {
		t.Errorf("secrets = %+v", sec)
	}
	if n := len(emu.Calls()); n != 0 {
		t.Errorf("SSM was called %d times", n)
	}
}

func TestOneValueSetReadsOnlyTheOtherFromSSM(t *testing.T) {
	emu := ssmtest.NewEmulator(t)
	ssmEnv(t, emu)
	emu.Put(t, emu.Name("/relay/signing"), "signing-secret-from-ssm", types.ParameterTypeSecureString)
	emu.ResetCalls()
	s, _ := Load(env(map[string]string{
		"DISCORD_WEBHOOK_URL":                "https://discord.example/api/webhooks/1/direct",
		"DISCORD_WEBHOOK_URL_PARAMETER":      emu.Name("/relay/discord-not-created"),
		"CLOCKIFY_SIGNING_SECRETS_PARAMETER": emu.Name("/relay/signing"),
	}))
	sec, err := source(s, time.Now).Secrets(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if sec.DiscordWebhookURL != "https://discord.example/api/webhooks/1/direct" || !sec.Signing.Verify("", "signing-secret-from-ssm") {
		t.Errorf("secrets = %+v", sec)
	}
	if calls := emu.Calls(); len(calls) != 1 || len(calls[0].Names) != 1 || calls[0].Names[0] != emu.Name("/relay/signing") {
		t.Errorf("calls = %+v", calls)
	}
}

func TestRoutesFromSSM(t *testing.T) {
	emu := ssmtest.NewEmulator(t)
	ssmEnv(t, emu)
	emu.Put(t, emu.Name("/relay/routes"), `[{"name":"breaks","match":{"type":["BREAK"]},"drop":true}]`, types.ParameterTypeSecureString)
	s, err := Load(env(map[string]string{"DISCORD_WEBHOOK_URL": "https://discord.com/api/webhooks/1/t", "ROUTES_PARAMETER": emu.Name("/relay/routes")}))
	if err != nil {
		t.Fatal(err)
	}
	sec, err := source(s, time.Now).Secrets(context.Background())
	if err != nil || sec.Routes.Len() != 1 {
		t.Fatalf("routes %d, %v", sec.Routes.Len(), err)
	}

	emu.Put(t, emu.Name("/relay/bad-routes"), `[{"name":"broken","match":{},"drop":true}]`, types.ParameterTypeSecureString)
	s, _ = Load(env(map[string]string{"DISCORD_WEBHOOK_URL": "https://discord.com/api/webhooks/1/t", "ROUTES_PARAMETER": emu.Name("/relay/bad-routes")}))
	_, err = source(s, time.Now).Secrets(context.Background())
	if err == nil || !strings.Contains(err.Error(), emu.Name("/relay/bad-routes")+`: routes: rule 1 ("broken"): matches nothing`) {
		t.Errorf("err = %v", err)
	}
}

// TestRouteWebhooksApart: the rules may hold no URL, with the webhooks
// by rule name in ROUTE_WEBHOOKS(_PARAMETER), which only the delivery
// function is given. Locally, a rule left without one is refused at
// start; the API function, given none, takes the rules as they are.
func TestRouteWebhooksApart(t *testing.T) {
	const rules = `[{"name":"acme","match":{"client":["ACME"]}}]`
	const hooks = `{"acme":"https://discord.com/api/webhooks/2/secret-acme"}`
	if _, err := Load(env(map[string]string{"ROUTES": rules})); err == nil || !strings.Contains(err.Error(), `rule 1 ("acme") needs a webhook`) {
		t.Errorf("locally without its webhook: %v", err)
	}
	s, err := Load(env(map[string]string{"ROUTES": rules, "ROUTE_WEBHOOKS": hooks}))
	if url, _ := s.env.Routes.Webhook("acme"); err != nil || url != "https://discord.com/api/webhooks/2/secret-acme" {
		t.Errorf("with ROUTE_WEBHOOKS: %q, %v", url, err)
	}
	api, err := Load(env(map[string]string{"ROUTES": rules, "AWS_LAMBDA_RUNTIME_API": "127.0.0.1:9001"}))
	if _, found := api.env.Routes.Webhook("acme"); err != nil || found || api.env.Routes.HoldsURLs() {
		t.Errorf("the API function: %v, holds a URL %v", err, found)
	}

	emu := ssmtest.NewEmulator(t)
	ssmEnv(t, emu)
	emu.Put(t, emu.Name("/relay/routes"), rules, types.ParameterTypeSecureString)
	emu.Put(t, emu.Name("/relay/route-webhooks"), hooks, types.ParameterTypeSecureString)
	emu.Put(t, emu.Name("/relay/wrong-webhooks"), `{"acmee":"https://discord.com/api/webhooks/2/secret-acme"}`, types.ParameterTypeSecureString)
	deliverer, err := Load(env(map[string]string{"AWS_LAMBDA_RUNTIME_API": "127.0.0.1:9001", "DISCORD_WEBHOOK_URL": "https://discord.com/api/webhooks/1/t",
		"ROUTES_PARAMETER": emu.Name("/relay/routes"), "ROUTE_WEBHOOKS_PARAMETER": emu.Name("/relay/route-webhooks")}))
	if err != nil {
		t.Fatal(err)
	}
	sec, err := source(deliverer, time.Now).Secrets(context.Background())
	if url, _ := sec.Webhook("acme"); err != nil || url != "https://discord.com/api/webhooks/2/secret-acme" {
		t.Errorf("the delivery function's acme webhook %q, %v", url, err)
	}
	deliverer.parameters[RouteWebhooks] = emu.Name("/relay/wrong-webhooks")
	_, err = source(deliverer, time.Now).Secrets(context.Background())
	if err == nil || !strings.Contains(err.Error(), `"acmee" names no rule`) || strings.Contains(err.Error(), "secret") {
		t.Errorf("webhooks of a misspelt rule: %v", err)
	}
}

// TestLongTimerBounds: 0 turns reminders off, a quarter of an hour is the
// least threshold, a week the most.
func TestLongTimerBounds(t *testing.T) {
	for in, want := range map[string]time.Duration{"0": 0, "0.25": 15 * time.Minute, "10": 10 * time.Hour, "168": 168 * time.Hour} {
		s, err := Load(env(map[string]string{"LONG_TIMER_HOURS": in}))
		if err != nil || s.LongTimer != want {
			t.Errorf("LONG_TIMER_HOURS=%s: %v, %v; want %v", in, s.LongTimer, err, want)
		}
	}
}

// TestEverySettingIsDocumented: every variable the relay reads is in the
// usage's list and in the README's settings table (but those the platform
// sets, and DISCORD_API_URL, a stand-in's address in tests).
func TestEverySettingIsDocumented(t *testing.T) {
	read := map[string]bool{}
	if _, err := Load(func(name string) string { read[name] = true; return "" }); err != nil {
		t.Fatal(err)
	}
	if len(read) < 20 {
		t.Fatalf("found only %d settings read: %v", len(read), read)
	}
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	listed := strings.Join(Names(), " ")
	for name := range read {
		base := strings.TrimSuffix(name, ParameterSuffix)
		switch name {
		case "AWS_LAMBDA_RUNTIME_API", "AWS_LAMBDA_LOG_LEVEL", "DISCORD_API_URL":
			continue
		}
		if !strings.Contains(listed, base) {
			t.Errorf("%s is read, and Names (the usage) does not list it", name)
		}
		if !strings.Contains(string(readme), "`"+name+"`") && !strings.Contains(string(readme), "`"+base+"`, `_PARAMETER`") {
			t.Errorf("%s is read, and the README's settings table does not have it", name)
		}
	}
}

// TestTwoWordSettings: LINKS, SESSION_MESSAGES and BOARD take one of two
// words, in any case, empty being the first; another is refused by name.
func TestTwoWordSettings(t *testing.T) {
	s, err := Load(env(map[string]string{"LINKS": "Allow", "SESSION_MESSAGES": "edit", "BOARD": "OFF"}))
	if err != nil || !s.AllowLinks || !s.EditSessions || s.Board {
		t.Errorf("second words: %+v, %v", s, err)
	}
	s, err = Load(env(map[string]string{"LINKS": "defang", "SESSION_MESSAGES": "", "BOARD": "on"}))
	if err != nil || s.AllowLinks || s.EditSessions || !s.Board {
		t.Errorf("first words: %v", err)
	}
	_, err = Load(env(map[string]string{"LINKS": "yes", "SESSION_MESSAGES": "both", "BOARD": "maybe"}))
	for _, want := range []string{`LINKS: "yes" is neither defang nor allow`, `SESSION_MESSAGES: "both" is neither post nor edit`, `BOARD: "maybe" is neither on nor off`} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%v, want %s", err, want)
		}
	}
}

// TestDefaultsAndTheDigestsSchedule: what an empty environment means,
// and the digest's schedule made of three settings.
func TestDefaultsAndTheDigestsSchedule(t *testing.T) {
	s, err := Load(env(nil))
	if err != nil || s.Port != 8080 || s.DataDir != ".relay" || s.MetricsNamespace != "ClockifyDiscordRelay" || s.LongTimer != 10*time.Hour ||
		!s.Board || s.Zone.String() != DefaultTimeZone || s.Digest == nil || s.Digest.Kind != "daily" || s.Digest.Hour != 18 || s.Digest.Zone != s.Zone {
		t.Errorf("defaults: %+v, %v", s, err)
	}
	s, err = Load(env(map[string]string{"DIGEST": "Weekly", "DIGEST_TIME": "07:30", "TIME_ZONE": "Europe/Berlin", "AWS_LAMBDA_LOG_LEVEL": "DEBUG"}))
	if err != nil || s.Digest == nil || s.Digest.Kind != "weekly" || s.Digest.Hour != 7 || s.Digest.Minute != 30 || s.Digest.Zone.String() != "Europe/Berlin" || s.LogLevel.String() != "DEBUG" {
		t.Errorf("a weekly digest in Berlin: %+v, %v", s.Digest, err)
	}
	if s, err = Load(env(map[string]string{"DIGEST": "off", "DIGEST_TIME": "07:30"})); err != nil || s.Digest != nil {
		t.Errorf("DIGEST=off: %+v, %v", s.Digest, err)
	}
}
