package deployment_test

import (
	"crypto/ed25519"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-sdk-go-v2/service/ssm/types"

	"clockify-discord-relay/lambda/discord/discordtest"
)

// TestInteractionsUnderRIE: the API function as deployed with the
// interactions on (the public key in SSM, the state in DynamoDB) answers
// Discord's PING, refuses a bad signature, and answers /working and
// /hours from what the delivery function recorded, in payload 1.0 and 2.0.
func TestInteractionsUnderRIE(t *testing.T) {
	pub, priv, _ := ed25519.GenerateKey(nil)
	// /hours counts today, in TIME_ZONE: a zone where it is about noon
	// now, so that a timer started just now is today's at any hour the
	// test runs (at midnight in Tokyo, it was yesterday's).
	l := startQueuedLambda(t, "DISCORD_PUBLIC_KEY_PARAMETER", "/relay/discord-public-key", "TIME_ZONE", zoneAtNoon(time.Now()))
	l.ssm.Put(t, "/relay/discord-public-key", hex.EncodeToString(pub), types.ParameterTypeString)

	body, headers := entryRequest(t, "timer-started", "entry-a", "Ada")
	l.deliverSample(t, "timer-started", body, headers)

	ask := func(interaction string, v2 bool) events.APIGatewayProxyResponse {
		t.Helper()
		ts := strconv.FormatInt(time.Now().Unix(), 10)
		h := map[string]string{
			"content-type":          "application/json",
			"x-signature-ed25519":   hex.EncodeToString(ed25519.Sign(priv, []byte(ts+interaction))),
			"x-signature-timestamp": ts,
		}
		var payload []byte
		if v2 {
			ev := events.APIGatewayV2HTTPRequest{Version: "2.0", RawPath: "/discord/interactions", Headers: h, Body: interaction}
			ev.RequestContext.HTTP.Method = "POST"
			payload, _ = json.Marshal(ev)
		} else {
			payload, _ = json.Marshal(events.APIGatewayProxyRequest{HTTPMethod: "POST", Path: "/discord/interactions", Resource: "/discord/interactions", Headers: h, Body: interaction})
		}
		return l.invoke(t, payload)
	}
	ping := `{"id":"1","application_id":"1","type":1}`
	for _, v2 := range []bool{false, true} {
		if r := ask(ping, v2); r.StatusCode != 200 || r.Body != `{"type":1}` {
			t.Errorf("PING (2.0: %v): %d %s", v2, r.StatusCode, r.Body)
		}
	}
	forged := strings.Replace(ping, `"type":1`, `"type":1 `, 1)
	ts := strconv.FormatInt(time.Now().Unix(), 10)
	bad, _ := json.Marshal(events.APIGatewayProxyRequest{HTTPMethod: "POST", Path: "/discord/interactions", Body: forged,
		Headers: map[string]string{"x-signature-ed25519": hex.EncodeToString(ed25519.Sign(priv, []byte(ts+ping))), "x-signature-timestamp": ts}})
	if r := l.invoke(t, bad); r.StatusCode != 401 {
		t.Errorf("a body that is not the one signed: %d %s", r.StatusCode, r.Body)
	}

	working := `{"id":"2","application_id":"1","type":2,"channel_id":"` + discordtest.ChannelID + `","locale":"en-US","data":{"name":"working"}}`
	if r := ask(working, false); r.StatusCode != 200 || !strings.Contains(r.Body, "Ada") || !strings.Contains(r.Body, "Working now") {
		t.Errorf("/working: %d %s\n%s", r.StatusCode, r.Body, l.output)
	}
	hours := `{"id":"3","application_id":"1","type":2,"channel_id":"` + discordtest.ChannelID + `","locale":"ja","data":{"name":"hours","options":[{"name":"public","type":5,"value":true}]}}`
	if r := ask(hours, true); r.StatusCode != 200 || !strings.Contains(r.Body, "Ada") || strings.Contains(r.Body, `"flags":64`) {
		t.Errorf("/hours public: %d %s", r.StatusCode, r.Body)
	}
	elsewhere := strings.Replace(working, discordtest.ChannelID, "42", 1)
	if r := ask(elsewhere, false); !strings.Contains(r.Body, "does not post to this channel") || strings.Contains(r.Body, "Ada") {
		t.Errorf("another channel: %s", r.Body)
	}
	if strings.Contains(l.output.String(), discordtest.Token) {
		t.Error("the webhook token appears in the function's output")
	}
}

// zoneAtNoon is a fixed-offset zone (Etc/GMT±N) where t is between 10:00
// and 14:00.
func zoneAtNoon(t time.Time) string {
	east := 12 - t.UTC().Hour() // hours east of UTC
	switch {
	case east < -12:
		east += 24
	case east > 14:
		east -= 24
	}
	return fmt.Sprintf("Etc/GMT%+d", -east) // Etc/GMT-9 is UTC+9
}
