package digest

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"time"

	"clockify-discord-relay/lambda/queue"
	"clockify-discord-relay/lambda/state"
	"clockify-discord-relay/lambda/summary"
)

// Poster queues digests.
type Poster struct {
	store  state.Store
	queue  queue.Queue
	logger *slog.Logger
}

// New returns a Poster that reads store and queues into q.
func New(store state.Store, q queue.Queue, logger *slog.Logger) *Poster {
	return &Poster{store: store, queue: q, logger: logger}
}

// Result is what a run did.
type Result struct {
	Queued  int  `json:"digests"`
	Already int  `json:"alreadyPosted,omitempty"` // claimed by an earlier run
	Empty   bool `json:"-"`                       // no destination had time in the period
}

// Run queues the digest of period p, made at now, for every destination
// with time in it. Each destination's digest is claimed first, so a
// schedule that fires twice, or a command run twice, posts it once; force
// posts it again. A digest that cannot be queued gives its claim back, and
// the others still go.
func (p *Poster) Run(ctx context.Context, period summary.Period, now time.Time, force bool) (Result, error) {
	var res Result
	entries, err := p.store.Ledger(ctx, period.Start, period.End, now)
	if err != nil {
		return res, fmt.Errorf("reading the ledger: %w", err)
	}
	groups, routes := summary.ByDestination(entries)
	dests := make([]string, 0, len(groups))
	for dest := range groups {
		dests = append(dests, dest)
	}
	slices.Sort(dests)
	name := period.Name()
	var errs []error
	for _, dest := range dests {
		s := summary.Build(groups[dest], period, now)
		if s.Total <= 0 {
			continue
		}
		if !force {
			won, err := p.store.Claim(ctx, dest, name, later(now, period.End).Add(state.LedgerAge))
			if err != nil {
				errs = append(errs, err)
				continue
			}
			if !won {
				res.Already++
				continue
			}
		}
		receipt, err := p.queue.Enqueue(ctx, queue.NewDigest(s, dest, routes[dest], now, force))
		if err != nil {
			if !force {
				if rerr := p.store.Release(ctx, dest, name); rerr != nil {
					err = errors.Join(err, rerr)
				}
			}
			errs = append(errs, err)
			continue
		}
		res.Queued++
		p.logger.InfoContext(ctx, "digest", slog.String("period", name), slog.String("dest", dest), slog.String("status", receipt.Status),
			slog.Int("users", len(s.Users)), slog.Int("entries", s.Entries), slog.Duration("total", s.Total))
	}
	res.Empty = len(dests) == 0
	return res, errors.Join(errs...)
}

func later(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}
