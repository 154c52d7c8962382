package message

import (
	"strconv"
	"strings"
	"unicode/utf8"

	"clockify-discord-relay/lambda/discord"
	"clockify-discord-relay/lambda/state"
)

// boardColor is the board's embed color (Material green).
const boardColor = 0x43A047

// maxNameRunes bounds a user's, client's or project's name on a line
// among others (the board, reminders), so one long name cannot push the
// lines after it out of the message.
const maxNameRunes = 60

// Board is the channel's "Working now" message: one line per running
// timer, oldest first, with how long ago it started (Discord shows <t:…:R>
// in each reader's time); cut to Discord's limit with a last line that
// counts the rest.
func Board(running []state.Session, lang Language) discord.Message {
	e := discord.Embed{Title: lang.Board.Title, Color: boardColor}
	if len(running) == 0 {
		e.Description = lang.Board.Empty
		return discord.Message{Embeds: []discord.Embed{e}}
	}
	var b strings.Builder
	room := discord.MaxDescriptionRunes - utf8.RuneCountInString(lang.Board.More(len(running))) - 1
	for i, s := range running {
		line := boardLine(s, lang)
		if utf8.RuneCountInString(b.String())+utf8.RuneCountInString(line)+1 > room {
			b.WriteString(lang.Board.More(len(running) - i))
			break
		}
		b.WriteString(line + "\n")
	}
	e.Description = strings.TrimSuffix(b.String(), "\n")
	return discord.Message{Embeds: []discord.Embed{e}}
}

// boardLine is "**Ada** · ACME - Website · Fix login · <t:…:R>".
func boardLine(s state.Session, lang Language) string {
	who := lang.UnknownUser
	if s.User != "" {
		who = discord.Escape(discord.Truncate(s.User, maxNameRunes))
	}
	what := ClientProject(discord.Truncate(s.Client, maxNameRunes), discord.Truncate(s.Project, maxNameRunes))
	if s.Break {
		what = strings.TrimSpace(breakIcon + " " + lang.Break + " " + what)
	}
	parts := []string{"**" + who + "**"}
	for _, p := range []string{what, discord.Escape(discord.Truncate(s.Description, 100))} {
		if p != "" {
			parts = append(parts, p)
		}
	}
	parts = append(parts, "<t:"+strconv.FormatInt(s.Start.Unix(), 10)+":R>")
	return strings.Join(parts, " · ")
}
