package summary

import (
	"fmt"
	"time"
)

// Kind is how long a digest's period is.
type Kind string

// The kinds of digest.
const (
	Daily  Kind = "daily"
	Weekly Kind = "weekly"
)

// ParseKind reads DIGEST's and -period's values (off is the caller's).
func ParseKind(s string) (Kind, error) {
	switch Kind(s) {
	case Daily, Weekly:
		return Kind(s), nil
	}
	return "", fmt.Errorf("%q is not a digest period: daily or weekly", s)
}

// Period is the span a digest covers, [Start, End), in its time zone: a
// calendar day or week (midnight to midnight), or the day between two
// firings of a daily schedule (Between).
type Period struct {
	Kind  Kind      `json:"kind"`
	Start time.Time `json:"start"`
	End   time.Time `json:"end"`
	Zone  string    `json:"zone"` // the IANA name of Start's and End's zone
}

// DayOf is the daily period of the day date falls on, in date's zone.
func DayOf(date time.Time) Period {
	start := midnight(date)
	return Period{Kind: Daily, Start: start, End: start.AddDate(0, 0, 1), Zone: date.Location().String()}
}

// WeekOf is the Monday-to-Sunday period that date falls in.
func WeekOf(date time.Time) Period {
	start := midnight(date)
	start = start.AddDate(0, 0, -((int(start.Weekday()) + 6) % 7))
	return Period{Kind: Weekly, Start: start, End: start.AddDate(0, 0, 7), Zone: date.Location().String()}
}

// Between is the daily period from one firing of a schedule to the next:
// consecutive ones cover every minute once. At 00:00 it is a calendar day.
func Between(previous, fire time.Time) Period {
	return Period{Kind: Daily, Start: previous, End: fire, Zone: fire.Location().String()}
}

// Aligned reports whether the period runs from midnight to midnight.
func (p Period) Aligned() bool {
	loc := p.Location()
	return p.Start.Equal(midnight(p.Start.In(loc))) && p.End.Equal(midnight(p.End.In(loc)))
}

// Due is the period a digest posted at now covers when no schedule says:
// today so far for a daily one, last week for a weekly one.
func Due(kind Kind, now time.Time) Period {
	if kind == Weekly {
		return WeekOf(now.AddDate(0, 0, -7))
	}
	return DayOf(now)
}

// Of is the period of kind that date falls in.
func Of(kind Kind, date time.Time) Period {
	if kind == Weekly {
		return WeekOf(date)
	}
	return DayOf(date)
}

// Name is the period's name, "daily-2026-11-27" or "weekly-2026-11-23"
// (its Monday): what a digest is claimed under.
func (p Period) Name() string {
	if !p.Aligned() {
		return string(p.Kind) + "-" + p.Start.In(p.Location()).Format("2006-01-02T1504")
	}
	return string(p.Kind) + "-" + p.Start.Format(time.DateOnly)
}

// midnight is the start of t's day in its zone (not always 00:00, where
// a clock change falls at midnight).
func midnight(t time.Time) time.Time {
	y, m, d := t.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, t.Location())
}

// Last is the period's last day, for display.
func (p Period) Last() time.Time { return p.End.Add(-time.Nanosecond) }

// Location is the period's time zone, loaded by name; its fixed offset
// when the name is unknown here.
func (p Period) Location() *time.Location {
	if loc, err := time.LoadLocation(p.Zone); err == nil && p.Zone != "" {
		return loc
	}
	name, offset := p.Start.Zone()
	return time.FixedZone(name, offset)
}
