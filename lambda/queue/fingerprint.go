package queue

import (
	"clockify-discord-relay/lambda/clockify"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"time"
)

// fingerprint is a hash of the fields of the event that a message can
// show: two deliveries with the same fingerprint show the same thing. It
// is the last part of a job's Key, which the queue dedupes by, without
// rendering a message.
func fingerprint(ev clockify.Event) string {
	e := ev.Entry
	shown := struct {
		Type                         clockify.EventType
		ID, Description, User        string
		Project, Client, Color, Task string
		Tags                         []string
		Billable, Running            bool
		Kind                         clockify.EntryType
		Start                        time.Time
		End                          *time.Time
		Duration                     *clockify.Duration
	}{Type: ev.Type, ID: e.ID, Description: e.Description, Billable: e.Billable, Running: e.CurrentlyRunning, Kind: e.Type,
		Start: e.TimeInterval.Start, End: e.TimeInterval.End, Duration: e.TimeInterval.Duration}
	if e.User != nil {
		shown.User = e.User.Name
	}
	if p := e.Project; p != nil {
		shown.Project, shown.Client, shown.Color = p.Name, p.ClientName, p.Color
	}
	if e.Task != nil {
		shown.Task = e.Task.Name
	}
	for _, t := range e.Tags {
		shown.Tags = append(shown.Tags, t.Name)
	}
	raw, _ := json.Marshal(shown)
	sum := sha256.Sum256(raw)
	return hex.EncodeToString(sum[:12])
}
