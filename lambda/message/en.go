package message

import (
	"strconv"
	"strings"

	"clockify-discord-relay/lambda/clockify"
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
		var parts []string
		if h > 0 {
			parts = append(parts, strconv.FormatInt(h, 10)+"h")
		}
		if m > 0 {
			parts = append(parts, strconv.FormatInt(m, 10)+"m")
		}
		if s > 0 || len(parts) == 0 {
			parts = append(parts, strconv.FormatInt(s, 10)+"s")
		}
		return strings.Join(parts, " ")
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
	},
}
