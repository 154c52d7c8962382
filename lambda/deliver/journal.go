package deliver

import (
	"context"
	"fmt"

	"clockify-discord-relay/lambda/queue"
)

// journalReader reads what earlier attempts did with the batch's jobs.
type journalReader struct{ *shared }

func (d *journalReader) run(ctx context.Context, b *batch) bool {
	marks, err := d.marks(ctx, b.jobs)
	if err != nil {
		return b.retryAll(fmt.Errorf("the send journal could not be read: %w", err))
	}
	b.marks = marks
	return true
}

// marks reads the journal's marks of the jobs, none without a journal.
func (d *journalReader) marks(ctx context.Context, jobs []queue.Job) (map[string]queue.Mark, error) {
	if d.opts.Journal == nil {
		return nil, nil
	}
	ids := make([]string, len(jobs))
	for i, j := range jobs {
		ids[i] = j.SendID()
	}
	return d.opts.Journal.Marks(ctx, ids)
}
