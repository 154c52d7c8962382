package report_test

import (
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"

	"clockify-discord-relay/lambda/discord"
	"clockify-discord-relay/lambda/discord/discordtest"
	"clockify-discord-relay/lambda/message"
	"clockify-discord-relay/lambda/schedule/digest/report"
	"clockify-discord-relay/lambda/summary"
	"clockify-discord-relay/lambda/summary/summarytest"
	"flag"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/golden")

// TestDigestGolden keeps the digest's exact payload in ja and en, for a
// day and for a week too big to show whole; -update rewrites them.
func TestDigestGolden(t *testing.T) {
	for name, s := range map[string]summary.Summary{"digest-day": summarytest.Day(), "digest-crowd": summarytest.Crowd(60)} {
		for _, code := range []string{"ja", "en"} {
			lang, _ := message.LanguageFor(code)
			msg := report.Message(s, lang)
			if field, problem := discordtest.Validate(msg); field != "" {
				t.Errorf("%s %s: Discord would refuse %s: %s", name, code, field, problem)
			}
			if n := msg.EmbedRunes(); n > discord.MaxEmbedsTotalRunes {
				t.Errorf("%s %s: %d characters in the embed", name, code, n)
			}
			discordtest.CheckGolden(t, name+"."+code+".json", msg, *update)
		}
	}
}

// TestDigestCutsCleanly: a crowd is cut at a whole line, with a count of
// the rest that adds up.
func TestDigestCutsCleanly(t *testing.T) {
	s := summarytest.Crowd(300)
	lang, _ := message.LanguageFor("en")
	e := report.Message(s, lang).Embeds[0]
	lines := strings.Split(e.Description, "\n")
	last := lines[len(lines)-1]
	shown := len(lines) - 3 // the totals, a blank line, and the count
	if want := "+" + strconv.Itoa(300-shown) + " more"; last != want {
		t.Errorf("last line %q, want %q", last, want)
	}
	if utf8.RuneCountInString(e.Description) > discord.MaxDescriptionRunes || strings.Contains(e.Description, "…") {
		t.Errorf("description cut mid-line or too long: %d characters", utf8.RuneCountInString(e.Description))
	}
	projects := strings.Split(e.Fields[0].Value, "\n")
	if want := "+" + strconv.Itoa(len(s.Projects)+s.MoreProjects-(len(projects)-1)) + " more"; projects[len(projects)-1] != want {
		t.Errorf("projects end with %q, want %q", projects[len(projects)-1], want)
	}
}

// TestHoursIsTheDigestAsAskedFor: /hours shows the digest's figures under
// a title of its own, and Attach shows a chart in the embed it is sent
// with.
func TestHoursIsTheDigestAsAskedFor(t *testing.T) {
	s := summarytest.Day()
	lang, _ := message.LanguageFor("en")
	digest, hours := report.Message(s, lang), report.Hours(s, lang)
	if hours.Embeds[0].Title == digest.Embeds[0].Title || !strings.Contains(hours.Embeds[0].Title, lang.Digest.HoursTitle(s.Period, s.Period.Location())) {
		t.Errorf("title %q, digest's %q", hours.Embeds[0].Title, digest.Embeds[0].Title)
	}
	if hours.Embeds[0].Description != digest.Embeds[0].Description {
		t.Errorf("other figures:\n%s\n%s", hours.Embeds[0].Description, digest.Embeds[0].Description)
	}
	report.Attach(&digest, []byte("png"))
	if len(digest.Files) != 1 || digest.Files[0].Name != report.ChartFile || digest.Embeds[0].Image == nil || digest.Embeds[0].Image.URL != "attachment://"+report.ChartFile {
		t.Errorf("attached: %+v, image %+v", digest.Files, digest.Embeds[0].Image)
	}
}
