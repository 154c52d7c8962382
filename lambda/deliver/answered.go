package deliver

import (
	"sync"
	"time"
)

// answers are what lets a board post of unknown outcome be followed by
// another (see placeBoard): once Discord has answered a message of the
// webhook since, it takes messages again, and the next post is not made
// blind. The process remembers the latest answer per webhook; a job that
// the journal shows was answered, in a batch that comes back to a new
// process, counts from when it was accepted.
type answers struct {
	mu sync.Mutex
	at map[string]time.Time // webhook URL → when Discord last answered one of its messages
}

func newAnswers() *answers { return &answers{at: map[string]time.Time{}} }

// note records that Discord answered a message of webhook at (or after)
// at.
func (a *answers) note(webhook string, at time.Time) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if at.After(a.at[webhook]) {
		a.at[webhook] = at
	}
}

// since reports whether Discord answered a message of webhook after t.
func (a *answers) since(webhook string, t time.Time) bool {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.at[webhook].After(t)
}
