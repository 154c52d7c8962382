package deliver

import (
	"context"
	"errors"
	"log/slog"
	"slices"
	"time"

	"clockify-discord-relay/lambda/queue"
)

// settleTimeout bounds the writes made after the sends (the journal, the
// state, the board), which run even when the sends used up the caller's
// deadline: at most this long past it, so that a caller that kept a
// reserve (the SQS consumer) still answers in time. The board has all but
// boardReserve of it, so a slow Discord leaves time to queue its refresh.
const (
	settleTimeout = 3 * time.Second
	boardReserve  = time.Second
)

// settling is the context of the settlement: detached from ctx, ending
// settleTimeout after ctx's deadline (or from now, without one).
func settling(ctx context.Context) (context.Context, context.CancelFunc) {
	end := time.Now().Add(settleTimeout)
	if deadline, ok := ctx.Deadline(); ok && deadline.Before(time.Now()) {
		end = deadline.Add(settleTimeout)
	}
	return context.WithDeadline(context.WithoutCancel(ctx), end)
}

// settler gives the board jobs their results, sends back the jobs whose
// state was not recorded, and queues the refreshes of boards left behind.
type settler struct{ *shared }

func (d *settler) run(ctx context.Context, b *batch) bool {
	for i, j := range b.jobs {
		if j.Board && !b.decided[i] {
			b.results[i] = queue.Result{State: queue.Delivered}
			if b.boardErr != nil {
				b.results[i] = queue.Result{State: queue.Retry, Err: b.boardErr}
			}
		}
	}
	if err := b.stateErr; err != nil {
		d.logger.ErrorContext(ctx, "the state was not recorded; the jobs are tried again, without posting again", slog.String("error", err.Error()))
		for i, r := range b.results {
			if r.State != queue.Retry && (d.opts.Journal != nil || b.jobs[i].Board) {
				b.results[i] = queue.Result{State: queue.Retry, Settled: true, Err: err}
			}
		}
	}
	d.refreshLeftBehind(ctx, b.left)
	if b.boardErr != nil && !b.refresh && !errors.Is(b.boardErr, errBoardWaits) {
		if i := slices.IndexFunc(b.jobs, func(j queue.Job) bool { return j.Channel != "" }); i >= 0 {
			d.requeueBoard(ctx, b.jobs[i], b.boardErr)
		}
	}
	return true
}
