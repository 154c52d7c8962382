package message

import (
	"strconv"
	"strings"
	"time"

	"clockify-discord-relay/lambda/clockify"
	"clockify-discord-relay/lambda/discord"
)

// neutralColor colors entries without a project (Material blue grey).
const neutralColor = 0x607D8B

const breakIcon = "☕"

// embed is a short content line over an embed: the sentence as its title,
// the user as its author, the project's color, and a field for each detail
// Clockify sent.
func embed(ev clockify.Event, lang Language) discord.Message {
	e := ev.Entry
	whoText, project, took := who(e, lang), projectLine(e), took(e, lang)
	subject := project
	if subject == "" {
		subject = escapedDescription(e)
	}

	icon := iconOf(ev.Type)
	if e.Type == clockify.EntryBreak {
		icon = breakIcon
	}
	em := discord.Embed{
		Title:     lang.Sentence(ev.Type, whoText, withBreak(e, lang, subject), ""),
		Color:     color(e.Project),
		Timestamp: timestamp(e.TimeInterval),
		Fields:    fields(e, lang, took),
	}
	if name := userName(e); name != "" {
		em.Author = &discord.EmbedAuthor{Name: discord.BreakMentions(name)} // shown without markdown
	}
	return discord.Message{
		Content: joinNonEmpty(" · ", icon+" "+whoText, project, took),
		Embeds:  []discord.Embed{em},
	}
}

// fields lists what Clockify sent, each only when present.
func fields(e clockify.TimeEntry, lang Language, took string) []discord.EmbedField {
	names := lang.Fields
	var out []discord.EmbedField
	add := func(name, value string, inline bool) {
		if value != "" {
			out = append(out, discord.EmbedField{Name: name, Value: value, Inline: inline})
		}
	}
	add(names.Description, discord.Escape(strings.TrimSpace(e.Description)), false)
	if p := e.Project; p != nil {
		add(names.Project, discord.Escape(strings.TrimSpace(p.Name)), true)
		add(names.Client, discord.Escape(strings.TrimSpace(p.ClientName)), true)
	}
	if e.Task != nil {
		add(names.Task, discord.Escape(strings.TrimSpace(e.Task.Name)), true)
	}
	add(names.Tags, tagList(e.Tags), true)
	add(names.Duration, took, true)
	add(names.Start, discordTime(e.TimeInterval.Start), true)
	if end := e.TimeInterval.End; end != nil {
		add(names.End, discordTime(*end), true)
	}
	return out
}

func tagList(tags []clockify.Tag) string {
	var names []string
	for _, t := range tags {
		if n := strings.TrimSpace(t.Name); n != "" {
			names = append(names, discord.Escape(n))
		}
	}
	return strings.Join(names, ", ")
}

// discordTime is Discord's timestamp markup, which each reader sees in
// their own time zone.
func discordTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return "<t:" + strconv.FormatInt(t.Unix(), 10) + ":f>"
}

// timestamp is when the entry ended, or started while it runs.
func timestamp(iv clockify.TimeInterval) string {
	t := iv.Start
	if iv.End != nil {
		t = *iv.End
	}
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339)
}

// color reads the project's "#RRGGBB".
func color(p *clockify.Project) int {
	if p == nil {
		return neutralColor
	}
	hex := strings.TrimPrefix(strings.TrimSpace(p.Color), "#")
	if len(hex) != 6 {
		return neutralColor
	}
	v, err := strconv.ParseUint(hex, 16, 32)
	if err != nil {
		return neutralColor
	}
	return int(v)
}
