package digest

import (
	"context"
	"fmt"
	"time"

	"clockify-discord-relay/lambda/state"
	"clockify-discord-relay/lambda/summary"
)

// LastDayWithTime is today, or when nothing was tracked today, the last
// day in the ledger's reach that has time.
func LastDayWithTime(ctx context.Context, store state.Store, now time.Time) (summary.Period, error) {
	today := summary.DayOf(now)
	entries, err := store.Ledger(ctx, now.Add(-state.LedgerAge), now, now)
	if err != nil {
		return today, fmt.Errorf("reading the ledger: %w", err)
	}
	var last time.Time
	for _, e := range entries {
		if e.Work && e.End.After(e.Start) && e.End.After(last) {
			last = e.End
		}
	}
	if last.IsZero() || !last.Before(today.Start) {
		return today, nil
	}
	return summary.DayOf(last.Add(-time.Nanosecond).In(now.Location())), nil
}
