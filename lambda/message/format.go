package message

import (
	"strings"

	"clockify-discord-relay/lambda/clockify"
	"clockify-discord-relay/lambda/discord"
)

// Handles reports whether there is wording for the event.
func Handles(event clockify.EventType) bool {
	return event == clockify.NewTimerStarted || event == clockify.TimerStopped
}

// Text is the one-line message of the seed article, for example
// "Alice が ACME - Website Fix login を開始しました."
func Text(ev clockify.Event, lang Language) discord.Message {
	return discord.Message{Content: lang.Sentence(ev.Type, who(ev.Entry, lang), what(ev.Entry), took(ev.Entry, lang))}
}

// who is the user's name, or the language's word for an unknown user.
func who(e clockify.TimeEntry, lang Language) string {
	if e.User != nil {
		if name := strings.TrimSpace(e.User.Name); name != "" {
			return discord.Escape(name)
		}
	}
	return lang.UnknownUser
}

// what joins client, project and description as the seed does
// ("ACME - Website Fix login"), leaving out the parts that are missing.
func what(e clockify.TimeEntry) string {
	var parts []string
	if p := e.Project; p != nil {
		client, project := strings.TrimSpace(p.ClientName), strings.TrimSpace(p.Name)
		switch {
		case client != "" && project != "":
			parts = append(parts, discord.Escape(client)+" - "+discord.Escape(project))
		case project != "":
			parts = append(parts, discord.Escape(project))
		}
	}
	if d := strings.Join(strings.Fields(e.Description), " "); d != "" {
		parts = append(parts, discord.Escape(d))
	}
	return strings.Join(parts, " ")
}

// took is how long the entry lasted: Clockify's duration, or end less start
// when the duration is missing; "" while the timer runs.
func took(e clockify.TimeEntry, lang Language) string {
	var d clockify.Duration
	switch t := e.TimeInterval; {
	case t.Duration != nil:
		d = *t.Duration
	case t.End != nil && !t.End.Before(t.Start):
		d = clockify.Duration(t.End.Sub(t.Start))
	default:
		return ""
	}
	return lang.Duration(d.Clock())
}
