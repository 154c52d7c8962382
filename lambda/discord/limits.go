package discord

import "unicode/utf8"

// Discord's limits on a message, counted in Unicode code points as Discord
// counts them (discord-api-docs#1315).
// https://discord.com/developers/docs/resources/webhook#execute-webhook
// https://discord.com/developers/docs/resources/message#embed-object-embed-limits
const (
	MaxContentRunes     = 2000
	MaxEmbeds           = 10
	MaxTitleRunes       = 256
	MaxDescriptionRunes = 4096
	MaxFields           = 25
	MaxFieldNameRunes   = 256
	MaxFieldValueRunes  = 1024
	MaxFooterRunes      = 2048
	MaxAuthorNameRunes  = 256
	// MaxEmbedsTotalRunes is the sum of titles, descriptions, field names and
	// values, footers and author names across all embeds of a message.
	MaxEmbedsTotalRunes = 6000
)

const ellipsis = "…"

// Truncate cuts s to at most n runes, ending with an ellipsis when cut.
func Truncate(s string, n int) string {
	if n <= 0 {
		return ""
	}
	if len(s) <= n || utf8.RuneCountInString(s) <= n {
		return s
	}
	i, kept := 0, 0
	for kept < n-1 {
		_, size := utf8.DecodeRuneInString(s[i:])
		i += size
		kept++
	}
	return s[:i] + ellipsis
}

// Fit cuts m to Discord's limits, so that Discord never refuses it for size.
func (m *Message) Fit() {
	m.Content = Truncate(m.Content, MaxContentRunes)
	if len(m.Embeds) > MaxEmbeds {
		m.Embeds = m.Embeds[:MaxEmbeds]
	}
	for i := range m.Embeds {
		m.Embeds[i].fit()
	}
	m.fitEmbedsTotal()
}

func (e *Embed) fit() {
	e.Title = Truncate(e.Title, MaxTitleRunes)
	e.Description = Truncate(e.Description, MaxDescriptionRunes)
	if e.Author != nil {
		e.Author.Name = Truncate(e.Author.Name, MaxAuthorNameRunes)
	}
	if e.Footer != nil {
		e.Footer.Text = Truncate(e.Footer.Text, MaxFooterRunes)
	}
	if len(e.Fields) > MaxFields {
		e.Fields = e.Fields[:MaxFields]
	}
	for i := range e.Fields {
		e.Fields[i].Name = Truncate(e.Fields[i].Name, MaxFieldNameRunes)
		e.Fields[i].Value = Truncate(e.Fields[i].Value, MaxFieldValueRunes)
	}
}

// EmbedRunes counts what MaxEmbedsTotalRunes limits: the texts of all
// embeds.
func (m Message) EmbedRunes() int {
	n := 0
	for _, t := range m.embedTexts() {
		n += utf8.RuneCountInString(*t)
	}
	return n
}

// fitEmbedsTotal shortens the longest texts until all embeds together are
// within MaxEmbedsTotalRunes: descriptions first, then field values from the
// last, then the rest. Each text keeps at least one rune.
func (m *Message) fitEmbedsTotal() {
	texts := m.embedTexts()
	excess := -MaxEmbedsTotalRunes
	for _, t := range texts {
		excess += utf8.RuneCountInString(*t)
	}
	for _, t := range texts {
		if excess <= 0 {
			return
		}
		n := utf8.RuneCountInString(*t)
		if n <= 1 {
			continue
		}
		keep := max(n-excess, 2) // one rune and the ellipsis
		if keep >= n {
			continue
		}
		*t = Truncate(*t, keep)
		excess -= n - keep
	}
}

// embedTexts lists every counted text, in the order they are given up.
func (m *Message) embedTexts() []*string {
	var texts []*string
	for i := range m.Embeds {
		texts = append(texts, &m.Embeds[i].Description)
	}
	for i := range m.Embeds {
		f := m.Embeds[i].Fields
		for j := len(f) - 1; j >= 0; j-- {
			texts = append(texts, &f[j].Value)
		}
	}
	for i := range m.Embeds {
		e := &m.Embeds[i]
		if e.Footer != nil {
			texts = append(texts, &e.Footer.Text)
		}
		for j := range e.Fields {
			texts = append(texts, &e.Fields[j].Name)
		}
		texts = append(texts, &e.Title)
		if e.Author != nil {
			texts = append(texts, &e.Author.Name)
		}
	}
	return texts
}
