package discord_test

import (
	"strings"
	"testing"
	"unicode/utf8"

	"clockify-discord-relay/lambda/discord"
)

func TestTruncate(t *testing.T) {
	tests := []struct {
		in   string
		n    int
		want string
	}{
		{"hello", 5, "hello"},
		{"hello!", 5, "hell…"},
		{"こんにちは世界", 7, "こんにちは世界"},
		{"こんにちは世界", 4, "こんに…"},
		{"👍👍👍", 2, "👍…"},
		{"abc", 1, "…"},
		{"abc", 0, ""},
	}
	for _, tt := range tests {
		if got := discord.Truncate(tt.in, tt.n); got != tt.want {
			t.Errorf("Truncate(%q, %d) = %q, want %q", tt.in, tt.n, got, tt.want)
		}
	}
}

func TestFitCutsEveryFieldByRunes(t *testing.T) {
	long := strings.Repeat("あ", 5000)
	m := discord.Message{
		Content: long,
		Embeds: []discord.Embed{{
			Title:       long,
			Description: long,
			Author:      &discord.EmbedAuthor{Name: long},
			Footer:      &discord.EmbedFooter{Text: long},
			Fields:      make([]discord.EmbedField, 30),
		}},
	}
	for i := range m.Embeds[0].Fields {
		m.Embeds[0].Fields[i] = discord.EmbedField{Name: long, Value: long}
	}
	m.Fit()
	runes := utf8.RuneCountInString
	if n := runes(m.Content); n != discord.MaxContentRunes {
		t.Errorf("content has %d runes", n)
	}
	if !strings.HasSuffix(m.Content, "…") {
		t.Errorf("a cut content must end with an ellipsis")
	}
	e := m.Embeds[0]
	if runes(e.Title) > discord.MaxTitleRunes || runes(e.Author.Name) > discord.MaxAuthorNameRunes ||
		runes(e.Footer.Text) > discord.MaxFooterRunes || runes(e.Description) > discord.MaxDescriptionRunes {
		t.Errorf("a field is over its limit")
	}
	if len(e.Fields) != discord.MaxFields {
		t.Errorf("%d fields, want %d", len(e.Fields), discord.MaxFields)
	}
	if total := embedTotal(m); total > discord.MaxEmbedsTotalRunes {
		t.Errorf("embeds total %d runes, over %d", total, discord.MaxEmbedsTotalRunes)
	}
	for _, f := range e.Fields {
		if f.Name == "" || f.Value == "" {
			t.Fatalf("a field was emptied: %+v", f)
		}
	}
}

func TestFitKeepsShortMessages(t *testing.T) {
	m := discord.Message{Content: "hi", Embeds: []discord.Embed{{Title: "t", Fields: []discord.EmbedField{{Name: "n", Value: "v"}}}}}
	m.Fit()
	if m.Content != "hi" || m.Embeds[0].Title != "t" || m.Embeds[0].Fields[0].Value != "v" {
		t.Errorf("Fit changed a short message: %+v", m)
	}
}

func TestFitDropsEmbedsOverTen(t *testing.T) {
	m := discord.Message{Embeds: make([]discord.Embed, 12)}
	m.Fit()
	if len(m.Embeds) != discord.MaxEmbeds {
		t.Errorf("%d embeds", len(m.Embeds))
	}
}

func embedTotal(m discord.Message) int {
	total := 0
	for _, e := range m.Embeds {
		total += utf8.RuneCountInString(e.Title) + utf8.RuneCountInString(e.Description)
		for _, f := range e.Fields {
			total += utf8.RuneCountInString(f.Name) + utf8.RuneCountInString(f.Value)
		}
		if e.Footer != nil {
			total += utf8.RuneCountInString(e.Footer.Text)
		}
		if e.Author != nil {
			total += utf8.RuneCountInString(e.Author.Name)
		}
	}
	return total
}

// TestFitAtEachLimit: each of Discord's limits, one unit under it (kept
// whole) and one over (cut to it) (issue 24).
func TestFitAtEachLimit(t *testing.T) {
	runes := utf8.RuneCountInString
	for _, n := range []int{discord.MaxContentRunes, discord.MaxContentRunes + 1} {
		m := discord.Message{Content: strings.Repeat("x", n)}
		m.Fit()
		if got := runes(m.Content); got != min(n, discord.MaxContentRunes) || (n > discord.MaxContentRunes) != strings.HasSuffix(m.Content, "…") {
			t.Errorf("content of %d: %d runes", n, got)
		}
	}
	for _, n := range []int{discord.MaxTitleRunes, discord.MaxTitleRunes + 1} {
		m := discord.Message{Embeds: []discord.Embed{{Title: strings.Repeat("x", n)}}}
		m.Fit()
		if got := runes(m.Embeds[0].Title); got != min(n, discord.MaxTitleRunes) {
			t.Errorf("title of %d: %d runes", n, got)
		}
	}
	for _, n := range []int{discord.MaxFields, discord.MaxFields + 1} {
		m := discord.Message{Embeds: []discord.Embed{{Fields: make([]discord.EmbedField, n)}}}
		for i := range m.Embeds[0].Fields {
			m.Embeds[0].Fields[i] = discord.EmbedField{Name: "n", Value: "v"}
		}
		m.Fit()
		if got := len(m.Embeds[0].Fields); got != min(n, discord.MaxFields) {
			t.Errorf("%d fields: %d kept", n, got)
		}
	}
	for _, n := range []int{discord.MaxEmbeds, discord.MaxEmbeds + 1} {
		m := discord.Message{Embeds: make([]discord.Embed, n)}
		m.Fit()
		if got := len(m.Embeds); got != min(n, discord.MaxEmbeds) {
			t.Errorf("%d embeds: %d kept", n, got)
		}
	}
	for _, n := range []int{discord.MaxEmbedsTotalRunes, discord.MaxEmbedsTotalRunes + 1} {
		// Two embeds whose descriptions add up to n.
		m := discord.Message{Embeds: []discord.Embed{{Description: strings.Repeat("x", 3000)}, {Description: strings.Repeat("y", n-3000)}}}
		m.Fit()
		if got := embedTotal(m); got != min(n, discord.MaxEmbedsTotalRunes) {
			t.Errorf("embeds of %d runes in all: %d kept", n, got)
		}
	}
}
