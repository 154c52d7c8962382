package message

import (
	"fmt"
	"strings"
	"time"

	"clockify-discord-relay/lambda/clockify"
	"clockify-discord-relay/lambda/discord"
)

// Style is how a message looks.
type Style string

// The styles MESSAGE_STYLE can choose.
const (
	// StyleEmbed is a short content line, for push notifications, over an
	// embed with the details.
	StyleEmbed Style = "embed"
	// StyleText is the seed article's single line.
	StyleText Style = "text"
)

// ParseStyle reads MESSAGE_STYLE; "" is the default, embed.
func ParseStyle(s string) (Style, error) {
	switch st := Style(strings.ToLower(strings.TrimSpace(s))); st {
	case "", StyleEmbed:
		return StyleEmbed, nil
	case StyleText:
		return StyleText, nil
	}
	return "", fmt.Errorf("unknown message style %q (choose embed or text)", s)
}

// Format is the Discord message for ev.
func Format(ev clockify.Event, lang Language, style Style) discord.Message {
	if style == StyleText {
		return text(ev, lang)
	}
	return embed(ev, lang)
}

// text is the one-line message of the seed article, for example
// "Alice が ACME - Website Fix login を開始しました."
func text(ev clockify.Event, lang Language) discord.Message {
	e := ev.Entry
	what := joinNonEmpty(" ", projectLine(e), escapedDescription(e))
	return discord.Message{Content: lang.Sentence(ev.Type, who(e, lang), withBreak(e, lang, what), took(e, lang))}
}

// Line is the event in one line, for a list of many: its icon, then the
// seed article's sentence. The icon is also what it counts as in the
// list's summary.
func Line(ev clockify.Event, lang Language) (line, icon string) {
	icon = iconOf(ev.Type)
	return icon + " " + text(ev, lang).Content, icon
}

// who is the user's name, escaped, or the language's word for an unknown
// user.
func who(e clockify.TimeEntry, lang Language) string {
	if name := userName(e); name != "" {
		return discord.Escape(name)
	}
	return lang.UnknownUser
}

func userName(e clockify.TimeEntry) string {
	if e.User == nil {
		return ""
	}
	return strings.TrimSpace(e.User.Name)
}

// projectLine is "Client - Project" as the seed writes it, or the project
// alone, escaped; "" without a project.
func projectLine(e clockify.TimeEntry) string {
	if e.Project == nil {
		return ""
	}
	return ClientProject(e.Project.ClientName, e.Project.Name)
}

// ClientProject is "Client - Project", escaped. "ACME - Hill Plain -
// 000-000" would not say where the client ends: names that hold the seed's
// " - " are set apart with " › ".
func ClientProject(client, project string) string {
	return joinProject(client, project, discord.Escape)
}

// ProjectName is "Client - Project" as messages show it, unescaped: for
// the digest's chart, which is an image.
func ProjectName(client, project string) string {
	return joinProject(client, project, func(s string) string { return s })
}

func joinProject(client, project string, escape func(string) string) string {
	client, project = strings.TrimSpace(client), strings.TrimSpace(project)
	switch {
	case project == "":
		return ""
	case client == "":
		return escape(project)
	}
	sep := " - "
	if strings.Contains(client, sep) || strings.Contains(project, sep) {
		sep = " › "
	}
	return escape(client) + sep + escape(project)
}

// escapedDescription is the description on one line, escaped.
func escapedDescription(e clockify.TimeEntry) string {
	return discord.Escape(strings.Join(strings.Fields(e.Description), " "))
}

// withBreak names a break as such: "休憩", or "休憩 (Lunch)".
func withBreak(e clockify.TimeEntry, lang Language, what string) string {
	if e.Type != clockify.EntryBreak {
		return what
	}
	if what == "" {
		return lang.Break
	}
	return lang.Break + " (" + what + ")"
}

// took is how long the entry lasted: Clockify's duration, or end less start
// when the duration is missing; "" while the timer runs.
func took(e clockify.TimeEntry, lang Language) string {
	d, ok := duration(e)
	if !ok {
		return ""
	}
	return lang.Duration(d.Clock())
}

// duration is never negative nor past clockify.MaxDuration: such an entry
// shows no duration rather than a wrong one.
func duration(e clockify.TimeEntry) (clockify.Duration, bool) {
	var d time.Duration
	switch t := e.TimeInterval; {
	case t.Duration != nil:
		d = time.Duration(*t.Duration)
	case t.End != nil:
		d = t.End.Sub(t.Start)
	default:
		return 0, false
	}
	if d < 0 || d > clockify.MaxDuration {
		return 0, false
	}
	return clockify.Duration(d), true
}

func joinNonEmpty(sep string, parts ...string) string {
	out := parts[:0:0]
	for _, p := range parts {
		if p != "" {
			out = append(out, p)
		}
	}
	return strings.Join(out, sep)
}
