package deliver

import (
	"context"
	"errors"
	"fmt"
	"log/slog"

	"clockify-discord-relay/lambda/queue"
	"clockify-discord-relay/lambda/state"
)

// errEntryMoved: the board of a channel that an entry left.
var errEntryMoved = errors.New("an entry moved to another channel")

// placeEntry keeps an entry in one channel at a time. A change that lands
// in another channel than the entry's last one moves it: the old channel
// forgets it (its running timer, so its board and reminders, and its
// ledger record), and its board is refreshed. A change older than the
// entry's latest, elsewhere, is not shown here: here is false. Each step
// is idempotent, and the placement is written last, so an attempt cut
// short moves the entry again.
func (d *Deliverer) placeEntry(ctx context.Context, j queue.Job, sessions bool) (here bool, err error) {
	id := j.Event.Entry.ID
	p, err := d.opts.State.Placement(ctx, id)
	if err != nil {
		return false, fmt.Errorf("reading where the entry is shown: %w", err)
	}
	if p.Dest != "" && p.Dest != j.Channel && !j.AcceptedAt.Before(p.At) && !j.AcceptedAt.After(p.Expires) {
		if err := d.opts.State.Forget(ctx, p.Dest, id); err != nil {
			return false, fmt.Errorf("ending the entry in the channel it left: %w", err)
		}
		d.logger.InfoContext(ctx, "the entry moved to another channel", slog.String("entryId", id), slog.String("from", p.Route), slog.String("to", j.Route))
		if sessions && d.opts.Board {
			d.requeueBoard(ctx, queue.Job{Channel: p.Dest, Route: p.Route}, errEntryMoved)
		}
	}
	placed, err := d.opts.State.Place(ctx, id, state.Placement{Dest: j.Channel, Route: j.Route, At: j.AcceptedAt})
	if err != nil {
		return false, fmt.Errorf("recording where the entry is shown: %w", err)
	}
	if !placed {
		d.logger.InfoContext(ctx, "an older change of an entry now shown in another channel: not shown here", slog.String("entryId", id), slog.String("type", string(j.Event.Type)))
	}
	return placed, nil
}
