package message

import "clockify-discord-relay/lambda/clockify"

// events is the one table of the events the relay posts, in the order
// make setup lists them, with the icon that starts their content line so
// the event shows at a glance in a push notification. The handler posts
// what is here and ignores the rest; every language must word each one
// (TestEveryEventIsWorded).
var events = []struct {
	event clockify.EventType
	icon  string
}{
	{clockify.NewTimerStarted, "▶️"},
	{clockify.TimerStopped, "⏹️"},
	{clockify.NewTimeEntry, "➕"},
	{clockify.TimeEntryUpdated, "✏️"},
	{clockify.TimeEntryDeleted, "🗑️"},
	{clockify.TimeEntrySplit, "✂️"},
	{clockify.TimeEntryRestored, "♻️"},
}

// Events lists the events the relay posts.
func Events() []clockify.EventType {
	out := make([]clockify.EventType, len(events))
	for i, e := range events {
		out[i] = e.event
	}
	return out
}

// Handles reports whether the relay posts the event.
func Handles(event clockify.EventType) bool { return iconOf(event) != "" }

func iconOf(event clockify.EventType) string {
	for _, e := range events {
		if e.event == event {
			return e.icon
		}
	}
	return ""
}
