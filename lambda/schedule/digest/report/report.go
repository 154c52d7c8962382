package report

import (
	"strings"
	"time"
	"unicode/utf8"

	"clockify-discord-relay/lambda/clockify"
	"clockify-discord-relay/lambda/discord"
	"clockify-discord-relay/lambda/message"
	"clockify-discord-relay/lambda/schedule/digest/chart"
	"clockify-discord-relay/lambda/summary"
)

// What a digest shows at most: the rest is counted with "+N more".
const (
	digestUsers           = 25
	digestProjects        = 10
	digestProjectsPerUser = 3
	// digestRoom keeps the whole embed inside Discord's 6,000 characters
	// with room for the title, the field's name and the footer.
	digestRoom = 3600
)

// digestColor is the digest embed's color (Discord blurple), and
// digestIcon starts its title.
const (
	digestColor = 0x5865F2
	digestIcon  = "📊"
)

// ChartFile is the chart's name in the message.
const ChartFile = "digest.png"

// Message is the digest message for s: the totals, each user's total and
// top projects, and each project's total. The chart, when there is one,
// is attached by the caller (see Attach).
func Message(s summary.Summary, lang message.Language) discord.Message {
	w := lang.Digest
	loc := s.Period.Location()
	pct := int(s.BillableShare()*100 + 0.5)
	lines := []string{w.Totals(hours(s.Total, lang), pct, s.Entries, s.Running), ""}
	users := make([]string, 0, len(s.Users))
	for _, u := range s.Users {
		users = append(users, digestUser(u, lang))
	}
	lines = append(lines, fitLines(users, s.MoreUsers, digestUsers, digestRoom-runes(lines), lang)...)
	projects := make([]string, 0, len(s.Projects))
	for _, p := range s.Projects {
		projects = append(projects, projectName(p, lang)+" — "+hours(p.Total, lang))
	}
	e := discord.Embed{
		Title:       digestIcon + " " + w.Title(s.Period, loc),
		Description: strings.Join(lines, "\n"),
		Color:       digestColor,
		Timestamp:   s.At.UTC().Format(time.RFC3339),
		Footer:      &discord.EmbedFooter{Text: loc.String()},
	}
	if s.Running > 0 {
		e.Footer.Text = w.Footer(loc.String()) // explains the ▶
	}
	if len(projects) > 0 {
		e.Fields = []discord.EmbedField{{Name: w.ByProject, Value: strings.Join(fitLines(projects, s.MoreProjects, digestProjects, discord.MaxFieldValueRunes, lang), "\n")}}
	}
	return discord.Message{Embeds: []discord.Embed{e}}
}

// Labels are the digest chart's words: the title, and the
// language's names and durations.
func Labels(s summary.Summary, lang message.Language) chart.Labels {
	return chart.Labels{
		Title:     lang.Digest.Title(s.Period, s.Period.Location()),
		NoProject: lang.Digest.NoProject,
		Other:     lang.Digest.Other,
		More:      lang.Board.More,
		Hours:     func(d time.Duration) string { return hours(d, lang) },
		Project:   message.ProjectName,
	}
}

// Hours is /hours' answer: the digest's figures for s, titled as asked
// for rather than as a digest.
func Hours(s summary.Summary, lang message.Language) discord.Message {
	msg := Message(s, lang)
	msg.Embeds[0].Title = digestIcon + " " + lang.Digest.HoursTitle(s.Period, s.Period.Location())
	return msg
}

// Attach shows the chart, sent with the digest as a file, in its embed.
func Attach(msg *discord.Message, png []byte) {
	msg.Files = append(msg.Files, discord.File{Name: ChartFile, ContentType: "image/png", Data: png})
	if len(msg.Embeds) > 0 {
		msg.Embeds[0].Image = &discord.EmbedImage{URL: "attachment://" + ChartFile}
	}
}

// digestUser is "**Ada** 2h ▶ — Website 1h 30m · Ops 30m".
func digestUser(u summary.User, lang message.Language) string {
	who := lang.UnknownUser
	if u.Name != "" {
		who = discord.Escape(discord.Truncate(u.Name, 80))
	}
	line := "**" + who + "** " + hours(u.Total, lang)
	if u.Running {
		line += " " + lang.Digest.Running
	}
	var top []string
	for i, p := range u.Projects {
		if i == digestProjectsPerUser {
			break
		}
		top = append(top, projectName(p, lang)+" "+hours(p.Total, lang))
	}
	return line + " — " + strings.Join(top, " · ")
}

func projectName(p summary.Project, lang message.Language) string {
	switch {
	case p.Other:
		return lang.Digest.Other
	case p.Name == "":
		return lang.Digest.NoProject
	}
	return message.ClientProject(discord.Truncate(p.Client, 60), discord.Truncate(p.Name, 80))
}

// fitLines keeps the lines that fit in at most max lines and room
// characters, and counts the rest, with more left out before, in a last
// "+N more" line.
func fitLines(lines []string, more, max, room int, lang message.Language) []string {
	var out []string
	used := 0
	for i, l := range lines {
		rest := len(lines) - i + more
		tail := utf8.RuneCountInString(lang.Board.More(rest)) + 1
		if i == max || used+utf8.RuneCountInString(l)+1+tail > room {
			return append(out, lang.Board.More(rest))
		}
		out = append(out, l)
		used += utf8.RuneCountInString(l) + 1
	}
	if more > 0 {
		out = append(out, lang.Board.More(more))
	}
	return out
}

func runes(lines []string) int {
	n := 0
	for _, l := range lines {
		n += utf8.RuneCountInString(l) + 1
	}
	return n
}

// hours writes a length of time to the minute (seconds, under one).
func hours(d time.Duration, lang message.Language) string {
	if d > 0 && d < time.Minute {
		return lang.Duration(0, 0, int64(d/time.Second))
	}
	h, m, _ := clockify.Duration(d.Round(time.Minute)).Clock()
	return lang.Duration(h, m, 0)
}
