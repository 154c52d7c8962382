package clockify

import (
	"regexp"
	"strings"
	"unicode"
)

// A name is shown on one line among others (the board, reminders,
// digests, the chart). Control characters (a newline), line and
// paragraph separators, format characters (bidi controls turn the rest
// of a line around; zero-width ones hide text) and blank fillers could
// fake or hide the lines after it, so decoding drops them, or makes a
// line break a space. A zero-width joiner inside an emoji sequence stays,
// so that 👩‍💻 is not cut in two.
func cleanName(s string) string {
	if strings.IndexFunc(s, hidden) < 0 {
		return s
	}
	runes := []rune(s)
	var b strings.Builder
	b.Grow(len(s))
	for i, r := range runes {
		switch {
		case r == '\n' || r == '\r' || r == '\t' || unicode.In(r, unicode.Zl, unicode.Zp):
			b.WriteRune(' ')
		case r == zeroWidthJoiner && i > 0 && i+1 < len(runes) && inEmoji(runes[i-1]) && inEmoji(runes[i+1]):
			b.WriteRune(r)
		case !hidden(r):
			b.WriteRune(r)
		}
	}
	return b.String()
}

const zeroWidthJoiner = '\u200d'

// hidden reports a character that moves, hides or breaks text: a control
// character, a line or paragraph separator, a format character (Unicode
// category Cf: bidi controls, zero-width characters, the soft hyphen,
// tags), or a filler that shows as blank.
func hidden(r rune) bool {
	switch {
	case unicode.IsControl(r), unicode.In(r, unicode.Cf, unicode.Zl, unicode.Zp):
		return true
	case r == 0x115F, r == 0x1160, r == 0x3164, r == 0xFFA0, r == 0x2800:
		return true // Hangul fillers and the blank Braille pattern
	}
	return false
}

// inEmoji reports a character an emoji ZWJ sequence joins: a pictograph
// (category So), the emoji variation selector, or a skin tone.
func inEmoji(r rune) bool {
	return unicode.Is(unicode.So, r) && r != 0x2800 || r == 0xFE0F || r >= 0x1F3FB && r <= 0x1F3FF
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
