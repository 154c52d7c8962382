package digest

import (
	"context"
	"fmt"
	"os"
	"time"

	"clockify-discord-relay/lambda/message"
	"clockify-discord-relay/lambda/schedule/digest/chart"
	"clockify-discord-relay/lambda/schedule/digest/report"
	"clockify-discord-relay/lambda/state"
	"clockify-discord-relay/lambda/summary"
)

// WriteChart draws the period's chart, over every channel, to file.
func WriteChart(ctx context.Context, store state.Store, p summary.Period, now time.Time, lang message.Language, file string) error {
	entries, err := store.Ledger(ctx, p.Start, p.End, now)
	if err != nil {
		return fmt.Errorf("reading the ledger: %w", err)
	}
	s := summary.Build(entries, p, now)
	if s.Total <= 0 {
		return fmt.Errorf("no time tracked in %s: no chart to draw", p.Name())
	}
	png, err := chart.Render(s, report.Labels(s, lang))
	if err != nil {
		return err
	}
	return os.WriteFile(file, png, 0o644)
}
