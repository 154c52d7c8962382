package message_test

import (
	"strings"
	"testing"
	"time"

	"clockify-discord-relay/lambda/clockify"
	"clockify-discord-relay/lambda/message"
	"clockify-discord-relay/lambda/summary"
)

func entry(opts ...func(*clockify.TimeEntry)) clockify.TimeEntry {
	e := clockify.TimeEntry{
		ID:          "e1",
		Description: "Fix login bug",
		TimeInterval: clockify.TimeInterval{
			Start: time.Date(2025, 6, 16, 7, 5, 0, 0, time.UTC),
		},
		Project: &clockify.Project{Name: "Website", ClientName: "ACME"},
		User:    &clockify.User{Name: "Ada"},
	}
	for _, o := range opts {
		o(&e)
	}
	return e
}

func stopped(iso string) func(*clockify.TimeEntry) {
	return func(e *clockify.TimeEntry) {
		d, err := clockify.ParseDuration(iso)
		if err != nil {
			panic(err)
		}
		end := e.TimeInterval.Start.Add(time.Duration(d))
		e.TimeInterval.End, e.TimeInterval.Duration = &end, &d
	}
}

func TestText(t *testing.T) {
	noClient := func(e *clockify.TimeEntry) { e.Project.ClientName = "" }
	noProject := func(e *clockify.TimeEntry) { e.Project = nil }
	noDescription := func(e *clockify.TimeEntry) { e.Description = "" }
	noUser := func(e *clockify.TimeEntry) { e.User = nil }
	endOnly := func(e *clockify.TimeEntry) {
		end := e.TimeInterval.Start.Add(2*time.Hour + 5*time.Second)
		e.TimeInterval.End = &end
	}
	tests := []struct {
		name  string
		lang  string
		event clockify.EventType
		entry clockify.TimeEntry
		want  string
	}{
		{"ja start, client and project", "ja", clockify.NewTimerStarted, entry(),
			"Ada が ACME - Website Fix login bug を開始しました."},
		{"ja start, project without client", "ja", clockify.NewTimerStarted, entry(noClient),
			"Ada が Website Fix login bug を開始しました."},
		{"ja start, no project", "ja", clockify.NewTimerStarted, entry(noProject),
			"Ada が Fix login bug を開始しました."},
		{"ja start, empty description", "ja", clockify.NewTimerStarted, entry(noDescription),
			"Ada が ACME - Website を開始しました."},
		{"ja start, nothing at all", "ja", clockify.NewTimerStarted, entry(noProject, noDescription),
			"Ada がタイマーを開始しました."},
		{"ja start, no user", "ja", clockify.NewTimerStarted, entry(noUser),
			"不明なユーザー が ACME - Website Fix login bug を開始しました."},
		{"ja stop", "ja", clockify.TimerStopped, entry(stopped("PT1H30M")),
			"Ada が ACME - Website Fix login bug を終了しました (1時間30分). お疲れ様でした."},
		{"ja stop over 24 hours", "ja", clockify.TimerStopped, entry(stopped("PT47H12M45S")),
			"Ada が ACME - Website Fix login bug を終了しました (47時間12分45秒). お疲れ様でした."},
		{"ja stop, zero", "ja", clockify.TimerStopped, entry(stopped("PT0S"), noProject, noDescription),
			"Ada がタイマーを終了しました (0秒). お疲れ様でした."},
		{"ja stop, end without duration", "ja", clockify.TimerStopped, entry(endOnly),
			"Ada が ACME - Website Fix login bug を終了しました (2時間5秒). お疲れ様でした."},
		{"ja stop, no duration", "ja", clockify.TimerStopped, entry(),
			"Ada が ACME - Website Fix login bug を終了しました. お疲れ様でした."},
		{"en start", "en", clockify.NewTimerStarted, entry(),
			"Ada started ACME - Website Fix login bug."},
		{"en start, nothing at all", "en", clockify.NewTimerStarted, entry(noProject, noDescription, noUser),
			"Someone started a timer."},
		{"en start, project without client", "en", clockify.NewTimerStarted, entry(noClient, noDescription),
			"Ada started Website."},
		{"en stop", "en", clockify.TimerStopped, entry(stopped("PT1H30M")),
			"Ada stopped ACME - Website Fix login bug after 1h 30m. Nice work!"},
		{"en stop over 24 hours", "en", clockify.TimerStopped, entry(stopped("PT47H12M45S"), noProject),
			"Ada stopped Fix login bug after 47h 12m 45s. Nice work!"},
		{"en stop, seconds only", "en", clockify.TimerStopped, entry(stopped("PT42S"), noDescription),
			"Ada stopped ACME - Website after 42s. Nice work!"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			lang, err := message.LanguageFor(tt.lang)
			if err != nil {
				t.Fatal(err)
			}
			msg := message.Format(clockify.Event{Type: tt.event, Entry: tt.entry}, lang, message.StyleText)
			if msg.Content != tt.want {
				t.Errorf("content\n got %q\nwant %q", msg.Content, tt.want)
			}
			for _, bad := range []string{"undefined", "null", "  ", " - ", "<nil>"} {
				if bad == " - " && strings.Contains(tt.want, " - ") {
					continue
				}
				if strings.Contains(msg.Content, bad) {
					t.Errorf("content %q contains %q", msg.Content, bad)
				}
			}
		})
	}
}

// TestLine: a listed event reads as the seed's sentence after its icon,
// escaped as the text style is.
func TestLine(t *testing.T) {
	ja, _ := message.LanguageFor("ja")
	en, _ := message.LanguageFor("en")
	for _, c := range []struct {
		lang      message.Language
		ev        clockify.Event
		line, tag string
	}{
		{ja, clockify.Event{Type: clockify.NewTimerStarted, Entry: entry()}, "▶️ Ada が ACME - Website Fix login bug を開始しました.", "▶️"},
		{en, clockify.Event{Type: clockify.TimerStopped, Entry: entry(stopped("PT1H30M"))}, "⏹️ Ada stopped ACME - Website Fix login bug after 1h 30m. Nice work!", "⏹️"},
		{en, clockify.Event{Type: clockify.NewTimerStarted, Entry: entry(func(e *clockify.TimeEntry) { e.Description = "*x* <@1>" })}, "▶️ Ada started ACME - Website \\*x\\* \\<@\u200b1>.", "▶️"},
	} {
		line, tag := message.Line(c.ev, c.lang)
		if line != c.line || tag != c.tag {
			t.Errorf("got %q, %q\nwant %q, %q", line, tag, c.line, c.tag)
		}
	}
}

func TestTextEscapesClockifyText(t *testing.T) {
	lang, _ := message.LanguageFor("en")
	e := entry(func(e *clockify.TimeEntry) {
		e.User.Name = "@everyone"
		e.Description = "**bold** [click](https://evil.example) <@123>"
		e.Project.Name = "_x_"
		e.Project.ClientName = ""
	})
	got := message.Format(clockify.Event{Type: clockify.NewTimerStarted, Entry: e}, lang, message.StyleText).Content
	want := "@\u200beveryone started \\_x\\_ \\*\\*bold\\*\\* \\[click\\](https://evil.example) \\<@\u200b123>."
	if got != want {
		t.Errorf("content\n got %q\nwant %q", got, want)
	}
}

func TestLanguageFor(t *testing.T) {
	for _, code := range []string{"ja", "en", " EN "} {
		if _, err := message.LanguageFor(code); err != nil {
			t.Errorf("LanguageFor(%q): %v", code, err)
		}
	}
	_, err := message.LanguageFor("fr")
	if err == nil || !strings.Contains(err.Error(), "en, ja") {
		t.Errorf("LanguageFor(fr) err = %v, want one listing en, ja", err)
	}
}

// TestEveryEventIsWorded: every event of the table has wording in every
// language, with and without a subject and a duration, and an icon.
func TestEveryEventIsWorded(t *testing.T) {
	for _, code := range []string{"ja", "en"} {
		lang, _ := message.LanguageFor(code)
		for _, ev := range clockify.Relayed {
			for _, what := range []string{"", "ACME - Website"} {
				for _, took := range []string{"", "1h"} {
					if lang.Sentence(ev, "Ada", what, took) == "" {
						t.Errorf("%s: no wording for %s (what %q, took %q)", code, ev, what, took)
					}
				}
			}
		}
	}
}

// TestProjectLineStaysClear: when a name holds " - ", the client and the
// project are set apart with " › ".
func TestProjectLineStaysClear(t *testing.T) {
	en, _ := message.LanguageFor("en")
	ev := clockify.Event{Type: clockify.NewTimerStarted, Entry: clockify.TimeEntry{
		User: &clockify.User{Name: "Ada"}, Project: &clockify.Project{Name: "000-000 - Overhead", ClientName: "ACME - Hill Plain"},
	}}
	if got := message.Format(ev, en, message.StyleText).Content; got != "Ada started ACME - Hill Plain › 000-000 - Overhead." {
		t.Errorf("got %q", got)
	}
	ev.Entry.Project = &clockify.Project{Name: "Website", ClientName: "ACME"}
	if got := message.Format(ev, en, message.StyleText).Content; got != "Ada started ACME - Website." {
		t.Errorf("got %q", got)
	}
}

// TestDigestTitleOfAWindow: a daily digest from one DIGEST_TIME to the
// next says both ends; one from midnight to midnight, its date.
func TestDigestTitleOfAWindow(t *testing.T) {
	tokyo, _ := time.LoadLocation("Asia/Tokyo")
	window := summary.Between(time.Date(2026, 11, 26, 18, 0, 0, 0, tokyo), time.Date(2026, 11, 27, 18, 0, 0, 0, tokyo))
	day := summary.Between(time.Date(2026, 11, 26, 0, 0, 0, 0, tokyo), time.Date(2026, 11, 27, 0, 0, 0, 0, tokyo))
	en, _ := message.LanguageFor("en")
	ja, _ := message.LanguageFor("ja")
	for _, c := range []struct {
		lang message.Language
		p    summary.Period
		want string
	}{
		{en, window, "Daily digest, Thu 26 Nov 18:00 – Fri 27 Nov 2026 18:00"},
		{ja, window, "日次ダイジェスト 11月26日(木) 18:00〜11月27日(金) 18:00"},
		{en, day, "Daily digest, Thursday 26 November 2026"},
		{ja, day, "日次ダイジェスト 2026年11月26日(木)"},
	} {
		if got := c.lang.Digest.Title(c.p, tokyo); got != c.want {
			t.Errorf("%q, want %q", got, c.want)
		}
	}
}
