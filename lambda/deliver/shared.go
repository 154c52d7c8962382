package deliver

import (
	"context"
	"log/slog"
	"time"

	"clockify-discord-relay/lambda/queue"
	"clockify-discord-relay/lambda/schedule/digest/chart"
	"clockify-discord-relay/lambda/summary"
)

// shared is what the stages share: the sender, the options, the clock,
// and what this process learned of Discord's answers.
type shared struct {
	sender Sender
	// editor is the sender when it can post, edit and tell its channel,
	// and the relay keeps state; nil otherwise.
	editor Editor
	// printing: messages go to stdout (no webhook set), and its empty
	// webhook URL stands for the printed channel.
	printing bool
	logger   *slog.Logger
	opts     Options
	now      func() time.Time
	answers  *answers

	drawChart func(summary.Summary, chart.Labels) ([]byte, error) // chart.Render; tests break it
	requeue   queue.Queue                                         // where board refreshes go; nil: none
}

// requeueBoard queues a refresh of the board that an event's delivery
// could not show, so the board catches up though no other event comes:
// the refresh has the queue's retries, in the channel's order.
func (d *shared) requeueBoard(ctx context.Context, j queue.Job, cause error) {
	log := d.logger.With(slog.String("cause", cause.Error()))
	if d.requeue == nil {
		log.WarnContext(ctx, "the board was not updated; the next change tries again")
		return
	}
	if _, err := d.requeue.Enqueue(ctx, queue.NewBoard(j.Channel, j.Route, d.now())); err != nil {
		log.ErrorContext(ctx, "the board was not updated, and its refresh could not be queued", slog.String("error", err.Error()))
		return
	}
	log.WarnContext(ctx, "the board was not updated; a refresh is queued")
}

// refreshLeftBehind queues a refresh of the boards of the channels that
// gone routes posted to: a board that waited for its batch to come back
// (errBoardWaits) is left behind when the batch ends dead instead. The
// refresh finds the route that posts there now, if any.
func (d *shared) refreshLeftBehind(ctx context.Context, routes map[string]bool) {
	if d.opts.State == nil || !d.opts.Board || d.editor == nil {
		return
	}
	for route := range routes {
		if rc, found, err := d.opts.State.RouteChannel(ctx, route); err == nil && found {
			d.requeueBoard(ctx, queue.Job{Channel: rc.Dest, Route: route}, errRouteGone)
		}
	}
}
