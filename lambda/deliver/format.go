package deliver

import (
	"context"

	"clockify-discord-relay/lambda/clockify"
	"clockify-discord-relay/lambda/deliver/coalesce"
	"clockify-discord-relay/lambda/discord"
	"clockify-discord-relay/lambda/message"
	"clockify-discord-relay/lambda/queue"
	"clockify-discord-relay/lambda/secrets"
)

// formatter is each job's message and webhook. It calls nothing outside
// the process: what it needs of the store and of Discord was read before.
type formatter struct{ *shared }

func (d *formatter) run(ctx context.Context, b *batch) bool {
	b.items, b.edits = d.format(ctx, b.sec, b.jobs, b.starts)
	return true
}

// format is each job's message and where it goes, and for the stops
// that edit their start's message (SESSION_MESSAGES=edit), that message.
func (d *formatter) format(ctx context.Context, sec secrets.Values, jobs []queue.Job, starts map[int]start) ([]coalesce.Item, map[int]string) {
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
				if id := starts[i].id; id != "" {
					edits[i], items[i].Alone = id, true
					continue
				}
			}
		}
		if link := starts[i].link; link != "" {
			// After Defang: the link is the relay's own.
			items[i].Link = link
			message.LinkSession(&items[i].Message, link, d.opts.Language)
		}
	}
	return items, edits
}

// webhook is where a job goes: its route's webhook, or the default one;
// "" when the job's route is gone (Deliver reports it).
func (d *formatter) webhook(sec secrets.Values, j queue.Job) string {
	url, _ := sec.Webhook(j.Route)
	return url
}
