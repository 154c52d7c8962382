package message_test

import (
	"strings"
	"testing"
	"time"

	"clockify-discord-relay/lambda/clockify"
	"clockify-discord-relay/lambda/message"
)

func TestDurationWording(t *testing.T) {
	tests := []struct{ iso, ja, en string }{
		{"PT0S", "0秒", "0s"},
		{"PT42S", "42秒", "42s"},
		{"PT5M", "5分", "5m"},
		{"PT1H", "1時間", "1h"},
		{"PT1H30M", "1時間30分", "1h 30m"},
		{"PT1H0M5S", "1時間5秒", "1h 5s"},
		{"PT11H48M", "11時間48分", "11h 48m"},
		{"PT24H", "24時間", "24h"},
		{"PT47H12M45S", "47時間12分45秒", "47h 12m 45s"},
		{"P2DT3H", "51時間", "51h"},
	}
	ja, _ := message.LanguageFor("ja")
	en, _ := message.LanguageFor("en")
	for _, tt := range tests {
		d, err := clockify.ParseDuration(tt.iso)
		if err != nil {
			t.Fatal(err)
		}
		if got := ja.Duration(d.Clock()); got != tt.ja {
			t.Errorf("ja %s = %q, want %q", tt.iso, got, tt.ja)
		}
		if got := en.Duration(d.Clock()); got != tt.en {
			t.Errorf("en %s = %q, want %q", tt.iso, got, tt.en)
		}
	}
}

func TestParseStyle(t *testing.T) {
	for in, want := range map[string]message.Style{"": message.StyleEmbed, "embed": message.StyleEmbed, " TEXT ": message.StyleText} {
		if got, err := message.ParseStyle(in); err != nil || got != want {
			t.Errorf("ParseStyle(%q) = %q, %v", in, got, err)
		}
	}
	if _, err := message.ParseStyle("html"); err == nil {
		t.Error("ParseStyle accepted html")
	}
}

// TestNoNegativeOrAbsurdDuration: an end before the start, or past the
// longest duration, shows no duration at all.
func TestNoNegativeOrAbsurdDuration(t *testing.T) {
	en, _ := message.LanguageFor("en")
	start := time.Date(2026, 11, 27, 9, 0, 0, 0, time.UTC)
	for name, end := range map[string]time.Time{
		"end before start": start.Add(-55 * time.Second),
		"end in year 9999": time.Date(9999, 1, 1, 0, 0, 0, 0, time.UTC),
	} {
		ev := clockify.Event{Type: clockify.TimerStopped, Entry: clockify.TimeEntry{
			User: &clockify.User{Name: "Ada"}, TimeInterval: clockify.TimeInterval{Start: start, End: &end},
		}}
		got := message.Format(ev, en, message.StyleText).Content
		if strings.Contains(got, "-") || strings.Contains(got, "after") {
			t.Errorf("%s: %q", name, got)
		}
	}
}
