package message_test

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"clockify-discord-relay/lambda/discord"
	"clockify-discord-relay/lambda/discord/discordtest"
	"clockify-discord-relay/lambda/message"
	"clockify-discord-relay/lambda/state"
)

func boards() map[string][]state.Session {
	start := time.Date(2026, 11, 27, 0, 5, 0, 0, time.UTC)
	ada := state.Session{EntryID: "e1", User: "Sato Hanako", Project: "Website Renewal", Client: "ACME", Description: "Fix login bug", Start: start}
	bob := state.Session{EntryID: "e2", User: "Bob", Project: "Internal", Start: start.Add(20 * time.Minute)}
	cy := state.Session{EntryID: "e3", User: "Cy *bold*", Description: "reading https://example.com", Start: start.Add(time.Hour)}
	dee := state.Session{EntryID: "e4", User: "Dee", Break: true, Start: start.Add(2 * time.Hour)}
	var many []state.Session
	for i := range 200 {
		many = append(many, state.Session{EntryID: fmt.Sprint(i), User: fmt.Sprintf("Member %03d", i), Project: "Website Renewal", Client: "ACME",
			Description: strings.Repeat("long description ", 3), Start: start.Add(time.Duration(i) * time.Minute)})
	}
	return map[string][]state.Session{
		"board-empty":   nil,
		"board-one":     {ada},
		"board-several": {ada, bob, cy, dee},
		"board-long":    many,
	}
}

// TestBoardGolden keeps each board's exact payload in ja and en; -update
// rewrites them.
func TestBoardGolden(t *testing.T) {
	for name, running := range boards() {
		for _, code := range []string{"ja", "en"} {
			lang, _ := message.LanguageFor(code)
			msg := message.Board(running, lang)
			if field, problem := discordtest.Validate(msg); field != "" {
				t.Errorf("%s %s: Discord would refuse %s: %s", name, code, field, problem)
			}
			checkGolden(t, name+"."+code+".json", msg)
		}
	}
}

// TestReminderGolden keeps the forgotten-timer reminder's payload.
func TestReminderGolden(t *testing.T) {
	start := time.Date(2026, 11, 26, 22, 0, 0, 0, time.UTC)
	s := state.Session{EntryID: "e1", User: "Sato Hanako", Project: "Website Renewal", Client: "ACME", Start: start}
	for _, code := range []string{"ja", "en"} {
		lang, _ := message.LanguageFor(code)
		body, err := discord.Encode(message.Reminder(s, lang, start.Add(11*time.Hour+5*time.Minute+42*time.Second)))
		if err != nil {
			t.Fatal(err)
		}
		path := filepath.Join("testdata", "golden", "reminder."+code+".json")
		if *update {
			_ = os.WriteFile(path, append(body, '\n'), 0o644)
		}
		want, err := os.ReadFile(path)
		if err != nil || string(want) != string(body)+"\n" {
			t.Errorf("%s: got %s\nwant %s (%v)", path, body, want, err)
		}
	}
}

func TestBoardIsCutWithACount(t *testing.T) {
	en, _ := message.LanguageFor("en")
	msg := message.Board(boards()["board-long"], en)
	d := msg.Embeds[0].Description
	lines := strings.Split(d, "\n")
	shown := len(lines) - 1
	if want := fmt.Sprintf("+%d more", 200-shown); lines[len(lines)-1] != want || shown < 10 {
		t.Errorf("last line %q after %d lines", lines[len(lines)-1], shown)
	}
	if !strings.HasPrefix(lines[0], "**Member 000** · ACME - Website Renewal") {
		t.Errorf("first line %q", lines[0])
	}
}

// TestALongNameHidesNoLine: a name of 5,000 characters is cut with "…",
// and the timers after it still have their lines, on the board and in a
// reminder.
func TestALongNameHidesNoLine(t *testing.T) {
	en, _ := message.LanguageFor("en")
	start := time.Date(2026, 11, 27, 0, 0, 0, 0, time.UTC)
	long := strings.Repeat("x", 5000)
	running := []state.Session{
		{EntryID: "e1", User: long, Project: long, Client: long, Start: start},
		{EntryID: "e2", User: "Ada", Project: "Web", Start: start},
		{EntryID: "e3", User: "Bob", Project: "Docs", Start: start},
	}
	lines := strings.Split(message.Board(running, en).Embeds[0].Description, "\n")
	if len(lines) != 3 || !strings.Contains(lines[0], "x…") || !strings.HasPrefix(lines[1], "**Ada**") || !strings.HasPrefix(lines[2], "**Bob**") {
		t.Errorf("board lines %d: %.200q", len(lines), lines)
	}
	if r := message.Reminder(running[0], en, start.Add(11*time.Hour)); utf8.RuneCountInString(r.Content) > 300 {
		t.Errorf("reminder of %d characters", utf8.RuneCountInString(r.Content))
	}
}
