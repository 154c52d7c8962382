package coalesce

import (
	"strconv"
	"strings"
	"unicode/utf8"

	"clockify-discord-relay/lambda/discord"
)

// maxLineRunes cuts one listed event: a long description must not crowd
// out the others.
const maxLineRunes = 300

// canList says the item can go in a list.
func canList(it Item) bool { return it.Line != "" && !it.Alone }

// lists packs items[start:end], all to one webhook, as lists: a line
// each, in order, in embeds' descriptions, as many as Discord's limits let
// one message carry. The content sums the message up for push
// notifications: "▶️ 48 · ⏹️ 2".
func lists(items []Item, start, end int) []Pack {
	var out []Pack
	var cur *Pack
	var total, desc int // runes in the message's embeds, and in its last one
	for i := start; i < end; i++ {
		line := listLine(items[i])
		n := utf8.RuneCountInString(line)
		// The joining newline counts, in the description and in the
		// message's total; a line that starts an embed has none.
		switch {
		case cur != nil && desc+1+n <= discord.MaxDescriptionRunes && total+1+n <= discord.MaxEmbedsTotalRunes:
			e := &cur.Message.Embeds[len(cur.Message.Embeds)-1]
			e.Description += "\n" + line
			total, desc = total+1+n, desc+1+n
		case cur != nil && len(cur.Message.Embeds) < discord.MaxEmbeds && total+n <= discord.MaxEmbedsTotalRunes:
			cur.Message.Embeds = append(cur.Message.Embeds, discord.Embed{Description: line})
			total, desc = total+n, n
		default:
			out = append(out, Pack{Webhook: items[i].Webhook, Message: discord.Message{Embeds: []discord.Embed{{Description: line}}}})
			cur = &out[len(out)-1]
			total, desc = n, n
		}
		cur.Items = append(cur.Items, i)
	}
	for k := range out {
		out[k].Message.Content = tally(items, out[k].Items)
	}
	return out
}

// listLine is the item's line cut to maxLineRunes, its link kept whole.
func listLine(it Item) string {
	if it.Link == "" {
		return discord.Truncate(it.Line, maxLineRunes)
	}
	return discord.Truncate(it.Line, maxLineRunes-1-utf8.RuneCountInString(it.Link)) + " " + it.Link
}

// tally counts the items by their Tally, in the order each first comes.
func tally(items []Item, idx []int) string {
	var order []string
	counts := map[string]int{}
	for _, i := range idx {
		t := items[i].Tally
		if counts[t] == 0 {
			order = append(order, t)
		}
		counts[t]++
	}
	parts := make([]string, len(order))
	for k, t := range order {
		parts[k] = strings.TrimSpace(t + " " + strconv.Itoa(counts[t]))
	}
	return strings.Join(parts, " · ")
}
