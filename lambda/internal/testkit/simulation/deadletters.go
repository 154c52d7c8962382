package simulation

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"clockify-discord-relay/lambda/queue"
	"clockify-discord-relay/lambda/store/sqs"
)

// listBound is how long an operator's dlq list may take: a receive whose
// answer was lost hides its letters for the list's visibility timeout.
const listBound = 30 * time.Second

// listDeadLetters is the operator's "dlq list" at the end of a Lambda
// day, through the real SDK and the model's faults (a lost answer, a
// refused call). It must count every letter, show none twice, show the
// oldest letter of each group (a FIFO queue shows a group's first letters
// until they are deleted), and end within listBound.
func (w *world) listDeadLetters() []string {
	var v []string
	fail := func(format string, args ...any) { v = append(v, fmt.Sprintf(format, args...)) }
	// A letter is its job's acceptance: one key may be accepted twice
	// (an edit back to an earlier description), as two jobs.
	type id struct {
		send   string
		deadAt int64
	}
	oldest := map[string]id{} // group → its oldest letter
	bodies := w.sqs.deadLetters()
	for _, body := range bodies {
		var l queue.DeadLetter
		if err := json.Unmarshal([]byte(body), &l); err != nil {
			fail("a dead letter that is not one: %s", body)
			continue
		}
		if _, ok := oldest[l.Group]; !ok {
			oldest[l.Group] = id{l.SendID(), l.DeadAt.UnixNano()}
		}
	}
	list := sqs.NewDeadLetters(w.sqs.clientFunc(), deadLetterURL, queueURL)
	start := time.Now()
	letters, total, err := list.List(context.Background())
	if err != nil {
		// The SDK gave up (three refusals in a row): the operator runs
		// it again.
		w.tracef("dlq list: %v; again", err)
		letters, total, err = list.List(context.Background())
	}
	took := time.Since(start)
	w.tracef("dlq list: %d of %d shown in %s", len(letters), total, took)
	if err != nil {
		fail("dlq list failed twice: %v", err)
		return v
	}
	if took > listBound {
		fail("dlq list took %s, more than %s", took, listBound)
	}
	if total != len(bodies) {
		fail("dlq list counted %d dead letters of %d", total, len(bodies))
	}
	shown := map[id]bool{}
	for _, l := range letters {
		k := id{l.SendID(), l.DeadAt.UnixNano()}
		if shown[k] {
			fail("dlq list showed %s twice", l.SendID())
		}
		shown[k] = true
	}
	for group, first := range oldest {
		if !shown[first] {
			fail("dlq list did not show the oldest dead letter of group %.8s (%d of %d shown)", group, len(letters), len(bodies))
		}
	}
	return v
}
