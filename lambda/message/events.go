package message

import "clockify-discord-relay/lambda/clockify"

// icons start each event's content line, so the event shows at a glance
// in a push notification. Every event of clockify.Relayed has one
// (TestEveryEventIsWorded).
var icons = map[clockify.EventType]string{
	clockify.NewTimerStarted:   "▶️",
	clockify.TimerStopped:      "⏹️",
	clockify.NewTimeEntry:      "➕",
	clockify.TimeEntryUpdated:  "✏️",
	clockify.TimeEntryDeleted:  "🗑️",
	clockify.TimeEntrySplit:    "✂️",
	clockify.TimeEntryRestored: "♻️",
}

func iconOf(event clockify.EventType) string { return icons[event] }
