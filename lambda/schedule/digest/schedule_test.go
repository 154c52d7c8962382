package digest

import (
	"testing"
	"time"

	"clockify-discord-relay/lambda/summary"
)

func TestSchedule(t *testing.T) {
	tokyo, _ := time.LoadLocation("Asia/Tokyo")
	ny, _ := time.LoadLocation("America/New_York")
	at := func(loc *time.Location, d, h, m int) time.Time { return time.Date(2026, 11, d, h, m, 0, 0, loc) }
	daily := Schedule{Kind: summary.Daily, Hour: 18, Zone: tokyo}
	weekly := Schedule{Kind: summary.Weekly, Hour: 18, Zone: tokyo}
	for _, c := range []struct {
		s          Schedule
		now        time.Time
		fire, name string
	}{
		{daily, at(tokyo, 27, 18, 0), "2026-11-27T18:00:00+09:00", "daily-2026-11-26T1800"},
		{daily, at(tokyo, 27, 17, 59), "2026-11-26T18:00:00+09:00", "daily-2026-11-25T1800"},
		{daily, at(time.UTC, 27, 9, 30), "2026-11-27T18:00:00+09:00", "daily-2026-11-26T1800"},                             // 18:30 in Tokyo
		{Schedule{Kind: summary.Daily, Zone: tokyo}, at(tokyo, 27, 0, 5), "2026-11-27T00:00:00+09:00", "daily-2026-11-26"}, // at midnight: yesterday
		{weekly, at(tokyo, 30, 18, 5), "2026-11-30T18:00:00+09:00", "weekly-2026-11-23"},                                   // a Monday
		{weekly, at(tokyo, 29, 23, 0), "2026-11-23T18:00:00+09:00", "weekly-2026-11-16"},
		{Schedule{Kind: summary.Daily, Hour: 2, Minute: 30, Zone: ny}, time.Date(2026, 3, 8, 12, 0, 0, 0, ny), "2026-03-08T01:30:00-05:00", "daily-2026-03-07T0230"}, // 02:30 does not exist that day: Go takes the hour before
	} {
		p, fire := c.s.Due(c.now)
		if fire.Format(time.RFC3339) != c.fire || p.Name() != c.name {
			t.Errorf("at %v: fired %v for %s, want %s for %s", c.now, fire.Format(time.RFC3339), p.Name(), c.fire, c.name)
		}
	}
	if _, _, err := ParseTime("25:00"); err == nil {
		t.Error("25:00 was taken")
	}
	if h, m, err := ParseTime("08:30"); h != 8 || m != 30 || err != nil {
		t.Errorf("08:30: %d %d %v", h, m, err)
	}
}

// TestDailyDigestsTileTime: the periods of consecutive daily digests meet
// end to start, so every tracked minute is in exactly one, across a
// month with a clock change, whatever DIGEST_TIME is.
func TestDailyDigestsTileTime(t *testing.T) {
	ny, _ := time.LoadLocation("America/New_York")
	for _, hm := range [][2]int{{0, 0}, {2, 30}, {18, 0}, {23, 59}} {
		s := Schedule{Kind: summary.Daily, Hour: hm[0], Minute: hm[1], Zone: ny}
		var prev summary.Period
		for now := time.Date(2026, 2, 20, 12, 0, 0, 0, ny); now.Before(time.Date(2026, 3, 20, 0, 0, 0, 0, ny)); now = now.Add(time.Hour) {
			p, fire := s.Due(now)
			if !p.End.Equal(fire) || !p.Start.Before(p.End) {
				t.Fatalf("%02d:%02d at %v: period %v–%v for the firing at %v", hm[0], hm[1], now, p.Start, p.End, fire)
			}
			if prev.End.IsZero() || p.Name() == prev.Name() {
				prev = p
				continue
			}
			if !p.Start.Equal(prev.End) {
				t.Fatalf("%02d:%02d: %s ends %v, %s starts %v", hm[0], hm[1], prev.Name(), prev.End, p.Name(), p.Start)
			}
			prev = p
		}
	}
}
