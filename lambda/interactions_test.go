package main

import (
	"bytes"
	"crypto/ed25519"
	"encoding/hex"
	"encoding/json"
	"strconv"
	"strings"
	"testing"
	"time"

	"clockify-discord-relay/lambda/discord/discordtest"
)

// signedInteraction is the headers Discord would sign body with.
func signedInteraction(priv ed25519.PrivateKey, body string) map[string]string {
	ts := strconv.FormatInt(time.Now().Unix(), 10)
	return map[string]string{
		"Content-Type":          "application/json",
		"X-Signature-Ed25519":   hex.EncodeToString(ed25519.Sign(priv, []byte(ts+body))),
		"X-Signature-Timestamp": ts,
	}
}

// TestInteractionsInLocalMode: over a real socket, the local server
// answers Discord's PING, refuses a bad signature with 401, and /working
// shows the timer that /clockify just started, in the stand-in's channel.
func TestInteractionsInLocalMode(t *testing.T) {
	dc := discordtest.NewServer(t)
	pub, priv, _ := ed25519.GenerateKey(nil)
	base, _, stderr := startLocal(t, map[string]string{
		"DISCORD_WEBHOOK_URL":      dc.WebhookURL(),
		"CLOCKIFY_SIGNING_SECRETS": "sample-signing-secret",
		"DISCORD_PUBLIC_KEY":       hex.EncodeToString(pub),
		"DISCORD_APPLICATION_ID":   discordtest.ApplicationID,
	})
	ping := `{"id":"1","application_id":"` + discordtest.ApplicationID + `","type":1}`
	if status, answer := post(t, base+"/discord/interactions", ping, signedInteraction(priv, ping)); status != 200 || answer != `{"type":1}` {
		t.Fatalf("PING: %d %s", status, answer)
	}
	bad := signedInteraction(priv, ping)
	bad["X-Signature-Ed25519"] = strings.Repeat("0", 128)
	if status, _ := post(t, base+"/discord/interactions", ping, bad); status != 401 {
		t.Errorf("bad signature: %d", status)
	}

	body, headers := sampleRequest(t, "timer-started.json")
	if status, answer := post(t, base+"/clockify", body, headers); status != 200 {
		t.Fatalf("timer started: %d %s", status, answer)
	}
	waitFor(t, "the start to be delivered", func() bool { return len(dc.Received()) > 0 })
	working := `{"id":"2","application_id":"` + discordtest.ApplicationID + `","type":2,"channel_id":"` + discordtest.ChannelID +
		`","locale":"en-US","data":{"name":"working"}}`
	var answer string
	waitFor(t, "/working to show the timer", func() bool {
		_, answer = post(t, base+"/discord/interactions", working, signedInteraction(priv, working))
		return strings.Contains(answer, "Sato Hanako")
	})
	var a struct {
		Type int
		Data struct {
			Flags  int
			Embeds []struct{ Title string }
		}
	}
	if err := json.Unmarshal([]byte(answer), &a); err != nil || a.Type != 4 || a.Data.Flags != 0 || len(a.Data.Embeds) != 1 || a.Data.Embeds[0].Title != "Working now" {
		t.Errorf("/working: %s", answer)
	}
	if strings.Contains(stderr.String(), discordtest.Token) {
		t.Error("the webhook token was logged")
	}
}

// TestInteractionsWithoutDiscord: with no webhook, the relay prints what
// it would post and keeps its memory all the same, so /working, from any
// channel, shows the timer that /clockify just started.
func TestInteractionsWithoutDiscord(t *testing.T) {
	pub, priv, _ := ed25519.GenerateKey(nil)
	base, stdout, _ := startLocal(t, map[string]string{"DISCORD_PUBLIC_KEY": hex.EncodeToString(pub), "MESSAGE_LANGUAGE": "en"})
	body, headers := sampleRequest(t, "timer-started.json")
	if status, answer := post(t, base+"/clockify", body, headers); status != 200 {
		t.Fatalf("timer started: %d %s", status, answer)
	}
	waitFor(t, "the board to be printed", func() bool { return strings.Contains(stdout.String(), "Working now") })
	working := `{"id":"2","application_id":"1","type":2,"channel_id":"998877","locale":"en-US","data":{"name":"working"}}`
	if status, answer := post(t, base+"/discord/interactions", working, signedInteraction(priv, working)); status != 200 || !strings.Contains(answer, "Sato Hanako") {
		t.Errorf("/working without Discord: %d %s", status, answer)
	}
}

// TestInteractionsWithoutAKey: the route answers 404 until a public key
// is set.
func TestInteractionsWithoutAKey(t *testing.T) {
	base, _, _ := startLocal(t, map[string]string{})
	if status, _ := post(t, base+"/discord/interactions", `{"type":1}`, map[string]string{"Content-Type": "application/json"}); status != 404 {
		t.Errorf("status %d, want 404", status)
	}
}

// TestRegisterCommands: bootstrap commands overwrites the commands with
// the bot token, for one server or globally; again changes nothing; the
// token is never printed, and a wrong one is a clear error.
func TestRegisterCommands(t *testing.T) {
	dc := discordtest.NewServer(t)
	vars := map[string]string{"DISCORD_BOT_TOKEN": discordtest.BotToken, "DISCORD_API_URL": dc.URL + "/api/v10"}
	var out, errs bytes.Buffer
	for range 2 {
		if err := runWithin(t, oneJob, []string{"commands", "-guild", "42"}, env(vars), &out, &errs); err != nil {
			t.Fatal(err)
		}
	}
	if err := runWithin(t, oneJob, []string{"commands"}, env(vars), &out, &errs); err != nil {
		t.Fatal(err)
	}
	cmds := dc.Commands()
	if len(cmds["42"]) != 2 || len(cmds[""]) != 2 || dc.CommandWrites() != 3 {
		t.Fatalf("registered %v after %d writes", cmds, dc.CommandWrites())
	}
	hours := string(cmds["42"][1])
	for _, want := range []string{`"name":"hours"`, `"description_localizations":{"ja":`, `"autocomplete":true`, `"value":"last-week"`} {
		if !strings.Contains(hours, want) {
			t.Errorf("/hours lacks %s: %s", want, hours)
		}
	}
	if !strings.Contains(out.String(), "registered 2 commands for application "+discordtest.ApplicationID+" in server 42") {
		t.Errorf("stdout: %s", out.String())
	}
	vars["DISCORD_BOT_TOKEN"] = "wrong-token-value"
	err := runWithin(t, oneJob, []string{"commands"}, env(vars), &out, &errs)
	if err == nil || !strings.Contains(err.Error(), "bot token is wrong") || strings.Contains(err.Error(), "wrong-token-value") {
		t.Errorf("wrong token: %v", err)
	}
	if strings.Contains(out.String()+errs.String(), discordtest.BotToken) {
		t.Error("the bot token was printed")
	}
	delete(vars, "DISCORD_BOT_TOKEN")
	if err := runWithin(t, oneJob, []string{"commands"}, env(vars), &out, &errs); err == nil || !strings.Contains(err.Error(), "DISCORD_BOT_TOKEN") {
		t.Errorf("without a token: %v", err)
	}
}
