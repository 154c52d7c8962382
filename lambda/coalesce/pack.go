package coalesce

import (
	"unicode/utf8"

	"clockify-discord-relay/lambda/discord"
)

// Item is one event's message and where it goes.
type Item struct {
	Webhook string
	Message discord.Message
	// Alone keeps the message in a Discord message of its own (one that
	// will be edited on its own later).
	Alone bool
}

// Pack is one Discord message and the items it carries.
type Pack struct {
	Webhook string
	Message discord.Message
	Items   []int // indexes into the items given to Packs, in order
}

// Packs coalesces consecutive items for the same webhook, keeping their
// order: a pack ends when the next item would go over a limit or goes
// elsewhere. Each message is first cut to Discord's limits on its own.
func Packs(items []Item) []Pack {
	var packs []Pack
	var cur *Pack
	var contentRunes, embedRunes int
	for i, it := range items {
		msg := it.Message
		msg.Fit()
		runes := utf8.RuneCountInString(msg.Content)
		eRunes := msg.EmbedRunes()
		if cur != nil && !it.Alone && !items[cur.Items[0]].Alone && fits(cur, it.Webhook, msg, contentRunes, runes, embedRunes, eRunes) {
			if msg.Content != "" {
				if cur.Message.Content != "" {
					cur.Message.Content += "\n"
					contentRunes++
				}
				cur.Message.Content += msg.Content
				contentRunes += runes
			}
			cur.Message.Embeds = append(cur.Message.Embeds, msg.Embeds...)
			embedRunes += eRunes
			cur.Items = append(cur.Items, i)
			continue
		}
		packs = append(packs, Pack{Webhook: it.Webhook, Message: msg, Items: []int{i}})
		cur = &packs[len(packs)-1]
		contentRunes, embedRunes = runes, eRunes
	}
	return packs
}

// fits reports whether msg can join the pack.
func fits(p *Pack, webhook string, msg discord.Message, contentRunes, runes, embedRunes, eRunes int) bool {
	if p.Webhook != webhook {
		return false
	}
	if len(p.Message.Embeds)+len(msg.Embeds) > discord.MaxEmbeds {
		return false
	}
	if embedRunes+eRunes > discord.MaxEmbedsTotalRunes {
		return false
	}
	joined := contentRunes + runes
	if contentRunes > 0 && runes > 0 {
		joined++ // the newline
	}
	return joined <= discord.MaxContentRunes
}
