package subcommand

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// Remind runs the reminder check once, on STATE_TABLE or DATA_DIR.
func Remind(ctx context.Context, p Parts) error {
	store, closeStore, err := p.Store()
	if err != nil {
		return err
	}
	defer closeStore()
	// Delivered before the command ends, as the digest command's: the
	// relay that would drain its queue may not be running.
	q, err := p.Jobs(store)
	if err != nil {
		return err
	}
	defer q.Close()
	r := p.Reminder(store, q)
	if r == nil {
		return errors.New("remind: reminders are off (LONG_TIMER_HOURS=0)")
	}
	n, err := r.Run(ctx, time.Now())
	fmt.Fprintf(p.Out, "%d reminders sent\n", n)
	return errors.Join(err, q.Outcome())
}
