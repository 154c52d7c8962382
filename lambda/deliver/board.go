package deliver

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"sync"
	"time"

	"clockify-discord-relay/lambda/clockify"
	"clockify-discord-relay/lambda/deliver/coalesce"
	"clockify-discord-relay/lambda/discord"
	"clockify-discord-relay/lambda/message"
	"clockify-discord-relay/lambda/queue"
	"clockify-discord-relay/lambda/state"
)

// Editor posts a message and learns its id, and edits it later: what the
// board needs of Discord.
type Editor interface {
	Post(ctx context.Context, webhookURL string, msg discord.Message) (discord.Posted, discord.Delivery, error)
	Edit(ctx context.Context, webhookURL, messageID string, msg discord.Message) (discord.Delivery, error)
	Info(ctx context.Context, webhookURL string) (discord.Webhook, error)
	Delete(ctx context.Context, webhookURL, messageID string) error
}

var _ Editor = (*discord.Client)(nil)

// keepState records what the batch's events did to the channel's ledger
// and running timers (whatever became of their messages) and which
// messages announced starts, and shows the board once for the whole batch
// (several changes become one edit) when it may be behind: the timers
// changed, or catchUp says (a board job, or a batch tried before, as an
// attempt cut short between the state and the board). Nothing is sent to a
// webhook that is gone, nor while Discord takes none of the batch.
//
// err says that an event could not be recorded in the ledger or the
// running timers; boardErr that the board could not be shown.
// Announcements are best effort.
func (d *Deliverer) keepState(ctx context.Context, jobs []queue.Job, items []coalesce.Item, results []queue.Result, announced map[string]string, catchUp, answered bool) (err, boardErr error) {
	first := slices.IndexFunc(jobs, func(j queue.Job) bool { return j.Channel != "" })
	if d.opts.State == nil || first < 0 {
		return nil, nil // no memory, or no job has a channel
	}
	editor := d.editor()
	dest, webhook, now := jobs[first].Channel, items[first].Webhook, d.now()
	// The Printer (no webhook set) keeps the memory and the board too;
	// a job whose route has no webhook now keeps neither.
	sessions := editor != nil && (webhook != "" || d.printing())
	for _, r := range results {
		if r.Gone {
			sessions = false
			d.channelGone(ctx, dest, webhook)
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
	for entry, id := range announced {
		if err := d.opts.State.Announce(ctx, dest, entry, id); err != nil {
			d.logger.ErrorContext(ctx, "recording a start's message", slog.String("error", err.Error()))
		}
	}
	if d.opts.Board && answered && !changed && !catchUp {
		// Discord answered again: a board that waits for that (its post
		// had an unknown outcome) is posted now; unread, it is tried.
		b, err := d.opts.State.Board(ctx, dest)
		catchUp = err != nil || !b.Unsure.IsZero()
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
	if err := d.showBoard(ctx, editor, dest, webhook, board); err != nil {
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
func (d *Deliverer) record(ctx context.Context, jobs []queue.Job, results []queue.Result, sessions bool, now time.Time) (bool, error) {
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
func (d *Deliverer) recordEntry(ctx context.Context, evs []queue.Job, sessions bool, now time.Time) (changed bool, err error) {
	latest := evs[0]
	for _, j := range evs[1:] {
		if j.AcceptedAt.After(latest.AcceptedAt) {
			latest = j
		}
	}
	here, err := d.placeEntry(ctx, latest, sessions)
	if err != nil || !here {
		return false, err
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

// showBoard edits the board message, or posts it when there is none
// yet, it was deleted, it is too old to edit (30046), or another webhook
// posted it (after a rotation), and remembers it. A board that already
// shows this is left alone. A board replaced because it is too old, or
// posted and not remembered, is deleted; until that succeeds it is
// remembered beside the board, and showBoard fails so that a refresh
// tries again.
func (d *Deliverer) showBoard(ctx context.Context, editor Editor, dest, webhook string, board discord.Message) error {
	b, err := d.placeBoard(ctx, editor, dest, webhook, board)
	if (err == nil || errors.Is(err, errBoardUnsure)) && len(b.Stale) > 0 {
		err = errors.Join(err, fmt.Errorf("%w: %d", errBoardsToDelete, len(b.Stale)))
	}
	return err
}

var errBoardsToDelete = errors.New("old boards are still to be deleted")

// errBoardUnsure: the board's post has an unknown outcome, so it is not
// posted again until Discord takes a message of the channel.
var errBoardUnsure = errors.New("the board's last post has an unknown outcome")

// placeBoard shows the board as showBoard says, and returns it as it is
// remembered.
func (d *Deliverer) placeBoard(ctx context.Context, editor Editor, dest, webhook string, board discord.Message) (state.BoardMessage, error) {
	old, err := d.opts.State.Board(ctx, dest)
	if err != nil {
		return old, err
	}
	// Discord's calls end boardReserve before ctx does: what became of
	// them is still recorded (an answered post that is not remembered is
	// a stray board).
	dctx := ctx
	if deadline, ok := ctx.Deadline(); ok {
		var cancel context.CancelFunc
		dctx, cancel = context.WithDeadline(ctx, deadline.Add(-boardReserve))
		defer cancel()
	}
	if len(old.Stale) > 0 {
		if old, err = d.sweep(ctx, dctx, editor, dest, webhook, old); err != nil {
			return old, err
		}
	}
	shown, err := discord.Encode(board)
	if err != nil {
		return old, err
	}
	next := state.BoardMessage{ID: old.ID, Webhook: queue.Hash(webhook), Shown: queue.Hash(string(shown)), Stale: old.Stale}
	if old.ID != "" && old.Webhook == next.Webhook && old.Shown == next.Shown {
		return old, nil
	}
	if old.ID == "" && old.Unsure.IsZero() && len(board.Embeds) == 1 && board.Embeds[0].Description == d.opts.Language.Board.Empty {
		return old, nil // a channel that never had a board needs none to say nobody works
	}
	if old.ID != "" && (old.Webhook == next.Webhook || old.Webhook == "") {
		// What it shows is unknown until the edit is recorded: an edit
		// that is made and not recorded must not pass for the old board.
		if old.Shown != "" {
			old.Shown = ""
			if err := d.opts.State.SetBoard(ctx, dest, old); err != nil {
				return old, err
			}
		}
		_, err := editor.Edit(dctx, webhook, old.ID, board)
		if err == nil {
			d.noteAnswer(webhook, d.now())
			return next, d.opts.State.SetBoard(ctx, dest, next)
		}
		var api *discord.APIError
		if kind, _ := discord.Classify(err); kind != discord.MessageGone {
			return old, err
		}
		if errors.As(err, &api) && api.Code == discord.CodeMessageTooOld {
			next.Stale = addStale(next.Stale, old.ID)
		}
	}
	if !old.Unsure.IsZero() && !d.answeredSince(webhook, old.Unsure) {
		// A board post of unknown outcome may be in the channel: another
		// one waits until Discord answers a message of the webhook again,
		// so that an outage or a slow Discord leaves one stray board at
		// most.
		return old, errBoardUnsure
	}
	// The post is unsure until its answer is recorded: should the answer
	// be lost, or the process die before recording it, the next refresh
	// knows that a board it cannot name may be in the channel.
	intent := next
	intent.ID, intent.Shown, intent.Unsure = "", "", d.now()
	if err := d.opts.State.SetBoard(ctx, dest, intent); err != nil {
		return old, err
	}
	posted, _, err := editor.Post(dctx, webhook, board)
	if kind, _ := discord.Classify(err); err != nil && kind == discord.Unknown {
		// Only an answer after this shows that Discord takes messages
		// again (the intent is older than the post's landing).
		intent.Unsure = d.now()
		if serr := d.opts.State.SetBoard(ctx, dest, intent); serr != nil {
			d.logger.WarnContext(ctx, "the board's unknown post is remembered from before it", slog.String("error", serr.Error()))
		}
		return intent, errBoardUnsure
	}
	if err != nil {
		// Not posted: the board is as it was, and nothing is unsure.
		if serr := d.opts.State.SetBoard(ctx, dest, old); serr != nil {
			d.logger.WarnContext(ctx, "the board waits for Discord to answer again", slog.String("error", serr.Error()))
		}
		return old, err
	}
	d.noteAnswer(webhook, d.now())
	next.ID = posted.ID
	if err := d.opts.State.SetBoard(ctx, dest, next); err != nil {
		// Unremembered, it would stay in the channel beside the next one
		// (which waits, as after a post of unknown outcome, should the
		// delete fail too).
		d.deleteBoards(ctx, editor, webhook, []string{posted.ID})
		return intent, err
	}
	if len(next.Stale) > 0 {
		return d.sweep(ctx, dctx, editor, dest, webhook, next)
	}
	return next, nil
}

// maxStale bounds the boards remembered to delete: past it, the oldest
// is given up.
const maxStale = 10

func addStale(stale []string, id string) []string {
	stale = append(stale, id)
	return stale[max(len(stale)-maxStale, 0):]
}

// sweep deletes the boards b remembers to delete (on dctx), and
// remembers those that could not be deleted yet (on ctx).
func (d *Deliverer) sweep(ctx, dctx context.Context, editor Editor, dest, webhook string, b state.BoardMessage) (state.BoardMessage, error) {
	left := d.deleteBoards(dctx, editor, webhook, b.Stale)
	if len(left) == len(b.Stale) {
		return b, nil
	}
	b.Stale = left
	return b, d.opts.State.SetBoard(ctx, dest, b)
}

// deleteBoards deletes the messages, and returns those worth another try
// (Discord did not answer, or not yet).
func (d *Deliverer) deleteBoards(ctx context.Context, editor Editor, webhook string, ids []string) []string {
	var left []string
	for _, id := range ids {
		err := editor.Delete(ctx, webhook, id)
		if err == nil {
			continue
		}
		d.logger.WarnContext(ctx, "an old board could not be deleted", slog.String("error", err.Error()))
		if kind, _ := discord.Classify(err); kind == discord.Retryable || kind == discord.Unknown {
			left = append(left, id)
		}
	}
	return left
}

// printing reports whether messages go to stdout (no webhook set): its
// empty webhook URL then stands for the printed channel.
func (d *Deliverer) printing() bool {
	_, ok := d.sender.(*discord.Printer)
	return ok
}

// editor is the sender when it can post, edit and tell its channel, and
// the relay keeps state; nil otherwise.
func (d *Deliverer) editor() Editor {
	e, ok := d.sender.(Editor)
	if !ok || d.opts.State == nil {
		return nil
	}
	return e
}

// linkSession adds to a stop message, and its line, the jump link to the
// message that announced its start, when the relay posted it.
func (d *Deliverer) linkSession(ctx context.Context, j queue.Job, webhook string, it *coalesce.Item) {
	e := d.editor()
	if e == nil || j.Event.Type != clockify.TimerStopped || webhook == "" && !d.printing() {
		return
	}
	id := d.announcement(ctx, j)
	if id == "" {
		return
	}
	hook, err := d.webhookInfo(ctx, e, webhook)
	if err != nil {
		d.logger.WarnContext(ctx, "the webhook's channel is unknown: no link to the start", slog.String("error", err.Error()))
		return
	}
	it.Link = hook.JumpLink(id)
	message.LinkSession(&it.Message, it.Link, d.opts.Language)
}

// announcement is the id of the message that announced the job's entry's
// start, "" when unknown.
func (d *Deliverer) announcement(ctx context.Context, j queue.Job) string {
	r, err := d.opts.State.Entry(ctx, j.Channel, j.Event.Entry.ID)
	if err != nil || r == nil {
		return ""
	}
	return r.Announced
}

// webhookInfo asks Discord for a webhook's guild and channel once, and
// keeps the answer.
func (d *Deliverer) webhookInfo(ctx context.Context, e Editor, webhook string) (discord.Webhook, error) {
	d.mu.Lock()
	hook, ok := d.hooks[webhook]
	d.mu.Unlock()
	if ok {
		return hook, nil
	}
	hook, err := e.Info(ctx, webhook)
	if err != nil {
		return hook, err
	}
	d.mu.Lock()
	d.hooks[webhook] = hook
	d.mu.Unlock()
	return hook, nil
}
