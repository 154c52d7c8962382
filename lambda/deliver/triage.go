package deliver

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"clockify-discord-relay/lambda/clockify"
	"clockify-discord-relay/lambda/queue"
)

// triage decides which jobs are sent: not those whose route is gone, a
// board (the keeper shows it), a reminder of a timer that stopped, a job
// the journal shows was posted, or one whose earlier send has an unknown
// outcome.
type triage struct{ *shared }

func (d *triage) run(ctx context.Context, b *batch) bool {
	for i, j := range b.jobs {
		b.again = b.again || j.Tried > 0 || b.marks[j.SendID()] != queue.Unsent
		if b.decided[i] {
			continue
		}
		if _, found := b.sec.Webhook(j.Route); !found {
			// A job never changes channel: its route is gone or now
			// drops, and no other webhook may show it. A young job waits
			// a while: the rule may be new, and these secrets older
			// than the accept half's.
			b.results[i] = queue.Result{State: queue.Dead, Err: fmt.Errorf("%w: %q", errRouteGone, j.Route)}
			switch {
			case j.Board:
				b.results[i] = queue.Result{State: queue.Delivered} // no channel, no board
			case d.now().Sub(j.AcceptedAt) < routeGrace:
				b.results[i] = queue.Result{State: queue.Retry, Hold: time.Minute, Err: b.results[i].Err}
			default:
				b.left[j.Route] = true
			}
			continue
		}
		if j.Board {
			b.refresh = true
			continue
		}
		if j.Remind != nil && d.stoppedBefore(ctx, b.jobs[:i], j) {
			b.results[i] = queue.Result{State: queue.Delivered} // nothing to remind of
			continue
		}
		switch b.marks[j.SendID()] {
		case queue.Unsent:
			if age := d.now().Sub(j.AcceptedAt); age >= queue.MaxAge && j.Tried > 0 {
				// Past the retries: reported, not posted a day late. It
				// is still booked, and retried until it is.
				b.results[i] = queue.Result{State: queue.Dead, Err: fmt.Errorf("not delivered within %s", queue.MaxAge)}
				continue
			}
			b.pending = append(b.pending, i)
		case queue.Shown:
			b.results[i] = queue.Result{State: queue.Delivered}
			// Discord answered its send, which came after it was
			// accepted: durable evidence, though the process that had
			// the answer is gone.
			d.answers.note(b.items[i].Webhook, j.AcceptedAt)
			b.answered = true
		case queue.Sending:
			b.results[i] = queue.Result{State: queue.Unknown, Err: errEarlierSend}
		}
	}
	return true
}

// stoppedBefore reports whether the timer a reminder job names has
// stopped: by an event ahead of it in its batch, or in the state. A
// reminder queued behind a stop that waited out an outage goes unsent.
func (d *triage) stoppedBefore(ctx context.Context, earlier []queue.Job, j queue.Job) bool {
	id := j.Remind.EntryID
	for _, e := range earlier {
		if e.Event.Entry.ID == id && e.Event.Type != "" && (e.Event.Type == clockify.TimeEntryDeleted || !e.Event.Entry.CurrentlyRunning) {
			return true
		}
	}
	if d.opts.State == nil {
		return false
	}
	r, err := d.opts.State.Entry(ctx, j.Channel, id)
	if err == nil && r == nil {
		// Forgotten here: the entry moved to another channel.
		p, err := d.opts.State.Placement(ctx, id)
		return err == nil && p.Dest != "" && p.Dest != j.Channel
	}
	if err != nil {
		return false // unknown: remind, as the schedule decided
	}
	if r.Stopped {
		d.logger.InfoContext(ctx, "the timer stopped before its reminder went out", slog.String("entryId", id))
	}
	return r.Stopped
}

// errEarlierSend is the result of a job whose earlier send began and
// never recorded its outcome (a crash, a timeout, a lost answer).
var errEarlierSend = errors.New("an earlier attempt began to send it and its outcome was not recorded")

// errRouteGone: the job's route rule no longer exists, or now drops.
var errRouteGone = errors.New("the job's route rule is gone or now drops, so it is posted nowhere else (ROUTES: restore the rule, then redrive)")

// routeGrace is how long a job whose route is unknown waits before it is
// dead: longer than the secrets are cached (5 minutes, in main), so that
// a rule the accept half already knows is not taken for a gone one.
const routeGrace = 15 * time.Minute
