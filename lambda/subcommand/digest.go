package subcommand

import (
	"context"
	"errors"
	"fmt"
	"time"

	"clockify-discord-relay/lambda/cmdline"
	"clockify-discord-relay/lambda/schedule/digest"
	"clockify-discord-relay/lambda/summary"
)

// Digest posts a digest now, from STATE_TABLE or DATA_DIR: bootstrap
// digest [-date YYYY-MM-DD] [-period daily|weekly] [-force] [-png FILE].
// Without -date, a daily digest is today's so far, or the last day with
// time tracked when today has none; a weekly one is last week's.
func Digest(ctx context.Context, p Parts, args []string) error {
	fs := cmdline.Flags("digest")
	date := fs.String("date", "", "the day to sum up (YYYY-MM-DD, in TIME_ZONE); with -period weekly, any day of the week")
	kind := summary.Daily
	if p.Settings.Digest != nil {
		kind = p.Settings.Digest.Kind
	}
	periodFlag := fs.String("period", string(kind), "daily or weekly")
	force := fs.Bool("force", false, "post it again, even if it was posted")
	png := fs.String("png", "", "also write the chart to this file, to see it without Discord")
	if err := cmdline.Parse(fs, args); err != nil {
		return err
	}
	kind, err := summary.ParseKind(*periodFlag)
	if err != nil {
		return fmt.Errorf("-period (PERIOD=): %w", err)
	}
	now := time.Now().In(p.Settings.Zone)
	store, closeStore, err := p.Store()
	if err != nil {
		return err
	}
	defer closeStore()
	period := summary.Due(kind, now)
	if *date != "" {
		day, err := time.ParseInLocation(time.DateOnly, *date, p.Settings.Zone)
		if err != nil {
			return fmt.Errorf("-date (DATE=): %q is not a date like 2026-11-27", *date)
		}
		period = summary.Of(kind, day)
	} else if kind == summary.Daily {
		if period, err = digest.LastDayWithTime(ctx, store, now); err != nil {
			return err
		}
	}
	if *png != "" {
		if err := digest.WriteChart(ctx, store, period, now, p.Settings.Language, *png); err != nil {
			return err
		}
		fmt.Fprintf(p.Out, "the chart of %s is in %s\n", period.Name(), *png)
	}
	q, err := p.Jobs(store)
	if err != nil {
		return err
	}
	defer q.Close()
	poster := digest.New(store, q, p.Logger) // even with DIGEST=off
	// Without a webhook it is a preview: printed, and claimed nowhere, so
	// that the digest still goes out once a webhook is set.
	preview := p.Printing
	res, err := poster.Run(ctx, period, now, *force || preview)
	err = errors.Join(err, q.Outcome())
	switch {
	case err != nil:
		return fmt.Errorf("digest %s: %d posted: %w", period.Name(), res.Queued, err)
	case res.Empty:
		fmt.Fprintf(p.Out, "no time tracked in %s: no digest to post (-date, DATE=, names another day)\n", period.Name())
	case res.Queued == 0:
		fmt.Fprintf(p.Out, "the digest of %s was posted already; -force (FORCE=1) posts it again\n", period.Name())
	case preview:
		fmt.Fprintf(p.Out, "%s: %d printed, a preview (no DISCORD_WEBHOOK_URL): nothing is marked as posted\n", period.Name(), res.Queued)
	default:
		fmt.Fprintf(p.Out, "%s: %d posted\n", period.Name(), res.Queued)
	}
	return nil
}
