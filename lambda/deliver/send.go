package deliver

import (
	"context"
	"fmt"
	"log/slog"

	"clockify-discord-relay/lambda/clockify"
	"clockify-discord-relay/lambda/deliver/coalesce"
	"clockify-discord-relay/lambda/discord"
	"clockify-discord-relay/lambda/queue"
)

// poster coalesces the jobs to send into as few messages as Discord's
// limits allow, and sends each between two journal marks. After a message
// that must wait, every later one waits; after a webhook is gone, its
// later messages are dead unsent.
type poster struct{ *shared }

func (d *poster) run(ctx context.Context, b *batch) bool {
	var waiting *queue.Result
	gone := map[string]error{}
	for _, p := range packs(b.items, b.pending) {
		var r queue.Result
		switch {
		case waiting != nil:
			r = queue.Result{State: queue.Retry, Hold: waiting.Hold, Err: waiting.Err}
		case gone[p.Webhook] != nil:
			r = queue.Result{State: queue.Dead, Err: gone[p.Webhook]}
		default:
			var posted string
			r, posted = d.sendJournaled(ctx, p, b.jobs, b.edits[p.Items[0]])
			if r.State == queue.Delivered {
				b.answered = true
				d.answers.note(p.Webhook, d.now())
			}
			for _, i := range p.Items {
				if posted != "" && b.jobs[i].Event.Type == clockify.NewTimerStarted {
					b.announced[b.jobs[i].Event.Entry.ID] = posted
				}
			}
		}
		switch {
		case r.State == queue.Retry && waiting == nil:
			waiting = &r
		case r.State == queue.Dead && r.Gone:
			gone[p.Webhook] = r.Err
		}
		for _, i := range p.Items {
			b.results[i] = r
		}
	}
	return true
}

// packs coalesces the items at the indexes of pending; each pack's Items
// index items.
func packs(items []coalesce.Item, pending []int) []coalesce.Pack {
	sub := make([]coalesce.Item, len(pending))
	for k, i := range pending {
		sub[k] = items[i]
	}
	out := coalesce.Packs(sub)
	for _, p := range out {
		for k, i := range p.Items {
			p.Items[k] = pending[i]
		}
	}
	return out
}

// sendJournaled sends one pack between two journal marks: "sending"
// before, so that a crash leaves a trace, and what became of it after.
// An unknown outcome keeps "sending".
func (d *poster) sendJournaled(ctx context.Context, p coalesce.Pack, jobs []queue.Job, edit string) (queue.Result, string) {
	j := d.opts.Journal
	if j == nil {
		r, posted, rep := d.send(ctx, p, jobs, edit)
		d.report(ctx, rep)
		return r, posted
	}
	ids := make([]string, len(p.Items))
	for k, i := range p.Items {
		ids[k] = jobs[i].SendID()
	}
	if err := j.SetMarks(ctx, ids, queue.Sending, d.now()); err != nil {
		return queue.Result{State: queue.Retry, Err: fmt.Errorf("the send journal could not be written: %w", err)}, ""
	}
	r, posted, rep := d.send(ctx, p, jobs, edit)
	// The line is logged once the outcome is in the journal: a process
	// killed after it will not call the send unknown.
	defer d.report(ctx, rep)
	mark := queue.Unsent
	switch r.State {
	case queue.Unknown:
		return r, posted
	case queue.Delivered:
		mark = queue.Shown
	}
	mctx, cancel := settling(ctx)
	defer cancel()
	if err := j.SetMarks(mctx, ids, mark, d.now()); err != nil {
		// The "sending" mark stays: should the job come back, it is
		// reported unknown rather than sent again.
		d.logger.ErrorContext(ctx, "the send journal could not record the outcome", slog.String("outcome", r.State.String()), slog.String("error", err.Error()))
	}
	return r, posted
}

// send posts one pack and logs one line for it. A pack that announces a
// start is posted with ?wait=true when the relay keeps state, and the
// message's id returned, so the stop can link to it.
//
// With edit, the pack (one stop) edits that start message instead; if it
// was deleted, the stop is posted as usual.
func (d *poster) send(ctx context.Context, p coalesce.Pack, jobs []queue.Job, edit string) (queue.Result, string, Report) {
	start := d.now()
	var delivery discord.Delivery
	var err error
	var posted discord.Posted
	e := d.editor
	if edit != "" {
		delivery, err = e.Edit(ctx, p.Webhook, edit, p.Message)
		if kind, _ := discord.Classify(err); err != nil && kind == discord.MessageGone {
			edit = ""
		}
	}
	switch {
	case edit != "":
	case e != nil && announces(p, jobs):
		posted, delivery, err = e.Post(ctx, p.Webhook, p.Message)
	default:
		delivery, err = d.sender.Send(ctx, p.Webhook, p.Message)
	}
	r := queue.Result{State: queue.Delivered, Err: err}
	if err != nil {
		kind, hold := discord.Classify(err)
		switch kind {
		case discord.Retryable:
			r.State, r.Hold = queue.Retry, hold
		case discord.WebhookGone:
			r.State, r.Gone = queue.Dead, true
		case discord.Unknown:
			r.State = queue.Unknown
		default:
			r.State = queue.Dead
		}
	}
	rep := Report{State: r.State, Delivery: delivery, Latency: d.now().Sub(start), Hold: r.Hold, Err: err}
	for _, i := range p.Items {
		rep.Events = append(rep.Events, jobs[i].Kind())
		if s := jobs[i].Digest; s != nil {
			rep.EntryIDs = append(rep.EntryIDs, s.Period.Name())
		} else if r := jobs[i].Remind; r != nil {
			rep.EntryIDs = append(rep.EntryIDs, r.EntryID)
		} else {
			rep.EntryIDs = append(rep.EntryIDs, jobs[i].Event.Entry.ID)
		}
		rep.Oldest = max(rep.Oldest, start.Sub(jobs[i].AcceptedAt))
	}
	return r, posted.ID, rep
}

// report logs one line for a Discord message and tells the observer.
func (d *poster) report(ctx context.Context, rep Report) {
	d.log(ctx, rep)
	if d.opts.Observer != nil {
		d.opts.Observer.ObserveMessage(rep)
	}
}

// announces reports whether the pack carries a timer's start.
func announces(p coalesce.Pack, jobs []queue.Job) bool {
	for _, i := range p.Items {
		if jobs[i].Event.Type == clockify.NewTimerStarted {
			return true
		}
	}
	return false
}
