package message

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"clockify-discord-relay/lambda/clockify"
	"clockify-discord-relay/lambda/summary"
)

// Language is all the wording of one language. Texts handed to it are
// already escaped for Discord.
type Language struct {
	Code string
	// UnknownUser names the user when Clockify sends none.
	UnknownUser string
	// Break names a break entry as the object of a sentence.
	Break string
	// Sentence says what happened. what may be "" (no project, client or
	// description); took is "" when the entry has no duration.
	Sentence func(event clockify.EventType, who, what, took string) string
	// Duration writes a length of time; hours pass 24.
	Duration func(hours, minutes, seconds int64) string
	// Fields names the embed's fields.
	Fields FieldNames
	// Board is the "Working now" board's wording.
	Board BoardWords
	// Digest is the daily or weekly digest's wording.
	Digest DigestWords
	// Reminder nudges the owner of a timer left running: who, on what
	// (may be ""), and for how long.
	Reminder func(who, what, ran string) string
}

// BoardWords are the board's title, its text when nobody works, and the
// line that counts the timers left out when the board is full.
type BoardWords struct {
	Title, Empty string
	More         func(n int) string
}

// FieldNames are the names of the embed fields.
type FieldNames struct {
	Description, Project, Client, Task, Tags, Duration, Start, End string
	// Session labels the link to the message that announced the start.
	Session string
}

// languages are the ones MESSAGE_LANGUAGE can choose.
var languages = map[string]Language{
	japanese.Code: japanese,
	english.Code:  english,
}

// DefaultLanguage is the seed article's.
const DefaultLanguage = "ja"

// LanguageFor returns the language with the given code, or an error that
// lists the ones there are.
func LanguageFor(code string) (Language, error) {
	if l, ok := languages[strings.ToLower(strings.TrimSpace(code))]; ok {
		return l, nil
	}
	codes := make([]string, 0, len(languages))
	for c := range languages {
		codes = append(codes, c)
	}
	sort.Strings(codes)
	return Language{}, fmt.Errorf("unknown message language %q (choose one of %s)", code, strings.Join(codes, ", "))
}

// clock writes hours, minutes and seconds with a language's units, leaving
// out the parts that are zero; 0 is written in seconds.
func clock(h, m, s int64, units [3]string, sep string) string {
	var parts []string
	for i, n := range [3]int64{h, m, s} {
		if n > 0 || (i == 2 && len(parts) == 0) {
			parts = append(parts, strconv.FormatInt(n, 10)+units[i])
		}
	}
	return strings.Join(parts, sep)
}

// DigestWords are the digest's wording.
type DigestWords struct {
	// Title names the period (the message puts an icon before it); the
	// dates are in loc.
	Title func(p summary.Period, loc *time.Location) string
	// Totals is the first line: the total, the billable share, how many
	// entries, and how many of them are still running.
	Totals    func(total string, billablePercent, entries, running int) string
	ByProject string
	NoProject string
	Other     string // the rest of a user's projects
	Running   string // marks a user whose timer runs
	// Footer explains the running mark, and names the time zone.
	Footer func(zone string) string
	// HoursTitle titles /hours' answer: the same figures, asked for.
	HoursTitle func(p summary.Period, loc *time.Location) string
}
