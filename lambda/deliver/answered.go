package deliver

import "time"

// Discord's answers are what lets a board post of unknown outcome be
// followed by another (see placeBoard): once Discord has answered a
// message of the webhook since, it takes messages again, and the next
// post is not made blind. The process remembers the latest answer per
// webhook; a job that the journal shows was answered, in a batch that
// comes back to a new process, counts from when it was accepted.

// noteAnswer records that Discord answered a message of webhook at (or
// after) at.
func (d *Deliverer) noteAnswer(webhook string, at time.Time) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if at.After(d.answers[webhook]) {
		d.answers[webhook] = at
	}
}

// answeredSince reports whether Discord answered a message of webhook
// after t.
func (d *Deliverer) answeredSince(webhook string, t time.Time) bool {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.answers[webhook].After(t)
}
