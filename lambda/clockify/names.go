package clockify

import (
	"regexp"
	"strings"
	"unicode"
)

// A name is shown on one line among others (the board, reminders,
// digests, the chart). Control characters (a newline), bidi controls
// (U+202E turns the rest of a line around) and zero-width characters
// could fake or hide the lines after it, so decoding drops them.
func cleanName(s string) string {
	if strings.IndexFunc(s, hidden) < 0 {
		return s
	}
	return strings.Map(func(r rune) rune {
		switch {
		case r == '\n' || r == '\r' || r == '\t':
			return ' '
		case hidden(r):
			return -1
		}
		return r
	}, s)
}

// hidden reports a character that moves, hides or breaks text: a control
// character, a bidi control, or one of zero width.
func hidden(r rune) bool {
	switch {
	case unicode.IsControl(r):
		return true
	case r >= 0x202A && r <= 0x202E, r >= 0x2066 && r <= 0x2069, r == 0x200E, r == 0x200F, r == 0x061C:
		return true // bidi embeddings, overrides, isolates and marks
	case r >= 0x200B && r <= 0x200D, r == 0x2060, r == 0xFEFF, r == 0x180E:
		return true // zero-width spaces and joiners
	}
	return false
}

var projectColor = regexp.MustCompile(`^#[0-9A-Fa-f]{6}$`)

// clean makes the entry's names safe to show, and keeps the project's
// color only when it is one ("#RRGGBB"): it is drawn and stored, and a
// long string there would bloat every job that carries it.
func (e *TimeEntry) clean() {
	if e.User != nil {
		e.User.Name = cleanName(e.User.Name)
	}
	if p := e.Project; p != nil {
		p.Name, p.ClientName = cleanName(p.Name), cleanName(p.ClientName)
		if !projectColor.MatchString(p.Color) {
			p.Color = ""
		}
	}
	if e.Task != nil {
		e.Task.Name = cleanName(e.Task.Name)
	}
	for i := range e.Tags {
		e.Tags[i].Name = cleanName(e.Tags[i].Name)
	}
	e.Description = cleanName(e.Description)
}
