package deliver

import (
	"context"
	"log/slog"

	"clockify-discord-relay/lambda/clockify"
	"clockify-discord-relay/lambda/deliver/coalesce"
	"clockify-discord-relay/lambda/discord"
	"clockify-discord-relay/lambda/message"
	"clockify-discord-relay/lambda/queue"
	"clockify-discord-relay/lambda/secrets"
)

// formatter is each job's message and webhook.
type formatter struct {
	*shared
	channels *channels // the webhooks' channels, for the links to starts
}

func (d *formatter) run(ctx context.Context, b *batch) bool {
	b.items, b.edits = d.format(ctx, b.sec, b.jobs)
	return true
}

// format is each job's message and where it goes, and for the stops
// that edit their start's message (SESSION_MESSAGES=edit), that message.
func (d *formatter) format(ctx context.Context, sec secrets.Values, jobs []queue.Job) ([]coalesce.Item, map[int]string) {
	items := make([]coalesce.Item, len(jobs))
	edits := map[int]string{} // item → the start message its stop edits
	// More than one message of embeds can carry may go as a list
	// (coalesce); only then are the lines worth making.
	list := d.opts.Style == message.StyleEmbed && len(jobs) > discord.MaxEmbeds
	for i, j := range jobs {
		switch {
		case j.Board:
			items[i] = coalesce.Item{Webhook: d.webhook(sec, j), Alone: true} // shown by keepState
			continue
		case j.Digest != nil:
			items[i] = coalesce.Item{Webhook: d.webhook(sec, j), Message: d.digest(ctx, *j.Digest), Alone: true}
			continue
		case j.Remind != nil:
			msg := message.Reminder(*j.Remind, d.opts.Language, d.now())
			if !d.opts.AllowLinks {
				msg.Defang()
			}
			items[i] = coalesce.Item{Webhook: d.webhook(sec, j), Message: msg, Alone: true}
			continue
		}
		msg := message.Format(j.Event, d.opts.Language, d.opts.Style)
		if !d.opts.AllowLinks {
			msg.Defang()
		}
		webhook := d.webhook(sec, j)
		items[i] = coalesce.Item{Webhook: webhook, Message: msg}
		if list {
			line, icon := message.Line(j.Event, d.opts.Language)
			if !d.opts.AllowLinks {
				line = discord.Defang(line)
			}
			items[i].Line, items[i].Tally = line, icon
		}
		if d.opts.EditSessions && d.editor != nil {
			switch j.Event.Type {
			case clockify.NewTimerStarted:
				items[i].Alone = true // its stop edits it
			case clockify.TimerStopped:
				if id := d.announcement(ctx, j); id != "" {
					edits[i], items[i].Alone = id, true
					continue
				}
			}
		}
		d.linkSession(ctx, j, webhook, &items[i]) // after Defang: the link is the relay's own
	}
	return items, edits
}

// webhook is where a job goes: its route's webhook, or the default one;
// "" when the job's route is gone (Deliver reports it).
func (d *formatter) webhook(sec secrets.Values, j queue.Job) string {
	url, _ := sec.Webhook(j.Route)
	return url
}

// linkSession adds to a stop message, and its line, the jump link to the
// message that announced its start, when the relay posted it.
func (d *formatter) linkSession(ctx context.Context, j queue.Job, webhook string, it *coalesce.Item) {
	e := d.editor
	if e == nil || j.Event.Type != clockify.TimerStopped || webhook == "" && !d.printing {
		return
	}
	id := d.announcement(ctx, j)
	if id == "" {
		return
	}
	hook, err := d.channels.webhookInfo(ctx, e, webhook)
	if err != nil {
		d.logger.WarnContext(ctx, "the webhook's channel is unknown: no link to the start", slog.String("error", err.Error()))
		return
	}
	it.Link = hook.JumpLink(id)
	message.LinkSession(&it.Message, it.Link, d.opts.Language)
}

// announcement is the id of the message that announced the job's entry's
// start, "" when unknown.
func (d *formatter) announcement(ctx context.Context, j queue.Job) string {
	r, err := d.opts.State.Entry(ctx, j.Channel, j.Event.Entry.ID)
	if err != nil || r == nil {
		return ""
	}
	return r.Announced
}
