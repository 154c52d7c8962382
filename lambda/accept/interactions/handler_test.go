package interactions_test

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"encoding/hex"
	"encoding/json"
	"errors"
	"flag"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"clockify-discord-relay/lambda/accept/interactions"
	"clockify-discord-relay/lambda/clockify"
	"clockify-discord-relay/lambda/message"
	"clockify-discord-relay/lambda/secrets"
	"clockify-discord-relay/lambda/state/statetest"
	"clockify-discord-relay/lambda/store/localstore"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/golden")

// now is the tests' clock: a Thursday afternoon in Tokyo.
var now = time.Date(2026, 11, 26, 6, 0, 0, 0, time.UTC)

const (
	appID     = "1300000000000000001"
	channel   = "334455667788990011"
	elsewhere = "999999999999999999"
)

// fixedChannels says which destinations post to which channel.
type fixedChannels map[string][]string

func (f fixedChannels) Destinations(_ context.Context, ch string) ([]string, error) {
	return f[ch], nil
}

type fixture struct {
	pub  ed25519.PublicKey
	priv ed25519.PrivateKey
	h    *interactions.Handler
	logs *bytes.Buffer
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	pub, priv, err := ed25519.GenerateKey(nil)
	if err != nil {
		t.Fatal(err)
	}
	store, err := localstore.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	ctx := context.Background()
	tokyo, _ := time.LoadLocation("Asia/Tokyo")
	day := time.Date(2026, 11, 26, 0, 0, 0, 0, tokyo)
	at := func(h float64) time.Time { return day.Add(time.Duration(h * float64(time.Hour))) }
	for _, ev := range []clockify.Event{
		statetest.Finished(clockify.TimerStopped, "a1", "Ada", "Website", at(9), at(11.5)),
		statetest.Finished(clockify.TimerStopped, "b1", "Bob *bold*", "Ops", at(10), at(11)),
		statetest.Finished(clockify.TimerStopped, "a0", "Ada", "Website", at(-15), at(-14)), // yesterday
		statetest.Finished(clockify.TimerStopped, "z1", "Zed", "Elsewhere", at(9), at(10)),  // another channel
	} {
		dest := "dest-a"
		if ev.Entry.ID == "z1" {
			dest = "dest-z"
		}
		if err := store.State.Book(ctx, dest, "", ev, now); err != nil {
			t.Fatal(err)
		}
	}
	for _, ev := range []clockify.Event{
		statetest.Timer(clockify.NewTimerStarted, "c1", "Cy <@everyone>", at(13)),
		statetest.Timer(clockify.NewTimerStarted, "d1", "Dee", at(14)),
	} {
		if _, err := store.State.Apply(ctx, "dest-a", "", ev, now); err != nil {
			t.Fatal(err)
		}
	}
	logs := &bytes.Buffer{}
	en, _ := message.LanguageFor("en")
	h := interactions.NewHandler(func(context.Context) (ed25519.PublicKey, error) { return pub, nil }, store.State,
		fixedChannels{channel: {"dest-a"}}, slog.New(slog.NewJSONHandler(logs, nil)),
		interactions.Options{ApplicationID: appID, Language: en, Zone: tokyo, Now: func() time.Time { return now }})
	return &fixture{pub: pub, priv: priv, h: h, logs: logs}
}

// signed is a request as Discord signs it, at ts.
func (f *fixture) signed(body string, ts time.Time) http.Header {
	stamp := strconv.FormatInt(ts.Unix(), 10)
	h := http.Header{}
	h.Set(interactions.SignatureHeader, hex.EncodeToString(ed25519.Sign(f.priv, []byte(stamp+body))))
	h.Set(interactions.TimestampHeader, stamp)
	return h
}

func (f *fixture) ask(t *testing.T, body string) (int, string) {
	t.Helper()
	status, out := f.h.Handle(context.Background(), f.signed(body, now), []byte(body))
	return status, string(out)
}

func command(kind int, locale, ch, name string, options ...string) string {
	return `{"id":"1","application_id":"` + appID + `","type":` + strconv.Itoa(kind) + `,"channel_id":"` + ch +
		`","locale":"` + locale + `","data":{"name":"` + name + `","options":[` + strings.Join(options, ",") + `]}}`
}

const ping = `{"id":"1","application_id":"` + appID + `","type":1}`

// TestSignatures: only Discord's requests are answered; the rest get 401,
// as Discord checks when the URL is saved.
func TestSignatures(t *testing.T) {
	f := newFixture(t)
	otherPub, otherPriv, _ := ed25519.GenerateKey(nil)
	_ = otherPub
	good := f.signed(ping, now)
	for _, c := range []struct {
		name   string
		header func() http.Header
		body   string
		status int
	}{
		{"good", func() http.Header { return good }, ping, 200},
		{"wrong key", func() http.Header {
			h := good.Clone()
			h.Set(interactions.SignatureHeader, hex.EncodeToString(ed25519.Sign(otherPriv, []byte(h.Get(interactions.TimestampHeader)+ping))))
			return h
		}, ping, 401},
		{"tampered body", func() http.Header { return good }, strings.Replace(ping, `"type":1`, `"type":2`, 1), 401},
		{"stale timestamp", func() http.Header { return f.signed(ping, now.Add(-interactions.MaxSkew-time.Second)) }, ping, 401},
		{"future timestamp", func() http.Header { return f.signed(ping, now.Add(interactions.MaxSkew+time.Second)) }, ping, 401},
		{"just inside the window", func() http.Header { return f.signed(ping, now.Add(-interactions.MaxSkew+time.Second)) }, ping, 200},
		{"no signature", func() http.Header { h := good.Clone(); h.Del(interactions.SignatureHeader); return h }, ping, 401},
		{"no timestamp", func() http.Header { h := good.Clone(); h.Del(interactions.TimestampHeader); return h }, ping, 401},
		{"non-hex signature", func() http.Header {
			h := good.Clone()
			h.Set(interactions.SignatureHeader, "zz"+h.Get(interactions.SignatureHeader)[2:])
			return h
		}, ping, 401},
		{"short signature", func() http.Header { h := good.Clone(); h.Set(interactions.SignatureHeader, "abcd"); return h }, ping, 401},
		{"non-numeric timestamp", func() http.Header { h := good.Clone(); h.Set(interactions.TimestampHeader, "soon"); return h }, ping, 401},
	} {
		status, out := f.h.Handle(context.Background(), c.header(), []byte(c.body))
		if status != c.status {
			t.Errorf("%s: %d %s, want %d", c.name, status, out, c.status)
		}
	}
	// A stale timestamp says so, in the answer and as the error.
	if status, out := f.h.Handle(context.Background(), f.signed(ping, now.Add(-interactions.MaxSkew-time.Second)), []byte(ping)); status != 401 || !strings.Contains(string(out), "stale request timestamp") {
		t.Errorf("a stale timestamp: %d %s", status, out)
	}
	err := interactions.Verify(f.pub, f.signed(ping, now.Add(time.Hour)), []byte(ping), now)
	if !errors.Is(err, interactions.ErrStale) || !errors.Is(err, interactions.ErrUnverified) {
		t.Errorf("a timestamp an hour ahead: %v, want ErrStale, an ErrUnverified", err)
	}
	if _, err := interactions.ParseKey("abc"); err == nil {
		t.Error("a short key was accepted")
	}
	if k, err := interactions.ParseKey(hex.EncodeToString(f.pub)); err != nil || !k.Equal(f.pub) {
		t.Errorf("ParseKey: %v", err)
	}
}

func TestPing(t *testing.T) {
	f := newFixture(t)
	if status, out := f.ask(t, ping); status != 200 || out != `{"type":1}` {
		t.Errorf("%d %s", status, out)
	}
}

func TestAnotherApplicationIsRefused(t *testing.T) {
	f := newFixture(t)
	if status, _ := f.ask(t, strings.Replace(ping, appID, "42", 1)); status != 401 {
		t.Errorf("status %d", status)
	}
}

// golden compares an answer with testdata/golden/name; -update rewrites it.
func golden(t *testing.T, name, got string) {
	t.Helper()
	var v any
	if err := json.Unmarshal([]byte(got), &v); err != nil {
		t.Fatalf("%s: not JSON: %s", name, got)
	}
	pretty, _ := json.MarshalIndent(v, "", "  ")
	path := filepath.Join("testdata", "golden", name+".json")
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, append(pretty, '\n'), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (go test -update writes it)", err)
	}
	if string(pretty)+"\n" != string(want) {
		t.Errorf("%s:\n%s\nwant\n%s", name, pretty, want)
	}
}

// TestCommands: each command in Japanese and English, checked against
// goldens; user text escaped and nobody pinged.
func TestCommands(t *testing.T) {
	f := newFixture(t)
	for _, c := range []struct{ name, body string }{
		{"working", command(2, "", channel, "working")},
		{"hours-today", command(2, "", channel, "hours")},
		{"hours-yesterday-public", command(2, "", channel, "hours", `{"name":"period","type":3,"value":"yesterday"}`, `{"name":"public","type":5,"value":true}`)},
		{"hours-week-ada", command(2, "", channel, "hours", `{"name":"period","type":3,"value":"week"}`, `{"name":"user","type":3,"value":"ada"}`)},
		{"hours-last-week", command(2, "", channel, "hours", `{"name":"period","type":3,"value":"last-week"}`)},
	} {
		for _, locale := range []string{"ja", "en-US"} {
			body := strings.Replace(c.body, `"locale":""`, `"locale":"`+locale+`"`, 1)
			status, out := f.ask(t, body)
			if status != 200 {
				t.Fatalf("%s %s: %d %s", c.name, locale, status, out)
			}
			if !strings.Contains(out, `"allowed_mentions":{"parse":[]}`) || strings.Contains(out, "<@everyone>") {
				t.Errorf("%s %s: mentions not disarmed: %s", c.name, locale, out)
			}
			golden(t, c.name+"."+locale[:2], out)
		}
	}
}

// TestAnswersAreEphemeralOrNot: /working is for the channel; /hours only
// for whoever asked unless public.
func TestAnswersAreEphemeralOrNot(t *testing.T) {
	f := newFixture(t)
	flags := func(body string) int {
		_, out := f.ask(t, body)
		var a struct{ Data struct{ Flags int } }
		_ = json.Unmarshal([]byte(out), &a)
		return a.Data.Flags & interactions.FlagEphemeral
	}
	if flags(command(2, "en-US", channel, "working")) != 0 {
		t.Error("/working is ephemeral")
	}
	if flags(command(2, "en-US", channel, "hours")) == 0 {
		t.Error("/hours is visible to the channel")
	}
	if flags(command(2, "en-US", channel, "hours", `{"name":"public","type":5,"value":true}`)) != 0 {
		t.Error("/hours public:true is ephemeral")
	}
}

func TestAChannelWithoutTheRelay(t *testing.T) {
	f := newFixture(t)
	for _, name := range []string{"working", "hours"} {
		status, out := f.ask(t, command(2, "en-US", elsewhere, name))
		if status != 200 || !strings.Contains(out, "does not post to this channel") || !strings.Contains(out, `"flags":64`) ||
			strings.Contains(out, "Ada") || strings.Contains(out, "Cy") || strings.Contains(out, "Zed") {
			t.Errorf("%s: %d %s", name, status, out)
		}
	}
}

func TestUnknownCommandsAndOptions(t *testing.T) {
	f := newFixture(t)
	for _, body := range []string{
		command(2, "en-US", channel, "weather"),
		command(2, "en-US", channel, "hours", `{"name":"colour","type":3,"value":"red"}`),
		command(2, "en-US", channel, "hours", `{"name":"period","type":3,"value":"fortnight"}`),
		command(3, "en-US", channel, "working"), // a component
		`{"application_id":"` + appID + `","type":2}`,
	} {
		status, out := f.ask(t, body)
		if status != 200 || !strings.Contains(out, "cannot answer") || !strings.Contains(out, `"flags":64`) {
			t.Errorf("%s: %d %s", body, status, out)
		}
	}
	if status, _ := f.ask(t, "not json"); status != 400 {
		t.Errorf("not JSON: %d", status)
	}
}

// TestAutocomplete: the names in the channel's ledger that contain what
// was typed, and nobody from other channels; a choice's value is the
// user's id (the name, where an entry has none).
func TestAutocomplete(t *testing.T) {
	f := newFixture(t)
	for typed, want := range map[string]string{
		"":   `{"type":8,"data":{"choices":[{"name":"Ada","value":"u-Ada"},{"name":"Bob *bold*","value":"u-Bob *bold*"},{"name":"Cy \u003c@everyone\u003e","value":"Cy \u003c@everyone\u003e"},{"name":"Dee","value":"Dee"}]}}`, // running only: no id in these samples
		"AD": `{"type":8,"data":{"choices":[{"name":"Ada","value":"u-Ada"}]}}`,
		"zz": `{"type":8,"data":{"choices":[]}}`,
	} {
		_, out := f.ask(t, command(4, "en-US", channel, "hours", `{"name":"user","type":3,"value":"`+typed+`","focused":true}`))
		if out != want {
			t.Errorf("%q: %s\nwant %s", typed, out, want)
		}
	}
}

// TestAnswersDefangLinksAndMatchUsersByID: a description with a link is
// defanged in /working, as on the board, unless LINKS=allow; /hours
// finds a person by the id autocomplete gives, however long the name.
func TestAnswersDefangLinksAndMatchUsersByID(t *testing.T) {
	f := newFixture(t)
	store, err := localstore.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	long := strings.TrimSpace(strings.Repeat("Ada Lovelace ", 10)) // 129 characters
	phish := statetest.Timer(clockify.NewTimerStarted, "p1", long, now.Add(-time.Hour))
	phish.Entry.Description = "log in again: https://evil.example/login"
	if _, err := store.State.Apply(context.Background(), "dest-a", "", phish, now); err != nil {
		t.Fatal(err)
	}
	done := statetest.Finished(clockify.TimerStopped, "p0", long, "Website", now.Add(-3*time.Hour), now.Add(-2*time.Hour))
	if err := store.State.Book(context.Background(), "dest-a", "", done, now); err != nil {
		t.Fatal(err)
	}
	en, _ := message.LanguageFor("en")
	for _, allow := range []bool{false, true} {
		f.h = interactions.NewHandler(func(context.Context) (ed25519.PublicKey, error) { return f.pub, nil }, store.State,
			fixedChannels{channel: {"dest-a"}}, slog.New(slog.NewJSONHandler(f.logs, nil)),
			interactions.Options{ApplicationID: appID, Language: en, Zone: time.UTC, Now: func() time.Time { return now }, AllowLinks: allow})
		_, out := f.ask(t, command(2, "en-US", channel, "working"))
		if linked := strings.Contains(out, "https://evil.example/login"); linked != allow || !strings.Contains(out, "evil") {
			t.Errorf("LINKS=allow %v: the link kept = %v: %s", allow, linked, out)
		}
	}
	_, out := f.ask(t, command(4, "en-US", channel, "hours", `{"name":"user","type":3,"value":"love","focused":true}`))
	var a struct {
		Data struct{ Choices []interactions.Choice }
	}
	if err := json.Unmarshal([]byte(out), &a); err != nil || len(a.Data.Choices) != 1 || a.Data.Choices[0].Value != "u-"+long ||
		len([]rune(a.Data.Choices[0].Name)) > interactions.MaxChoiceRunes {
		t.Fatalf("autocomplete: %s", out)
	}
	_, out = f.ask(t, command(2, "en-US", channel, "hours", `{"name":"user","type":3,"value":"`+a.Data.Choices[0].Value+`"}`))
	if !strings.Contains(out, "Lovelace") || strings.Contains(out, "nothing") {
		t.Errorf("/hours for the chosen user: %s", out)
	}
}

// TestServedOverHTTP: the handler as the front serves it: the request's
// own body and headers, a JSON answer.
func TestServedOverHTTP(t *testing.T) {
	f := newFixture(t)
	body := `{"type":1,"application_id":"` + appID + `"}`
	req := httptest.NewRequest("POST", "/discord/interactions", strings.NewReader(body))
	req.Header = f.signed(body, now)
	rec := httptest.NewRecorder()
	f.h.ServeHTTP(rec, req)
	if rec.Code != 200 || rec.Body.String() != `{"type":1}` || rec.Header().Get("Content-Type") != "application/json" {
		t.Errorf("ping: %d %s %v", rec.Code, rec.Body, rec.Header())
	}
	req = httptest.NewRequest("POST", "/discord/interactions", strings.NewReader(body))
	req.Header = f.signed(body+" ", now) // signed over another body
	rec = httptest.NewRecorder()
	if f.h.ServeHTTP(rec, req); rec.Code != 401 {
		t.Errorf("a forged body: %d %s", rec.Code, rec.Body)
	}
}

// TestKeyFromTheSecrets: the key is read from the secrets at each use; an
// empty or malformed one is an error, never a key that verifies nothing.
func TestKeyFromTheSecrets(t *testing.T) {
	pub, _, _ := ed25519.GenerateKey(nil)
	key, err := interactions.KeyFrom(secrets.Static{DiscordPublicKey: hex.EncodeToString(pub)})(context.Background())
	if err != nil || !key.Equal(pub) {
		t.Errorf("the key: %v", err)
	}
	for _, bad := range []string{"", "not hex", "abcd"} {
		if _, err := interactions.KeyFrom(secrets.Static{DiscordPublicKey: bad})(context.Background()); err == nil {
			t.Errorf("%q was taken for a key", bad)
		}
	}
}
