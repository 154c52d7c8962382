package message

import (
	"time"

	"clockify-discord-relay/lambda/clockify"
	"clockify-discord-relay/lambda/discord"
	"clockify-discord-relay/lambda/state"
)

// Reminder is the nudge for a timer that has run since s.Start: "⏰ Ada's
// timer has been running for 11h 5m (ACME - Website). Forgot to stop it?"
func Reminder(s state.Session, lang Language, now time.Time) discord.Message {
	who := lang.UnknownUser
	if s.User != "" {
		who = discord.Escape(discord.Truncate(s.User, maxNameRunes))
	}
	what := ClientProject(discord.Truncate(s.Client, maxNameRunes), discord.Truncate(s.Project, maxNameRunes))
	if what == "" {
		what = discord.Escape(discord.Truncate(s.Description, 100))
	}
	h, m, _ := clockify.Duration(now.Sub(s.Start).Truncate(time.Minute)).Clock()
	return discord.Message{Content: lang.Reminder(who, what, lang.Duration(h, m, 0))}
}
