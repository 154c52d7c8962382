package message

import (
	"strconv"
	"time"

	"clockify-discord-relay/lambda/clockify"
	"clockify-discord-relay/lambda/summary"
)

var english = Language{
	Code:        "en",
	UnknownUser: "Someone",
	Break:       "a break",
	Sentence: func(event clockify.EventType, who, what, took string) string {
		timer, entry, added := "a timer", "a time entry", "a time entry"
		if what != "" {
			timer, entry, added = what, "the time entry for "+what, "a time entry for "+what
		}
		switch event {
		case clockify.NewTimerStarted:
			return who + " started " + timer + "."
		case clockify.TimerStopped:
			if took != "" {
				return who + " stopped " + timer + " after " + took + ". Nice work!"
			}
			return who + " stopped " + timer + ". Nice work!"
		case clockify.NewTimeEntry:
			if took != "" {
				if what == "" {
					return who + " added " + took + "."
				}
				return who + " added " + took + " for " + what + "."
			}
			return who + " added " + added + "."
		case clockify.TimeEntryUpdated:
			return who + " edited " + entry + "."
		case clockify.TimeEntryDeleted:
			return who + " deleted " + entry + "."
		case clockify.TimeEntrySplit:
			return who + " split " + entry + "."
		case clockify.TimeEntryRestored:
			return who + " restored " + entry + "."
		}
		return ""
	},
	Duration: func(h, m, s int64) string {
		return clock(h, m, s, [3]string{"h", "m", "s"}, " ")
	},
	Fields: FieldNames{
		Description: "Description",
		Project:     "Project",
		Client:      "Client",
		Task:        "Task",
		Tags:        "Tags",
		Duration:    "Duration",
		Start:       "Start",
		End:         "End",
		Session:     "Started in",
	},
	Reminder: func(who, what, ran string) string {
		if what != "" {
			what = " (" + what + ")"
		}
		return "⏰ " + who + "'s timer has been running for " + ran + what + ". Forgot to stop it?"
	},
	Board: BoardWords{
		Title: "Working now",
		Empty: "Nobody is working",
		More:  func(n int) string { return "+" + strconv.Itoa(n) + " more" },
	},
	Digest: DigestWords{
		Title: func(p summary.Period, loc *time.Location) string {
			if p.Kind == summary.Weekly {
				return "Weekly digest, " + enPeriod(p, loc)
			}
			return "Daily digest, " + enPeriod(p, loc)
		},
		HoursTitle: func(p summary.Period, loc *time.Location) string { return "Hours, " + enPeriod(p, loc) },
		Totals: func(total string, billable, entries, running int) string {
			line := "Total **" + total + "** · " + strconv.Itoa(billable) + "% billable · " + plural(entries, "entry", "entries")
			if running > 0 {
				line += " (" + strconv.Itoa(running) + " running)"
			}
			return line
		},
		ByProject: "By project",
		NoProject: "No project",
		Other:     "Other",
		Running:   "▶ running",
		Footer:    func(zone string) string { return "▶ running timers count up to the digest · " + zone },
	},
}

func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return strconv.Itoa(n) + " " + many
}

// enPeriod names a period's days: "Friday 27 November 2026", a week's
// first and last, or a window's first and last minutes.
func enPeriod(p summary.Period, loc *time.Location) string {
	first, last := p.Start.In(loc), p.Last().In(loc)
	if p.Kind == summary.Weekly {
		return first.Format("Mon 2 Jan") + " – " + last.Format("Mon 2 Jan 2006")
	}
	if !p.Aligned() {
		return first.Format("Mon 2 Jan 15:04") + " – " + p.End.In(loc).Format("Mon 2 Jan 2006 15:04")
	}
	return first.Format("Monday 2 January 2006")
}
