package coalesce_test

import (
	"fmt"
	"strings"
	"testing"
	"unicode/utf8"

	"clockify-discord-relay/lambda/deliver/coalesce"
	"clockify-discord-relay/lambda/discord"
)

// listItem is an event that can be listed: tally "▶️" for starts.
func listItem(webhook string, i int, tally string) coalesce.Item {
	it := embedItem(i, "details")
	it.Webhook, it.Line, it.Tally = webhook, fmt.Sprintf("%s line %02d", tally, i), tally
	return it
}

// lines are the list lines a pack shows, in order.
func lines(p coalesce.Pack) []string {
	var out []string
	for _, e := range p.Message.Embeds {
		out = append(out, strings.Split(e.Description, "\n")...)
	}
	return out
}

func TestTenFitWhole(t *testing.T) {
	var items []coalesce.Item
	for i := range 10 {
		items = append(items, listItem("a", i, "▶️"))
	}
	packs := coalesce.Packs(items)
	check(t, items, packs)
	if len(packs) != 1 || packs[0].Message.Embeds[9].Title != "title 9" {
		t.Fatalf("10 events that fit one message: %d packs, %+v", len(packs), packs[0].Message)
	}
}

func TestARunThatWouldTakeMoreMessagesIsListed(t *testing.T) {
	var items []coalesce.Item
	for i := range 60 {
		tally := "▶️"
		if i%4 == 3 {
			tally = "⏹️"
		}
		items = append(items, listItem("a", i, tally))
	}
	packs := coalesce.Packs(items)
	check(t, items, packs)
	if len(packs) != 1 {
		t.Fatalf("60 short lines: %d messages, want 1", len(packs))
	}
	got := lines(packs[0])
	if len(got) != 60 || got[0] != "▶️ line 00" || got[3] != "⏹️ line 03" || got[59] != "⏹️ line 59" {
		t.Errorf("lines: %q", got)
	}
	if c := packs[0].Message.Content; c != "▶️ 45 · ⏹️ 15" {
		t.Errorf("content %q", c)
	}
}

func TestListsKeepDiscordsLimits(t *testing.T) {
	var items []coalesce.Item
	for i := range 200 {
		it := listItem("a", i, "▶️")
		it.Line = fmt.Sprintf("%03d ", i) + strings.Repeat("あ", 1000) // cut to 300
		items = append(items, it)
	}
	packs := coalesce.Packs(items)
	check(t, items, packs)
	// 300 runes and a newline each: 19 lines within 6,000 (13 within
	// a description of 4,096).
	if len(packs) != 11 || len(packs[0].Items) != 19 || len(packs[0].Message.Embeds) != 2 {
		t.Fatalf("%d packs, the first with %d items in %d embeds", len(packs), len(packs[0].Items), len(packs[0].Message.Embeds))
	}
	for k, p := range packs {
		for _, l := range lines(p) {
			if n := utf8.RuneCountInString(l); n > 300 {
				t.Fatalf("pack %d: a line of %d runes", k, n)
			}
		}
		if want := fmt.Sprintf("%03d ", p.Items[0]); !strings.HasPrefix(lines(p)[0], want) {
			t.Errorf("pack %d starts %q", k, lines(p)[0][:4])
		}
		if n := p.Message.EmbedRunes(); n > discord.MaxEmbedsTotalRunes {
			t.Errorf("pack %d: %d runes across embeds", k, n)
		}
	}
}

func TestOnlyRunsOfListableItemsToOneWebhookAreListed(t *testing.T) {
	var items []coalesce.Item
	for i := range 12 {
		items = append(items, listItem("a", i, "▶️"))
	}
	items = append(items, embedItem(12, "a reminder, not listable"))
	for i := 13; i < 25; i++ {
		items = append(items, listItem("a", i, "▶️"))
	}
	alone := listItem("a", 25, "▶️")
	alone.Alone = true
	items = append(items, alone)
	for i := 26; i < 38; i++ {
		items = append(items, listItem("b", i, "▶️"))
	}
	items = append(items, listItem("c", 38, "▶️"))
	packs := coalesce.Packs(items)
	check(t, items, packs)
	var shapes []string
	for _, p := range packs {
		shape := fmt.Sprintf("%s:%d", p.Webhook, len(p.Items))
		if p.Message.Embeds[0].Title == "" {
			shape += " listed"
		}
		shapes = append(shapes, shape)
	}
	// Listed: each run of listable items to one webhook that would take
	// more than one message. Not: the reminder, the alone event, the lone
	// event to c.
	want := []string{"a:12 listed", "a:1", "a:12 listed", "a:1", "b:12 listed", "c:1"}
	if fmt.Sprint(shapes) != fmt.Sprint(want) {
		t.Errorf("packs %q, want %q", shapes, want)
	}
}

// TestALinkIsNeverCut: a stop's line ends with the link to its start;
// a long line is cut before the link, which stays whole.
func TestALinkIsNeverCut(t *testing.T) {
	const link = "https://discord.com/channels/223344556677889900/334455667788990011/1300000000000000001"
	var items []coalesce.Item
	for i := range 12 {
		it := listItem("a", i, "⏹️")
		it.Line += " " + strings.Repeat("長", 400)
		it.Link = link
		items = append(items, it)
	}
	packs := coalesce.Packs(items)
	check(t, items, packs)
	for _, p := range packs {
		for _, l := range lines(p) {
			if !strings.HasSuffix(l, "… "+link) || utf8.RuneCountInString(l) != 300 {
				t.Fatalf("a line of %d runes ending %q", utf8.RuneCountInString(l), l[len(l)-40:])
			}
		}
	}
}

// TestListsFillToTheLimitAndNoFurther: for lines of every length, each
// list keeps within Discord's 6,000 runes across embeds, newlines
// counted as Discord counts them, and takes as many lines as fit: the
// next list's first line would not have fit in it.
func TestListsFillToTheLimitAndNoFurther(t *testing.T) {
	for n := 1; n <= 300; n++ {
		var items []coalesce.Item
		for i := range 3 * discord.MaxEmbedsTotalRunes / n {
			it := listItem("a", i, "▶️")
			it.Line = strings.Repeat("x", n)
			items = append(items, it)
		}
		packs := coalesce.Packs(items)
		for k, p := range packs {
			total := p.Message.EmbedRunes()
			if total > discord.MaxEmbedsTotalRunes {
				t.Fatalf("lines of %d: pack %d has %d runes across embeds", n, k, total)
			}
			if k == len(packs)-1 {
				continue
			}
			last := p.Message.Embeds[len(p.Message.Embeds)-1]
			joined := utf8.RuneCountInString(last.Description) + 1 + n
			fitsLast := joined <= discord.MaxDescriptionRunes && total+1+n <= discord.MaxEmbedsTotalRunes
			fitsNew := len(p.Message.Embeds) < discord.MaxEmbeds && total+n <= discord.MaxEmbedsTotalRunes
			if fitsLast || fitsNew {
				t.Fatalf("lines of %d: pack %d (%d runes, %d embeds) had room for the next line", n, k, total, len(p.Message.Embeds))
			}
		}
	}
}
