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

// Defang breaks what Discord would turn into a link: a scheme's "://"
// and a bare "www." domain, with a zero-width space, so that the text
// still reads the same but links nowhere.
func Defang(s string) string {
	if !strings.Contains(s, "://") && !containsFold(s, "www.") {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 8)
	for i := 0; i < len(s); i++ {
		switch {
		case strings.HasPrefix(s[i:], "://") && i > 0 && isSchemeChar(s[i-1]):
			b.WriteString("\u200b://")
			i += 2
		case (i == 0 || !isSchemeChar(s[i-1])) && len(s)-i >= 4 && strings.EqualFold(s[i:i+4], "www."):
			b.WriteString(s[i:i+3] + "\u200b.")
			i += 3
		default:
			b.WriteByte(s[i])
		}
	}
	return b.String()
}

func isSchemeChar(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '+' || c == '-' || c == '.'
}

func containsFold(s, sub string) bool {
	return strings.Contains(strings.ToLower(s), sub)
}

// Defang breaks links in every text of the message (see Defang). The
// relay's own wording has none, so only what users typed changes.
func (m *Message) Defang() {
	m.Content = Defang(m.Content)
	for i := range m.Embeds {
		e := &m.Embeds[i]
		e.Title, e.Description = Defang(e.Title), Defang(e.Description)
		if e.Author != nil {
			e.Author = &EmbedAuthor{Name: Defang(e.Author.Name)}
		}
		if e.Footer != nil {
			e.Footer = &EmbedFooter{Text: Defang(e.Footer.Text)}
		}
		fields := make([]EmbedField, len(e.Fields))
		for j, f := range e.Fields {
			fields[j] = EmbedField{Name: Defang(f.Name), Value: Defang(f.Value), Inline: f.Inline}
		}
		e.Fields = fields
	}
}
