package main

import "time"

// clock is one moved clock: the zone the tests run in (TZ) and the
// instant the clock starts at.
type clock struct {
	zone string
	at   time.Time
}

// dstZone is a zone with daylight saving time; the relay's default
// zone, Asia/Tokyo, has none.
const dstZone = "Europe/Berlin"

// clocks are the days the tests must pass on besides today: more than a
// year ahead, the next daylight saving change in dstZone (started 90
// seconds before it, so that the change falls in the run), and the next
// 29 February, in the morning in Tokyo (so that it is the 29th in UTC
// too).
func clocks(now time.Time) []clock {
	tokyo, _ := time.LoadLocation("Asia/Tokyo")
	berlin, _ := time.LoadLocation(dstZone)
	ahead := now.AddDate(1, 1, 0).In(tokyo)
	ahead = time.Date(ahead.Year(), ahead.Month(), ahead.Day(), 10, 0, 0, 0, tokyo)
	return []clock{
		{"Asia/Tokyo", ahead},
		{dstZone, nextChange(now, berlin).Add(-90 * time.Second).In(berlin)},
		{"Asia/Tokyo", nextLeapDay(now, tokyo).Add(10 * time.Hour)},
	}
}

// nextChange is the next instant after now at which loc's offset from
// UTC changes.
func nextChange(now time.Time, loc *time.Location) time.Time {
	_, offset := now.In(loc).Zone()
	lo, hi := now, now
	for {
		hi = hi.Add(24 * time.Hour)
		if _, o := hi.In(loc).Zone(); o != offset {
			break
		}
		lo = hi
	}
	for hi.Sub(lo) > time.Second {
		mid := lo.Add(hi.Sub(lo) / 2)
		if _, o := mid.In(loc).Zone(); o == offset {
			lo = mid
		} else {
			hi = mid
		}
	}
	return hi.Truncate(time.Second)
}

// nextLeapDay is the start of the next 29 February after now, in loc.
func nextLeapDay(now time.Time, loc *time.Location) time.Time {
	for y := now.In(loc).Year(); ; y++ {
		d := time.Date(y, time.February, 29, 0, 0, 0, 0, loc)
		if d.Month() == time.February && d.After(now) {
			return d
		}
	}
}
