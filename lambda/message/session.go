package message

import "clockify-discord-relay/lambda/discord"

// LinkSession adds to a stop message the link to the message that
// announced the start (a jump link), so the session reads as one: a field
// of the embed, or the end of the line in text style.
func LinkSession(msg *discord.Message, link string, lang Language) {
	if len(msg.Embeds) == 0 {
		msg.Content += " " + link
		return
	}
	e := &msg.Embeds[len(msg.Embeds)-1]
	e.Fields = append(append([]discord.EmbedField(nil), e.Fields...), discord.EmbedField{Name: lang.Fields.Session, Value: link})
}
