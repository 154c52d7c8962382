package discord_test

import (
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
