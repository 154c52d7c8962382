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
// in another channel than the entry's last one moves it: the channel it
// left forgets it (its running timer, so its board and reminders, and
// its ledger record), and its board is refreshed. A change older than the
// entry's latest, elsewhere, is not shown here: here is false, and what
// an earlier attempt of it left here is forgotten. The
// placement lists the channels left until they have forgotten it, so an
// attempt cut short between the steps forgets them on its next try; in
// the usual case, the entry stays, this is one write.
func (d *keeper) placeEntry(ctx context.Context, j queue.Job, sessions bool) (here bool, err error) {
	id := j.Event.Entry.ID
	held, placed, err := d.opts.State.Place(ctx, id, state.Placement{Dest: j.Channel, Route: j.Route, At: j.AcceptedAt})
	if err != nil {
		return false, fmt.Errorf("recording where the entry is shown: %w", err)
	}
	if !placed {
		d.logger.InfoContext(ctx, "an older change of an entry now shown in another channel: not shown here", slog.String("entryId", id), slog.String("type", string(j.Event.Type)))
		// An earlier attempt of this change may have been placed here,
		// written here after the move forgot the entry here, and died
		// before it could undo that (stillHere): undone now.
		if err := d.opts.State.Forget(ctx, j.Channel, id); err != nil {
			return false, fmt.Errorf("ending the entry in a channel it left: %w", err)
		}
		return false, nil
	}
	if len(held.Left) == 0 {
		return true, nil
	}
	for _, left := range held.Left {
		if err := d.opts.State.Forget(ctx, left.Dest, id); err != nil {
			return false, fmt.Errorf("ending the entry in the channel it left: %w", err)
		}
		d.logger.InfoContext(ctx, "the entry moved to another channel", slog.String("entryId", id), slog.String("from", left.Route), slog.String("to", j.Route))
		if sessions && d.opts.Board {
			d.requeueBoard(ctx, queue.Job{Channel: left.Dest, Route: left.Route}, errEntryMoved)
		}
	}
	if err := d.opts.State.Departed(ctx, id, held.Left); err != nil {
		return false, fmt.Errorf("recording that the entry left: %w", err)
	}
	return true, nil
}

// stillHere undoes what was just recorded of the job's entry here when,
// meanwhile, a later change moved the entry to another channel: that
// channel's deliverer may have forgotten it here before this write.
// gone reports that it did.
func (d *keeper) stillHere(ctx context.Context, j queue.Job) (gone bool, err error) {
	p, err := d.opts.State.Placement(ctx, j.Event.Entry.ID)
	if err != nil || p.Dest == "" || p.Dest == j.Channel {
		return false, err
	}
	return true, d.opts.State.Forget(ctx, j.Channel, j.Event.Entry.ID)
}
