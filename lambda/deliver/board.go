package deliver

import (
	"context"
	"errors"
	"fmt"
	"log/slog"

	"clockify-discord-relay/lambda/discord"
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

// board shows a channel's "Working now" board: one message, edited.
type board struct{ *shared }

// showBoard edits the board message, or posts it when there is none
// yet, it was deleted, it is too old to edit (30046), or another webhook
// posted it (after a rotation), and remembers it. A board that already
// shows this is left alone. A board replaced because it is too old, or
// posted and not remembered, is deleted; until that succeeds it is
// remembered beside the board, and showBoard fails so that a refresh
// tries again.
func (d *board) showBoard(ctx context.Context, editor Editor, dest, webhook string, board discord.Message) error {
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
func (d *board) placeBoard(ctx context.Context, editor Editor, dest, webhook string, board discord.Message) (state.BoardMessage, error) {
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
			d.answers.note(webhook, d.now())
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
	if !old.Unsure.IsZero() && !d.answers.since(webhook, old.Unsure) {
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
	d.answers.note(webhook, d.now())
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
func (d *board) sweep(ctx, dctx context.Context, editor Editor, dest, webhook string, b state.BoardMessage) (state.BoardMessage, error) {
	left := d.deleteBoards(dctx, editor, webhook, b.Stale)
	if len(left) == len(b.Stale) {
		return b, nil
	}
	b.Stale = left
	return b, d.opts.State.SetBoard(ctx, dest, b)
}

// deleteBoards deletes the messages, and returns those worth another try
// (Discord did not answer, or not yet).
func (d *board) deleteBoards(ctx context.Context, editor Editor, webhook string, ids []string) []string {
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
