package discord_test

import (
	"regexp"
	"strings"
	"testing"

	"clockify-discord-relay/lambda/discord"
)

func TestEscape(t *testing.T) {
	tests := []struct{ in, want string }{
		{"plain text", "plain text"},
		{"Fix log-in bug", "Fix log-in bug"},
		{"ACME 2.0", "ACME 2.0"},
		{"@everyone look", "@\u200beveryone look"},
		{"hi @here", "hi @\u200bhere"},
		{"<@123456> <@&42> <#99> <t:1700000000:R>", `\<@` + "\u200b" + `123456> \<@` + "\u200b" + `&42> \<#99> \<t:1700000000:R>`},
		{"**bold** __u__ ~~s~~ `code` ||spoiler||", `\*\*bold\*\* \_\_u\_\_ \~\~s\~\~ \` + "`" + `code\` + "`" + ` \|\|spoiler\|\|`},
		{"[click](https://evil.example)", `\[click\](https://evil.example)`},
		{`back\slash`, `back\\slash`},
		{"# heading", `\# heading`},
		{"> quote", `\> quote`},
		{"- item\n  + item\n1. first", "\\- item\n  \\+ item\n1\\. first"},
		{"a > b - c # d", "a > b - c # d"},
		{"日本語のタスク", "日本語のタスク"},
	}
	for _, tt := range tests {
		if got := discord.Escape(tt.in); got != tt.want {
			t.Errorf("Escape(%q)\n got %q\nwant %q", tt.in, got, tt.want)
		}
	}
}

func TestBreakMentions(t *testing.T) {
	if got := discord.BreakMentions("@here **x**"); got != "@\u200bhere **x**" {
		t.Errorf("BreakMentions = %q", got)
	}
}

func TestDefang(t *testing.T) {
	const zw = "\u200b"
	tests := map[string]string{
		"log in again: https://clockify-login.example/reauth": "log in again: https" + zw + "://clockify-login.example/reauth",
		"see www.evil.example now":                            "see www" + zw + ".evil.example now",
		"WWW.EVIL.EXAMPLE":                                    "WWW" + zw + ".EVIL.EXAMPLE",
		"ftp://x and HTTP://y":                                "ftp" + zw + "://x and HTTP" + zw + "://y",
		"no links, just a.b and awww.yes":                     "no links, just a.b and awww.yes",
		"://alone":                                            "://alone",
	}
	for in, want := range tests {
		if got := discord.Defang(in); got != want {
			t.Errorf("Defang(%q) = %q, want %q", in, got, want)
		}
	}
	m := discord.Message{Content: "https://a.example", Embeds: []discord.Embed{{
		Title: "www.b.example", Description: "http://c.example", Author: &discord.EmbedAuthor{Name: "https://d.example"},
		Fields: []discord.EmbedField{{Name: "x", Value: "https://e.example"}},
	}}}
	m.Defang()
	body, _ := discord.Encode(m)
	if regexp.MustCompile(`(?i)[a-z]://|www\.`).Match(body) {
		t.Errorf("a link survived: %s", body)
	}
}

func TestTextMessagesSuppressPreviews(t *testing.T) {
	text, _ := discord.Encode(discord.Message{Content: "hi"})
	embed, _ := discord.Encode(discord.Message{Content: "hi", Embeds: []discord.Embed{{Title: "t"}}})
	if !strings.Contains(string(text), `"flags":4`) || strings.Contains(string(embed), `"flags"`) {
		t.Errorf("text %s, embed %s", text, embed)
	}
}
