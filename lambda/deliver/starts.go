package deliver

import (
	"context"
	"log/slog"

	"clockify-discord-relay/lambda/clockify"
	"clockify-discord-relay/lambda/queue"
)

// start is what a stop needs of the message that announced its start.
type start struct {
	id   string // the message; "" when the relay did not post it
	link string // its jump link, for the stop's message; "" when none
}

// starts reads, for each stop, the message that announced its start: the
// stop edits it (SESSION_MESSAGES=edit) or links to it. Read with the
// journal and the channels, before any message is made, so that the
// formatter only formats.
type starts struct {
	*shared
	channels *channels // the webhooks' channels, for the links
}

func (d *starts) run(ctx context.Context, b *batch) bool {
	e := d.editor
	if e == nil {
		return true
	}
	for i, j := range b.jobs {
		if j.Event.Type != clockify.TimerStopped {
			continue
		}
		webhook, _ := b.sec.Webhook(j.Route)
		linked := webhook != "" || d.printing
		if !d.opts.EditSessions && !linked {
			continue
		}
		id := d.announcement(ctx, j)
		if id == "" {
			continue
		}
		s := start{id: id}
		if !d.opts.EditSessions {
			hook, err := d.channels.webhookInfo(ctx, e, webhook)
			if err != nil {
				d.logger.WarnContext(ctx, "the webhook's channel is unknown: no link to the start", slog.String("error", err.Error()))
			} else {
				s.link = hook.JumpLink(id)
			}
		}
		b.starts[i] = s
	}
	return true
}

// announcement is the id of the message that announced the job's entry's
// start, "" when unknown.
func (d *starts) announcement(ctx context.Context, j queue.Job) string {
	r, err := d.opts.State.Entry(ctx, j.Channel, j.Event.Entry.ID)
	if err != nil || r == nil {
		return ""
	}
	return r.Announced
}
