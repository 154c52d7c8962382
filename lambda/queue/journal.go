package queue

import (
	"context"
	"strconv"
	"time"
)

// Mark is what the journal knows of one job's send.
type Mark string

const (
	// Unsent: no send began, or the last one surely did not post.
	Unsent Mark = ""
	// Sending: a send began and its outcome was not recorded. The job may
	// be on Discord: it is never sent again, but reported unknown.
	Sending Mark = "sending"
	// Shown: Discord took the job's message. A job that comes back (a
	// crash before it left the queue, a failed state write) is not posted
	// again.
	Shown Mark = "shown"
)

// JournalTTL is how long a mark is kept: as long as a job can come back
// (MaxAge of retries, then SQS's 4 days of retention), with a day to spare.
const JournalTTL = MaxAge + 5*24*time.Hour

// Journal remembers each job's send across attempts, processes and Lambda
// instances. It is what turns "at least once" into "exactly once, or
// reported": a send is marked before it starts and after it ends, so a
// job whose earlier send may have reached Discord is never sent blindly.
type Journal interface {
	// Marks reads the marks of the given send ids; absent ids are Unsent.
	Marks(ctx context.Context, ids []string) (map[string]Mark, error)
	// SetMarks records m for every id (Unsent forgets them).
	SetMarks(ctx context.Context, ids []string, m Mark, now time.Time) error
}

// SendID names one acceptance of a job in the journal. A redriven dead
// letter is accepted anew, so its marks start fresh: a person who
// redrives an "outcome unknown" letter has checked that it is missing.
func (j Job) SendID() string {
	return j.Key + "@" + strconv.FormatInt(j.AcceptedAt.UnixNano(), 36)
}
