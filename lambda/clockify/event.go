package clockify

import "slices"

// EventType names what happened, as Clockify's Clockify-Webhook-Event-Type
// header says it.
type EventType string

// Time-entry events. Clockify has many more (projects, invoices, users...);
// the relay acknowledges and ignores those.
const (
	NewTimerStarted   EventType = "NEW_TIMER_STARTED"
	TimerStopped      EventType = "TIMER_STOPPED"
	NewTimeEntry      EventType = "NEW_TIME_ENTRY"
	TimeEntryUpdated  EventType = "TIME_ENTRY_UPDATED"
	TimeEntryDeleted  EventType = "TIME_ENTRY_DELETED"
	TimeEntrySplit    EventType = "TIME_ENTRY_SPLIT"
	TimeEntryRestored EventType = "TIME_ENTRY_RESTORED"
)

// Relayed is the one table of the events the relay relays, in the order
// make setup lists them. The accept half acknowledges and ignores the
// rest; the message package words each one (TestEveryEventIsWorded).
var Relayed = []EventType{NewTimerStarted, TimerStopped, NewTimeEntry, TimeEntryUpdated, TimeEntryDeleted, TimeEntrySplit, TimeEntryRestored}

// IsRelayed reports whether the relay relays the event.
func (e EventType) IsRelayed() bool { return slices.Contains(Relayed, e) }

// Headers Clockify puts on every webhook delivery.
const (
	EventTypeHeader = "Clockify-Webhook-Event-Type"
	SignatureHeader = "Clockify-Signature"
)

// Event is one decoded webhook delivery.
type Event struct {
	Type  EventType `json:"type"`
	Entry TimeEntry `json:"entry"`
}
