package discord

import "strings"

// Escape makes text from outside (names, descriptions) show as written:
// Discord markdown is escaped so it cannot forge formatting or masked links,
// and mentions (@everyone, @here, <@id>, <@&id>, <#id>) are broken so they do
// not render as mentions.
func Escape(s string) string {
	if !strings.ContainsAny(s, escapedAnywhere+lineStarts+"@0123456789") {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 8)
	lineStart := true
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '@':
			b.WriteString("@\u200b") // a zero-width space breaks @everyone and @here
		case strings.IndexByte(escapedAnywhere, c) >= 0:
			b.WriteByte('\\')
			b.WriteByte(c)
		case lineStart && strings.IndexByte(lineStarts, c) >= 0:
			b.WriteByte('\\')
			b.WriteByte(c)
		case lineStart && c >= '0' && c <= '9':
			// "1. item" starts a list; escape its dot.
			j := i
			for j < len(s) && s[j] >= '0' && s[j] <= '9' {
				j++
			}
			b.WriteString(s[i:j])
			if j < len(s) && s[j] == '.' {
				b.WriteString(`\.`)
				j++
			}
			i = j - 1
		default:
			b.WriteByte(c)
		}
		switch c {
		case '\n':
			lineStart = true
		case ' ', '\t':
			// leading blanks keep the line start
		default:
			lineStart = false
		}
	}
	return b.String()
}

// BreakMentions breaks mentions only, for texts Discord shows without
// markdown (embed authors and footers), where a backslash would show.
func BreakMentions(s string) string {
	return strings.ReplaceAll(s, "@", "@\u200b")
}

const (
	// Markdown that works anywhere in a line, and '<', which opens mentions,
	// timestamps and custom emoji.
	escapedAnywhere = "\\*_~`|[]<"
	// Markdown that works only at the start of a line: headings, lists, quotes.
	lineStarts = "#->+"
)
