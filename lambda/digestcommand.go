package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"time"

	"clockify-discord-relay/lambda/schedule/digest"
	"clockify-discord-relay/lambda/summary"
)

// digestOnce posts a digest now, from STATE_TABLE or DATA_DIR, straight
// to Discord: bootstrap digest [-date YYYY-MM-DD] [-period daily|weekly]
// [-force]. Without -date, a daily digest is today's so far and a weekly
// one last week's.
func digestOnce(ctx context.Context, w *wiring, args []string) error {
	fs := flag.NewFlagSet("digest", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	date := fs.String("date", "", "the day to sum up (YYYY-MM-DD, in TIME_ZONE); with -period weekly, any day of the week")
	kind := summary.Daily
	if w.s.digest != nil {
		kind = w.s.digest.Kind
	}
	periodFlag := fs.String("period", string(kind), "daily or weekly")
	force := fs.Bool("force", false, "post it again, even if it was posted")
	if err := fs.Parse(args); err != nil || fs.NArg() > 0 {
		return errors.New(usage)
	}
	kind, err := summary.ParseKind(*periodFlag)
	if err != nil {
		return fmt.Errorf("-period: %w", err)
	}
	now := time.Now().In(w.s.zone)
	period := summary.Due(kind, now)
	if *date != "" {
		day, err := time.ParseInLocation(time.DateOnly, *date, w.s.zone)
		if err != nil {
			return fmt.Errorf("-date: %q is not a date like 2026-11-27", *date)
		}
		period = summary.Of(kind, day)
	}
	store, closeStore, err := w.anyStore()
	if err != nil {
		return err
	}
	defer closeStore()
	q, err := w.jobQueue(store)
	if err != nil {
		return err
	}
	defer q.close()
	poster := digest.New(store, q, w.logger) // even with DIGEST=off
	res, err := poster.Run(ctx, period, now, *force)
	err = errors.Join(err, q.outcome())
	switch {
	case err != nil:
		return fmt.Errorf("digest %s: %d posted: %w", period.Name(), res.Queued, err)
	case res.Empty:
		fmt.Fprintf(w.stdout, "no time tracked in %s: no digest to post\n", period.Name())
	case res.Queued == 0:
		fmt.Fprintf(w.stdout, "the digest of %s was posted already; -force posts it again\n", period.Name())
	default:
		fmt.Fprintf(w.stdout, "%s: %d posted\n", period.Name(), res.Queued)
	}
	return nil
}
