package coalesce_test

import (
	"fmt"
	"strings"
	"testing"

	"clockify-discord-relay/lambda/deliver/coalesce"
	"clockify-discord-relay/lambda/discord"
	"clockify-discord-relay/lambda/discord/discordtest"
)

func embedItem(i int, description string) coalesce.Item {
	return coalesce.Item{Webhook: "a", Message: discord.Message{
		Content: fmt.Sprintf("event %d", i),
		Embeds:  []discord.Embed{{Title: fmt.Sprintf("title %d", i), Description: description}},
	}}
}

func textItem(webhook, content string) coalesce.Item {
	return coalesce.Item{Webhook: webhook, Message: discord.Message{Content: content}}
}

// check asserts that every pack is valid for Discord and that the packs
// carry every item once, in order.
func check(t *testing.T, items []coalesce.Item, packs []coalesce.Pack) {
	t.Helper()
	next := 0
	for p, pack := range packs {
		if field, problem := discordtest.Validate(pack.Message); field != "" {
			t.Errorf("pack %d: Discord would refuse %s: %s", p, field, problem)
		}
		for _, i := range pack.Items {
			if i != next {
				t.Fatalf("pack %d carries item %d, want %d", p, i, next)
			}
			if items[i].Webhook != pack.Webhook {
				t.Errorf("item %d for %s packed for %s", i, items[i].Webhook, pack.Webhook)
			}
			next++
		}
	}
	if next != len(items) {
		t.Errorf("packs carry %d items, want %d", next, len(items))
	}
}

func TestTenEmbedsPerMessage(t *testing.T) {
	var items []coalesce.Item
	for i := range 25 {
		items = append(items, embedItem(i, "short"))
	}
	packs := coalesce.Packs(items)
	check(t, items, packs)
	if len(packs) != 3 || len(packs[0].Message.Embeds) != 10 || len(packs[2].Message.Embeds) != 5 {
		t.Fatalf("%d packs", len(packs))
	}
	if !strings.HasPrefix(packs[1].Message.Content, "event 10\nevent 11\n") || packs[1].Message.Embeds[0].Title != "title 10" {
		t.Errorf("second pack starts with %q, %q", packs[1].Message.Content, packs[1].Message.Embeds[0].Title)
	}
}

func TestEmbedCharactersAcrossAMessage(t *testing.T) {
	var items []coalesce.Item
	for i := range 6 {
		items = append(items, embedItem(i, strings.Repeat("x", 2000)))
	}
	packs := coalesce.Packs(items)
	check(t, items, packs)
	// Each embed has 2,007 characters: two fit in 6,000, three do not.
	if len(packs) != 3 {
		t.Errorf("%d packs, want 3", len(packs))
	}
	for _, p := range packs {
		if n := p.Message.EmbedRunes(); n > discord.MaxEmbedsTotalRunes {
			t.Errorf("%d characters across embeds", n)
		}
	}
}

func TestTextLinesWithin2000(t *testing.T) {
	var items []coalesce.Item
	for i := range 30 {
		items = append(items, textItem("a", fmt.Sprintf("%02d ", i)+strings.Repeat("あ", 196))) // 199 runes
	}
	packs := coalesce.Packs(items)
	check(t, items, packs)
	// 10 lines of 199 and 9 newlines: 1,999.
	if len(packs) != 3 || len(packs[0].Items) != 10 {
		t.Fatalf("%d packs, first with %d", len(packs), len(packs[0].Items))
	}
	if lines := strings.Split(packs[0].Message.Content, "\n"); len(lines) != 10 || !strings.HasPrefix(lines[9], "09 ") {
		t.Errorf("lines %d, last %q", len(lines), lines[len(lines)-1][:3])
	}
}

func TestWebhookChangeEndsAPack(t *testing.T) {
	items := []coalesce.Item{textItem("a", "1"), textItem("a", "2"), textItem("b", "3"), textItem("a", "4")}
	packs := coalesce.Packs(items)
	check(t, items, packs)
	if len(packs) != 3 || packs[0].Message.Content != "1\n2" {
		t.Errorf("%+v", packs)
	}
}

func TestOversizedMessageIsCutAlone(t *testing.T) {
	items := []coalesce.Item{textItem("a", "first"), textItem("a", strings.Repeat("y", 5000)), textItem("a", "last")}
	packs := coalesce.Packs(items)
	check(t, items, packs)
	if len(packs) != 3 {
		t.Errorf("%d packs, want 3", len(packs))
	}
}

func TestAloneItemsStayAlone(t *testing.T) {
	items := []coalesce.Item{textItem("a", "1"), textItem("a", "2"), textItem("a", "3"), textItem("a", "4")}
	items[1].Alone = true
	packs := coalesce.Packs(items)
	check(t, items, packs)
	if len(packs) != 3 || packs[1].Message.Content != "2" || packs[2].Message.Content != "3\n4" {
		t.Errorf("%+v", packs)
	}
}

// TestTheJoiningNewlineCounts: two lines whose runes add up to exactly
// 2,000 are not joined, as the newline between them makes 2,001; one rune
// less and they are (issue 24).
func TestTheJoiningNewlineCounts(t *testing.T) {
	for _, c := range []struct {
		a, b  int
		packs int
	}{{1000, 1000, 2}, {1000, 999, 1}} {
		items := []coalesce.Item{textItem("a", strings.Repeat("x", c.a)), textItem("a", strings.Repeat("y", c.b))}
		packs := coalesce.Packs(items)
		check(t, items, packs)
		if len(packs) != c.packs {
			t.Errorf("%d + %d runes: %d packs, want %d", c.a, c.b, len(packs), c.packs)
		}
	}
}
