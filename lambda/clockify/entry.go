package clockify

import "time"

// TimeEntry is the body of Clockify's time-entry webhooks. Clockify sends the
// entry itself, with project, task, user and tags filled in; any of those may
// be null or absent, so every nested object is a pointer or a slice.
type TimeEntry struct {
	ID               string       `json:"id"`
	Description      string       `json:"description"`
	UserID           string       `json:"userId"`
	WorkspaceID      string       `json:"workspaceId"`
	ProjectID        string       `json:"projectId,omitempty"`
	TaskID           string       `json:"taskId,omitempty"`
	Billable         bool         `json:"billable"`
	Type             EntryType    `json:"type,omitempty"`
	CurrentlyRunning bool         `json:"currentlyRunning"`
	TimeInterval     TimeInterval `json:"timeInterval"`
	Project          *Project     `json:"project"`
	Task             *Task        `json:"task"`
	User             *User        `json:"user"`
	Tags             []Tag        `json:"tags"`
}

// EntryType tells work from breaks and time off.
type EntryType string

// The entry types Clockify documents.
const (
	EntryRegular EntryType = "REGULAR"
	EntryBreak   EntryType = "BREAK"
	EntryHoliday EntryType = "HOLIDAY"
	EntryTimeOff EntryType = "TIME_OFF"
)

// TimeInterval is when the entry ran. End and Duration are null while the
// timer runs. Start and End are UTC; the zoned fields are the user's wall
// clock, without an offset.
type TimeInterval struct {
	Start      time.Time  `json:"start"`
	End        *time.Time `json:"end"`
	Duration   *Duration  `json:"duration"`
	TimeZone   string     `json:"timeZone,omitempty"`
	ZonedStart string     `json:"zonedStart,omitempty"`
	ZonedEnd   string     `json:"zonedEnd,omitempty"`
}

// Project is the entry's project. ClientName is "" when there is no client.
type Project struct {
	ID         string `json:"id"`
	Name       string `json:"name"`
	ClientID   string `json:"clientId"`
	ClientName string `json:"clientName"`
	Color      string `json:"color"`
}

// Task is the entry's task within its project.
type Task struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

// User is who the entry belongs to. Clockify sends no e-mail or avatar.
type User struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

// Tag is one of the entry's tags.
type Tag struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}
