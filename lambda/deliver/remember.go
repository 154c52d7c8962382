package deliver

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"sync"
	"time"

	"clockify-discord-relay/lambda/discord"
	"clockify-discord-relay/lambda/message"
	"clockify-discord-relay/lambda/queue"
	"clockify-discord-relay/lambda/state"
)

// keeper remembers what the batch did in its channel: the ledger, the
// running timers, the links, and the board.
type keeper struct {
	*shared
	channels *channels
	board    *board
}

func (d *keeper) run(ctx context.Context, b *batch) bool {
	b.stateErr, b.boardErr = d.keepState(ctx, b)
	if errors.Is(b.boardErr, errBoardUnsure) && !errors.Is(b.boardErr, errBoardsToDelete) {
		// Nothing to repeat: the next message Discord answers shows it.
		d.logger.WarnContext(ctx, "the board waits for Discord to answer a message", slog.String("cause", b.boardErr.Error()))
		b.boardErr = nil
	}
	return true
}

// keepState records what the batch's events did to the channel's ledger
// and running timers (whatever became of their messages) and which
// messages announced starts, and shows the board once for the whole batch
// (several changes become one edit) when it may be behind: the timers
// changed, or the batch has a board job or was tried before (an attempt
// cut short between the state and the board). Nothing is sent to a
// webhook that is gone, nor while Discord takes none of the batch.
//
// err says that an event could not be recorded in the ledger or the
// running timers; boardErr that the board could not be shown.
// Announcements are best effort.
func (d *keeper) keepState(ctx context.Context, b *batch) (err, boardErr error) {
	jobs, results, catchUp := b.jobs, b.results, b.refresh || b.again
	first := slices.IndexFunc(jobs, func(j queue.Job) bool { return j.Channel != "" })
	if d.opts.State == nil || first < 0 {
		return nil, nil // no memory, or no job has a channel
	}
	editor := d.editor
	dest, webhook, now := jobs[first].Channel, b.items[first].Webhook, d.now()
	// The Printer (no webhook set) keeps the memory and the board too;
	// a job whose route has no webhook now keeps neither.
	sessions := editor != nil && (webhook != "" || d.printing)
	for _, r := range results {
		if r.Gone {
			sessions = false
			d.channels.channelGone(ctx, dest, webhook)
			break
		}
	}
	changed, err := d.record(ctx, jobs, results, sessions, now)
	if err != nil {
		return err, nil
	}
	if !sessions {
		return nil, nil
	}
	for entry, id := range b.announced {
		if err := d.opts.State.Announce(ctx, dest, entry, id); err != nil {
			d.logger.ErrorContext(ctx, "recording a start's message", slog.String("error", err.Error()))
		}
	}
	if d.opts.Board && b.answered && !changed && !catchUp {
		// Discord answered again: a board that waits for that (its post
		// had an unknown outcome) is posted now; unread, it is tried.
		shown, err := d.opts.State.Board(ctx, dest)
		catchUp = err != nil || !shown.Unsure.IsZero()
	}
	if !d.opts.Board || !changed && !catchUp {
		return nil, nil // the board shows this already
	}
	for _, r := range results {
		if r.State == queue.Retry && !r.Settled {
			// Discord is not taking messages now; the jobs come back, and
			// the board is caught up then (a board job waits with them).
			return nil, errBoardWaits
		}
	}
	if d.requeue != nil && jobs[len(jobs)-1].Behind {
		// More jobs wait for this channel: the board, the lowest
		// priority, goes behind them, so that a rush spends the
		// channel's messages on events, and the board is edited once.
		_, err := d.requeue.Enqueue(ctx, queue.NewBoard(dest, jobs[first].Route, now))
		if err == nil {
			return nil, nil
		}
		d.logger.WarnContext(ctx, "the board could not wait behind the channel's jobs; shown now", slog.String("error", err.Error()))
	}
	running, err := d.opts.State.Running(ctx, dest, now)
	if err != nil {
		return nil, fmt.Errorf("reading the running timers: %w", err)
	}
	board := message.Board(running, d.opts.Language)
	if !d.opts.AllowLinks {
		board.Defang()
	}
	if err := d.board.showBoard(ctx, editor, dest, webhook, board); err != nil {
		if kind, _ := discord.Classify(err); kind == discord.WebhookGone {
			// No board can be shown without a webhook; the next one
			// (a new DISCORD_WEBHOOK_URL) posts it anew.
			d.logger.WarnContext(ctx, "the board's webhook is gone", slog.String("error", err.Error()))
			return nil, nil
		}
		return nil, err
	}
	d.logger.InfoContext(ctx, "board", slog.Int("running", len(running)))
	return nil, nil
}

// errBoardWaits: the board was not shown because Discord is not taking
// the batch's messages now; the batch comes back.
var errBoardWaits = errors.New("the board waits for Discord to take messages again")

// record books the batch's events in the channel's ledger, for its
// digests, and, with sessions, applies them to its running timers; it
// reports whether those changed. It does so whatever became of their
// messages, retried ones included: the memory is what happened in
// Clockify, so a stop waiting out a Discord outage still ends its timer
// (no reminder for it). Both writes are idempotent, so a retried event
// changes nothing the second time. Each entry's events go in order;
// entries go at once, so that the store can share one commit among them.
func (d *keeper) record(ctx context.Context, jobs []queue.Job, results []queue.Result, sessions bool, now time.Time) (bool, error) {
	byEntry := map[string][]queue.Job{}
	var order []string
	for _, j := range jobs {
		if j.Event.Type == "" || j.Channel == "" { // a digest, a board, a reminder; or nowhere to keep it
			continue
		}
		id := j.Event.Entry.ID
		if byEntry[id] == nil {
			order = append(order, id)
		}
		byEntry[id] = append(byEntry[id], j)
	}
	var mu sync.Mutex
	changed := false
	var errs []error
	var wg sync.WaitGroup
	for _, id := range order {
		wg.Go(func() {
			c, err := d.recordEntry(ctx, byEntry[id], sessions, now)
			if err != nil && ctx.Err() == nil {
				// Once more at once: every step is idempotent, and a
				// store's passing refusal (a throttle) would otherwise
				// send the whole batch back to wait. The first try may
				// have changed the timers and lost the answer, so the
				// board is shown (an unchanged one is not edited).
				_, err = d.recordEntry(ctx, byEntry[id], sessions, now)
				c = true
			}
			mu.Lock()
			defer mu.Unlock()
			changed = changed || c
			if err != nil {
				errs = append(errs, fmt.Errorf("entry %s: %w", id, err))
			}
		})
	}
	wg.Wait()
	return changed, errors.Join(errs...)
}

// recordEntry records one entry's events of the batch, in order, in the
// entry's channel: placed once, by the latest of them (an entry's events
// in one batch are in one channel, and the latest decides where it is),
// and checked once after, that no other channel took it meanwhile.
func (d *keeper) recordEntry(ctx context.Context, evs []queue.Job, sessions bool, now time.Time) (changed bool, err error) {
	latest := evs[0]
	for _, j := range evs[1:] {
		if j.AcceptedAt.After(latest.AcceptedAt) {
			latest = j
		}
	}
	here, err := d.placeEntry(ctx, latest, sessions)
	if err != nil || !here {
		// Not here: what an earlier attempt left here is forgotten, so
		// the board is shown (an unchanged one is not edited).
		return err == nil, err
	}
	for _, j := range evs {
		if why := state.Unbookable(j.Event.Entry); why != "" {
			d.logger.WarnContext(ctx, "not booked in the ledger", slog.String("entryId", j.Event.Entry.ID), slog.String("reason", why))
		}
		if err := d.opts.State.Book(ctx, j.Channel, j.Route, j.Event, now); err != nil {
			return changed, err // its later events wait for this one
		}
		if sessions {
			c, err := d.opts.State.Apply(ctx, j.Channel, j.Route, j.Event, now)
			if err != nil {
				return changed, err
			}
			changed = changed || c
		}
	}
	gone, err := d.stillHere(ctx, latest)
	return changed || gone, err
}
