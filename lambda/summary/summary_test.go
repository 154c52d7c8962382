package summary

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"clockify-discord-relay/lambda/state"
)

var tokyo, _ = time.LoadLocation("Asia/Tokyo")

func entry(user, project string, start, end time.Time) state.LedgerEntry {
	return state.LedgerEntry{EntryID: user + project + start.String(), UserID: "u-" + user, User: user,
		ProjectID: "p-" + project, Project: project, Work: true, Start: start, End: end}
}

// An entry from 23:00 to 01:30 in Tokyo counts 1h on its first day and
// 1h30m on the next, whatever UTC says.
func TestMidnightInTheTimeZone(t *testing.T) {
	start := time.Date(2026, 11, 26, 23, 0, 0, 0, tokyo)
	e := entry("Ada", "Web", start.UTC(), start.Add(150*time.Minute).UTC())
	at := time.Date(2026, 11, 28, 18, 0, 0, 0, tokyo)
	for day, want := range map[int]time.Duration{26: time.Hour, 27: 90 * time.Minute, 28: 0} {
		p := DayOf(time.Date(2026, 11, day, 12, 0, 0, 0, tokyo))
		s := Build([]state.LedgerEntry{e}, p, at)
		if s.Total != want {
			t.Errorf("on the %dth: %v, want %v", day, s.Total, want)
		}
	}
}

// A timer still running at the digest counts up to it, and is marked.
func TestRunningTimerCountsUpToTheDigest(t *testing.T) {
	at := time.Date(2026, 11, 27, 18, 0, 0, 0, tokyo)
	run := entry("Bob", "Ops", at.Add(-45*time.Minute), at)
	run.Running = true
	done := entry("Bob", "Web", at.Add(-3*time.Hour), at.Add(-2*time.Hour))
	s := Build([]state.LedgerEntry{run, done}, DayOf(at), at)
	if s.Total != 105*time.Minute || s.Running != 1 || s.Entries != 2 || len(s.Users) != 1 || !s.Users[0].Running {
		t.Errorf("summary: %+v", s)
	}
	if ps := s.Users[0].Projects; len(ps) != 2 || ps[0].Name != "Web" || ps[1].Total != 45*time.Minute {
		t.Errorf("Bob's projects: %+v", ps)
	}
	// Read the next morning, the day's digest counts it to midnight.
	run.End = at.Add(10 * time.Hour)
	later := Build([]state.LedgerEntry{run}, DayOf(at), run.End)
	if want := 6*time.Hour + 45*time.Minute; later.Total != want {
		t.Errorf("counted to %v, want %v", later.Total, want)
	}
}

func TestBreaksAndBillable(t *testing.T) {
	at := time.Date(2026, 11, 27, 18, 0, 0, 0, tokyo)
	work := entry("Ada", "Web", at.Add(-4*time.Hour), at.Add(-1*time.Hour))
	work.Billable = true
	other := entry("Ada", "", at.Add(-1*time.Hour), at)
	other.ProjectID = ""
	brk := entry("Ada", "", at.Add(-5*time.Hour), at.Add(-4*time.Hour))
	brk.Work = false
	s := Build([]state.LedgerEntry{work, other, brk}, DayOf(at), at)
	if s.Total != 4*time.Hour || s.Billable != 3*time.Hour || s.BillableShare() != 0.75 || s.Entries != 2 {
		t.Errorf("summary: %+v", s)
	}
}

func TestPeriods(t *testing.T) {
	monday := time.Date(2026, 11, 30, 18, 0, 0, 0, tokyo)
	for _, c := range []struct {
		p                Period
		name, start, end string
	}{
		{Due(Weekly, monday), "weekly-2026-11-23", "2026-11-23T00:00:00+09:00", "2026-11-30T00:00:00+09:00"},
		{Due(Daily, monday), "daily-2026-11-30", "2026-11-30T00:00:00+09:00", "2026-12-01T00:00:00+09:00"},
		{Of(Weekly, time.Date(2026, 11, 29, 23, 0, 0, 0, tokyo)), "weekly-2026-11-23", "2026-11-23T00:00:00+09:00", "2026-11-30T00:00:00+09:00"},
		{Of(Daily, time.Date(2026, 3, 8, 12, 0, 0, 0, mustLoad("America/New_York"))), "daily-2026-03-08", "2026-03-08T00:00:00-05:00", "2026-03-09T00:00:00-04:00"},
	} {
		if c.p.Name() != c.name || c.p.Start.Format(time.RFC3339) != c.start || c.p.End.Format(time.RFC3339) != c.end {
			t.Errorf("%s %s–%s, want %s %s–%s", c.p.Name(), c.p.Start.Format(time.RFC3339), c.p.End.Format(time.RFC3339), c.name, c.start, c.end)
		}
	}
}

func mustLoad(name string) *time.Location {
	l, err := time.LoadLocation(name)
	if err != nil {
		panic(err)
	}
	return l
}

// A user with many projects keeps the top ones and one "other".
func TestManyProjectsAreCut(t *testing.T) {
	at := time.Date(2026, 11, 27, 18, 0, 0, 0, tokyo)
	var es []state.LedgerEntry
	for i := range 9 {
		start := at.Add(-time.Duration(i+1) * time.Hour)
		es = append(es, entry("Ada", string(rune('A'+i)), start, start.Add(time.Duration(60-i)*time.Minute)))
	}
	s := Build(es, DayOf(at), at)
	ps := s.Users[0].Projects
	if len(ps) != MaxProjectsPerUser || !ps[MaxProjectsPerUser-1].Other || len(s.Projects) != 9 {
		t.Fatalf("projects: %+v", ps)
	}
	var sum time.Duration
	for _, p := range ps {
		sum += p.Total
	}
	if sum != s.Total {
		t.Errorf("the user's projects add to %v, the total is %v", sum, s.Total)
	}
}

// TestTheLargestSummaryFitsAnSQSMessage: past every bound, with the
// longest names, a digest job's figures stay well under SQS's 256 KiB.
func TestTheLargestSummaryFitsAnSQSMessage(t *testing.T) {
	at := time.Date(2026, 11, 27, 18, 0, 0, 0, tokyo)
	long := strings.Repeat("長い名前", 200)
	var es []state.LedgerEntry
	for u := range MaxUsers + 50 {
		for p := range 10 {
			e := entry(fmt.Sprint(u, long), fmt.Sprint(u*10+p, long), at.Add(-time.Duration(p+1)*time.Hour), at.Add(-time.Duration(p)*time.Hour))
			e.Client, e.Color = long, "#03A9F4"
			es = append(es, e)
		}
	}
	s := Build(es, DayOf(at), at)
	raw, _ := json.Marshal(s)
	if len(raw) > 200<<10 || len(s.Users) != MaxUsers || s.MoreUsers != 50 || s.MoreProjects != (MaxUsers+50)*10-MaxProjects {
		t.Errorf("%d bytes, %d users (+%d), %d projects (+%d)", len(raw), len(s.Users), s.MoreUsers, len(s.Projects), s.MoreProjects)
	}
	if n := utf8.RuneCountInString(s.Users[0].Name); n != MaxNameRunes {
		t.Errorf("a name of %d characters", n)
	}
}
