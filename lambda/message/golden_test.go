package message_test

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"clockify-discord-relay/lambda/clockify"
	"clockify-discord-relay/lambda/discord"
	"clockify-discord-relay/lambda/discord/discordtest"
	"clockify-discord-relay/lambda/internal/testkit/samples"
	"clockify-discord-relay/lambda/message"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/golden")

// sampleEvent is a file of events/, decoded as the relay decodes it.
type sampleEvent struct {
	name  string
	event clockify.Event
}

func sampleEvents(t *testing.T) []sampleEvent {
	t.Helper()
	files, _ := samples.Webhooks("../../events")
	if len(files) == 0 {
		t.Fatal("no sample events")
	}
	var out []sampleEvent
	for _, f := range files {
		raw, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var ev struct {
			Headers map[string]string `json:"headers"`
			Body    string            `json:"body"`
		}
		if err := json.Unmarshal(raw, &ev); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		entry, err := clockify.DecodeTimeEntry([]byte(ev.Body))
		if err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		h := http.Header{}
		for k, v := range ev.Headers {
			h.Set(k, v)
		}
		typ := clockify.ParseEventType(h.Get(clockify.EventTypeHeader))
		out = append(out, sampleEvent{strings.TrimSuffix(filepath.Base(f), ".json"), clockify.Event{Type: typ, Entry: entry}})
	}
	return out
}

// TestGolden keeps the exact Discord payload of every sample event, in
// every language and style, under testdata/golden. go test -update rewrites
// them.
func TestGolden(t *testing.T) {
	var examples bytes.Buffer
	for _, s := range sampleEvents(t) {
		for _, code := range []string{"ja", "en"} {
			lang, _ := message.LanguageFor(code)
			for _, style := range []message.Style{message.StyleEmbed, message.StyleText} {
				name := fmt.Sprintf("%s.%s.%s.json", s.name, code, style)
				t.Run(name, func(t *testing.T) {
					msg := message.Format(s.event, lang, style)
					checkGolden(t, name, msg)
					if style == message.StyleEmbed {
						fmt.Fprintf(&examples, "%s (%s):\n\n%s\n", s.name, code, render(msg, code))
					}
				})
			}
		}
	}
	if *update {
		if err := os.WriteFile(filepath.Join("testdata", "golden", "examples.txt"), examples.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// render draws a message roughly as Discord shows it, for the README:
// timestamps as a reader in Tokyo sees them.
func render(m discord.Message, lang string) string {
	jst := time.FixedZone("JST", 9*60*60)
	layout := "January 2, 2006 3:04 PM"
	if lang == "ja" {
		layout = "2006年1月2日 15:04"
	}
	when := regexp.MustCompile(`<t:(\d+):f>`)
	show := func(s string) string {
		return when.ReplaceAllStringFunc(s, func(m string) string {
			unix, _ := strconv.ParseInt(when.FindStringSubmatch(m)[1], 10, 64)
			return time.Unix(unix, 0).In(jst).Format(layout)
		})
	}
	var b strings.Builder
	fmt.Fprintf(&b, "    %s\n", m.Content)
	for _, e := range m.Embeds {
		if e.Author != nil {
			fmt.Fprintf(&b, "    ┃ %s\n", e.Author.Name)
		}
		fmt.Fprintf(&b, "    ┃ **%s**\n", e.Title)
		for _, f := range e.Fields {
			fmt.Fprintf(&b, "    ┃ %s: %s\n", f.Name, show(f.Value))
		}
	}
	return b.String()
}

func checkGolden(t *testing.T, name string, msg discord.Message) {
	t.Helper()
	discordtest.CheckGolden(t, name, msg, *update)
}
