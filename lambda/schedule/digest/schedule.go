package digest

import (
	"fmt"
	"time"

	"clockify-discord-relay/lambda/summary"
)

// Schedule is when digests go out: at a time of day in a zone, every day
// or, for weekly digests, on Mondays.
type Schedule struct {
	Kind         summary.Kind
	Hour, Minute int
	Zone         *time.Location
}

// ParseTime reads DIGEST_TIME, "18:00".
func ParseTime(s string) (hour, minute int, err error) {
	t, err := time.Parse("15:04", s)
	if err != nil {
		return 0, 0, fmt.Errorf("%q is not a time of day like 18:00", s)
	}
	return t.Hour(), t.Minute(), nil
}

// Latest is the last time the schedule fired at or before now.
func (s Schedule) Latest(now time.Time) time.Time {
	now = now.In(s.Zone)
	y, m, d := now.Date()
	fire := time.Date(y, m, d, s.Hour, s.Minute, 0, 0, s.Zone)
	for fire.After(now) || (s.Kind == summary.Weekly && fire.Weekday() != time.Monday) {
		y, m, d = fire.AddDate(0, 0, -1).Date()
		fire = time.Date(y, m, d, s.Hour, s.Minute, 0, 0, s.Zone)
	}
	return fire
}

// Due is the period the schedule's latest firing at or before now
// covers, and when it fired. Consecutive digests cover every tracked
// minute once: a daily one the day since the firing before (at 00:00,
// yesterday), a weekly one the Monday-to-Sunday week before its Monday.
func (s Schedule) Due(now time.Time) (summary.Period, time.Time) {
	fire := s.Latest(now)
	if s.Kind == summary.Weekly {
		return summary.Due(s.Kind, fire), fire
	}
	return summary.Between(s.Latest(fire.Add(-time.Second)), fire), fire
}
