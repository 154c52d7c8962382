package summarytest

import (
	"fmt"
	"time"

	"clockify-discord-relay/lambda/state"
	"clockify-discord-relay/lambda/summary"
)

// Tokyo is the default TIME_ZONE.
var Tokyo = func() *time.Location {
	l, err := time.LoadLocation("Asia/Tokyo")
	if err != nil {
		panic(err)
	}
	return l
}()

// At is when the sample digests are made: 18:00 in Tokyo.
var At = time.Date(2026, 11, 27, 18, 0, 0, 0, Tokyo)

type project struct{ id, name, client, color string }

var (
	website  = project{"p1", "Webサイト改修", "ACME", "#03A9F4"}
	internal = project{"p2", "社内会議", "", "#E91E63"}
	app      = project{"p3", "Mobile App", "Globex", "#4CAF50"}
	docs     = project{"p4", "ドキュメント整備", "", "#FF9800"}
)

func entry(user string, p project, start time.Time, d time.Duration, billable bool) state.LedgerEntry {
	return state.LedgerEntry{EntryID: fmt.Sprintf("%s-%d", user, start.Unix()), UserID: "u-" + user, User: user,
		ProjectID: p.id, Project: p.name, Client: p.client, Color: p.color, Billable: billable, Work: true,
		Start: start, End: start.Add(d)}
}

// Day is a team's day: four people, four projects, one entry without a
// project, one crossing midnight into the day, and a timer still running.
func Day() summary.Summary {
	h := func(hour, minute int) time.Time { return time.Date(2026, 11, 27, hour, minute, 0, 0, Tokyo) }
	running := entry("鈴木 一郎", app, h(16, 30), 90*time.Minute, true)
	running.Running = true
	entries := []state.LedgerEntry{
		entry("佐藤 花子", website, h(9, 0), 3*time.Hour, true),
		entry("佐藤 花子", internal, h(13, 0), time.Hour, false),
		entry("佐藤 花子", docs, h(14, 0), 2*time.Hour+15*time.Minute, false),
		entry("髙橋 健太", website, h(10, 0), 4*time.Hour+30*time.Minute, true),
		entry("髙橋 健太", project{}, h(15, 0), 45*time.Minute, false),
		entry("鈴木 一郎", app, h(9, 30), 5*time.Hour, true),
		running,
		entry("Alex Smith", internal, h(0, 0).Add(-time.Hour), 2*time.Hour, false), // an hour of it yesterday
		entry("Alex Smith", app, h(11, 0), 3*time.Hour+20*time.Minute, true),
	}
	return summary.Build(entries, summary.DayOf(At), At)
}

// Crowd is a week of n people on many projects: more than a message or a
// chart shows.
func Crowd(n int) summary.Summary {
	monday := time.Date(2026, 11, 23, 9, 0, 0, 0, Tokyo)
	var entries []state.LedgerEntry
	for i := range n {
		for j := range 8 {
			p := project{fmt.Sprintf("p%d", (i+j)%40), fmt.Sprintf("Project %02d with a rather long name", (i+j)%40), "Client", ""}
			entries = append(entries, entry(fmt.Sprintf("Member %03d", i), p, monday.Add(time.Duration(j)*24*time.Hour), time.Duration(60+i+j)*time.Minute, j%2 == 0))
		}
	}
	return summary.Build(entries, summary.WeekOf(monday), time.Date(2026, 11, 30, 18, 0, 0, 0, Tokyo))
}
