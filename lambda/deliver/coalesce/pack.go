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
	// Line is the event in one line, for a list; "" for items that are
	// never listed. Link, when set, ends the line, and is never cut.
	// Tally is what the item counts as in the list's summary (an icon).
	Line, Link, Tally string
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
//
// Consecutive items with lines that would take more than one message go
// as lists instead (list.go): a channel takes about 30 messages a minute,
// so a rush must not spend one on every 10 events.
func Packs(items []Item) []Pack {
	var out []Pack
	for start := 0; start < len(items); {
		end := start + 1
		for end < len(items) && canList(items[start]) == canList(items[end]) && (!canList(items[end]) || items[end].Webhook == items[start].Webhook) {
			end++
		}
		packs := whole(items[start:end])
		for k := range packs {
			for m := range packs[k].Items {
				packs[k].Items[m] += start
			}
		}
		if len(packs) > 1 && canList(items[start]) {
			packs = lists(items, start, end)
		}
		out = append(out, packs...)
		start = end
	}
	return out
}

// whole packs each item's whole message.
func whole(items []Item) []Pack {
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
