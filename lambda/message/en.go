package message

import (
	"strconv"
	"strings"

	"clockify-discord-relay/lambda/clockify"
)

var english = Language{
	Code:        "en",
	UnknownUser: "Someone",
	Sentence: func(event clockify.EventType, who, what, took string) string {
		object := "a timer"
		if what != "" {
			object = what
		}
		switch event {
		case clockify.NewTimerStarted:
			return who + " started " + object + "."
		case clockify.TimerStopped:
			s := who + " stopped " + object
			if took != "" {
				s += " after " + took
			}
			return s + ". Nice work!"
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
}
