package clockify_test

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"clockify-discord-relay/lambda/clockify"
)

func TestDecodeTimeEntryNulls(t *testing.T) {
	// Absent and null nested objects, "" client and description, running timer.
	body := `{"id":"e1","description":"","timeInterval":{"start":"2025-06-16T07:05:00Z","end":null,"duration":null},
		"currentlyRunning":true,"project":null,"task":null,"tags":null}`
	e, err := clockify.DecodeTimeEntry([]byte(body))
	if err != nil {
		t.Fatalf("DecodeTimeEntry: %v", err)
	}
	if e.Project != nil || e.Task != nil || e.User != nil || e.TimeInterval.End != nil || e.TimeInterval.Duration != nil {
		t.Errorf("nulls were not kept as nil: %+v", e)
	}
	if got := e.InferredEventType(); got != clockify.NewTimerStarted {
		t.Errorf("InferredEventType = %s, want NEW_TIMER_STARTED", got)
	}
}

func TestDecodeTimeEntryRejects(t *testing.T) {
	tests := []struct {
		name, body, reason string
	}{
		{"empty", "", "empty body"},
		{"spaces", "  \n", "empty body"},
		{"array", `[{"id":"e1"}]`, "body is not a JSON object"},
		{"string", `"hello"`, "body is not a JSON object"},
		{"null", `null`, "body is not a JSON object"},
		{"not JSON", `{"id":`, "body is not valid JSON"},
		{"garbage after object", `{"id":"e1"} x`, "body is not valid JSON"},
		{"no id", `{"timeInterval":{"start":"2025-06-16T07:05:00Z"}}`, "time entry has no id"},
		{"an API Gateway event", `{"httpMethod":"POST","path":"/clockify","headers":{},"body":"{\"id\":\"e1\"}"}`,
			`this is an API Gateway event (as in events/), not Clockify's body: post its "body" with its headers, or use make send EVENT=<file>`},
		{"no start", `{"id":"e1","timeInterval":{}}`, "time entry has no timeInterval.start"},
		{"no interval", `{"id":"e1"}`, "time entry has no timeInterval.start"},
		{"user not object", `{"id":"e1","user":"ada","timeInterval":{"start":"2025-06-16T07:05:00Z"}}`, "field user has the wrong type"},
		{"description number", `{"id":"e1","description":5,"timeInterval":{"start":"2025-06-16T07:05:00Z"}}`, "field description has the wrong type"},
		{"bad duration", `{"id":"e1","timeInterval":{"start":"2025-06-16T07:05:00Z","duration":"1h30m"}}`, "timeInterval.duration is not an ISO 8601 duration"},
		{"bad start", `{"id":"e1","timeInterval":{"start":"yesterday"}}`, "timeInterval has a time that is not RFC 3339"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := clockify.DecodeTimeEntry([]byte(tt.body))
			var de *clockify.DecodeError
			if !errors.As(err, &de) {
				t.Fatalf("err = %v, want a *DecodeError", err)
			}
			if de.Reason != tt.reason {
				t.Errorf("reason = %q, want %q", de.Reason, tt.reason)
			}
		})
	}
}

func TestParseEventType(t *testing.T) {
	if got := clockify.ParseEventType(" timer_stopped \n"); got != clockify.TimerStopped {
		t.Errorf("ParseEventType = %q", got)
	}
	if got := clockify.ParseEventType(""); got != "" {
		t.Errorf("ParseEventType(\"\") = %q", got)
	}
}

// TestNamesCannotFakeLines: a newline, a bidi override or a zero-width
// character in a name would fake or hide lines of the board; a color
// that is not #RRGGBB is dropped.
func TestNamesCannotFakeLines(t *testing.T) {
	body := `{"id":"e1","description":"fix\nlogin","timeInterval":{"start":"2026-11-27T00:00:00Z"},
		"user":{"id":"u","name":"Ada\n**Bob** · 2 hours\u202e"},
		"project":{"id":"p","name":"Web\u200bsite","clientName":"AC\u2066ME","color":"` + strings.Repeat("#", 5000) + `"},
		"task":{"id":"t","name":"a\u0000b"},"tags":[{"id":"g","name":"x\u200dy"}]}`
	e, err := clockify.DecodeTimeEntry([]byte(body))
	if err != nil {
		t.Fatal(err)
	}
	got := []string{e.User.Name, e.Project.Name, e.Project.ClientName, e.Task.Name, e.Tags[0].Name, e.Description, e.Project.Color}
	want := []string{"Ada **Bob** · 2 hours", "Website", "ACME", "ab", "xy", "fix login", ""}
	if !slices.Equal(got, want) {
		t.Errorf("got %q\nwant %q", got, want)
	}
	e, _ = clockify.DecodeTimeEntry([]byte(`{"id":"e1","timeInterval":{"start":"2026-11-27T00:00:00Z"},"project":{"id":"p","color":"#03A9F4"}}`))
	if e.Project.Color != "#03A9F4" {
		t.Errorf("a good color was dropped: %q", e.Project.Color)
	}
}

// TestAHiddenCharacterFirstIsDropped: a name that starts with the
// character to drop is cleaned like any other.
func TestAHiddenCharacterFirstIsDropped(t *testing.T) {
	body := `{"id":"e1","description":"\nfix","timeInterval":{"start":"2026-11-27T00:00:00Z"},
		"user":{"id":"u","name":"\u202eAda"},"project":{"id":"p","name":"\u200bWeb","clientName":"\u2066ACME"},
		"task":{"id":"t","name":"\u0000a"},"tags":[{"id":"g","name":"\ufeffx"}]}`
	e, err := clockify.DecodeTimeEntry([]byte(body))
	if err != nil {
		t.Fatal(err)
	}
	got := []string{e.User.Name, e.Project.Name, e.Project.ClientName, e.Task.Name, e.Tags[0].Name, e.Description}
	want := []string{"Ada", "Web", "ACME", "a", "x", " fix"}
	if !slices.Equal(got, want) {
		t.Errorf("got %q\nwant %q", got, want)
	}
}

// TestNamesCleanByCategory: line and paragraph separators become
// spaces; every format character goes (U+206A–206F, U+FFF9–FFFB, tags,
// the soft hyphen), and the blank fillers; a ZWJ joining emoji stays.
func TestNamesCleanByCategory(t *testing.T) {
	for in, want := range map[string]string{
		"Ada\u2028**Bob** · 2h":       "Ada **Bob** · 2h",
		"Ada\u2029Bob":                "Ada Bob",
		"A\u206ada\u206f":             "Ada",
		"A\ufff9d\ufffba":             "Ada",
		"Ad\U000e0041\U000e007fa":     "Ada",
		"Ad\u00ada":                   "Ada",
		"\u3164":                      "",
		"\u115f\u1160Ada\uffa0\u2800": "Ada",
		"👩\u200d💻 Ada":                "👩\u200d💻 Ada",
		"🏳\ufe0f\u200d🌈":              "🏳\ufe0f\u200d🌈",
		"👋🏽\u200d":                    "👋🏽",
		"x\u200dy":                    "xy",
		"\u200d👩":                     "👩",
	} {
		e, err := clockify.DecodeTimeEntry([]byte(`{"id":"e1","timeInterval":{"start":"2026-11-27T00:00:00Z"},"user":{"id":"u","name":"` + in + `"}}`))
		if err != nil {
			t.Fatal(err)
		}
		if e.User.Name != want {
			t.Errorf("%+q: %+q, want %+q", in, e.User.Name, want)
		}
	}
}

func TestRelayed(t *testing.T) {
	for _, e := range []clockify.EventType{clockify.NewTimerStarted, clockify.TimerStopped, clockify.NewTimeEntry, clockify.TimeEntryUpdated, clockify.TimeEntryDeleted, clockify.TimeEntrySplit, clockify.TimeEntryRestored} {
		if !e.IsRelayed() {
			t.Errorf("%s must be relayed", e)
		}
	}
	if clockify.EventType("NEW_PROJECT").IsRelayed() {
		t.Error("NEW_PROJECT must not be relayed")
	}
}
