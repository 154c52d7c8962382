package sqs

import (
	"context"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/aws/aws-lambda-go/events"

	"clockify-discord-relay/lambda/queue"
)

// Gathering in the outbox (queue.Outbox), as local mode's queue gathers:
// a group's batch goes at once when the group is idle, and otherwise
// waits in the outbox, with the batches behind it, until Pace after the
// group's last delivery; then up to MaxGather go as one delivery (a few
// lists). A flush marker in a FIFO group of its own brings the outbox
// back: it is held to the pace by its visibility, and holds nothing of
// the group's own, which goes on into the outbox meanwhile.
const (
	// Pace is the gap a group's deliveries keep unless the group is
	// idle: a channel takes about 30 messages a minute, one every 2 s.
	Pace = 2 * time.Second
	// MaxGather is how many parked jobs go to the deliverer at once, as
	// local mode's batch: about half a list message's lines.
	MaxGather = 50
	// outboxRetry is how soon a batch comes back when the outbox could
	// not be read or written.
	outboxRetry = time.Second
)

// flushMarker is the body of a flush marker: the group whose outbox to
// deliver.
type flushMarker struct {
	Flush string `json:"flush"`
}

// flushGroup is the FIFO group of a group's flush markers.
func flushGroup(group string) string { return "flush." + group }

// UseOutbox makes the consumer gather each group's jobs in o.
func (c *Consumer) UseOutbox(o queue.Outbox) { c.outbox = o }

// gather delivers a group's batch at once when the group is idle: its
// outbox empty, its last delivery Pace ago or more, and the batch not
// full (a full one likely has more behind it). Otherwise it parks the
// batch in the outbox, behind what is there, and sends a flush marker.
// A batch that cannot be parked comes back: parked again, it is
// unchanged.
func (c *Consumer) gather(dctx, sctx context.Context, group string, msgs []message, now time.Time) (failed []string, delivered, retried, dead int) {
	last, parked, err := c.outbox.Parked(sctx, group, 1)
	if err == nil && len(parked) == 0 && !now.Before(last.Add(Pace)) && len(msgs) < FullBatch {
		if err := c.outbox.Sent(sctx, group, now); err != nil {
			c.logger.WarnContext(sctx, "the group's last delivery was not recorded; its pace may be missed", slog.String("error", err.Error()))
		}
		return c.handleGroup(dctx, sctx, msgs, now)
	}
	if err == nil {
		ps := make([]queue.Parked, len(msgs))
		for i, m := range msgs {
			ps[i] = queue.Parked{Key: orderKey(m), Job: m.job, Tried: receiveCount(m.record) - 1}
		}
		if err = c.outbox.Park(sctx, group, ps); err == nil {
			err = c.scheduleFlush(sctx, group)
		}
	}
	if err != nil {
		c.logger.WarnContext(sctx, "the batch could not wait in the outbox; it comes back", slog.String("error", err.Error()))
		for _, m := range msgs {
			c.setVisibility(sctx, m.record, outboxRetry)
			failed = append(failed, m.record.MessageId)
		}
		return failed, 0, len(msgs), 0
	}
	return nil, 0, 0, 0
}

// scheduleFlush sends a flush marker for group.
func (c *Consumer) scheduleFlush(ctx context.Context, group string) error {
	ctx, cancel := context.WithTimeout(ctx, callTimeout)
	defer cancel()
	return send(ctx, c.client, c.queueURL, flushMarker{Flush: group}, flushGroup(group), group+"."+freshID())
}

// flush delivers up to MaxGather of group's parked jobs, in order, once
// Pace has passed since its last delivery. The first marker is held
// (reported failed, its visibility set) while the outbox must wait: for
// the pace, for a job's retry, or because more jobs are parked than one
// delivery takes; the others are redundant, and deleted.
func (c *Consumer) flush(dctx, sctx context.Context, group string, marks []events.SQSMessage, now time.Time) (failed []string, delivered, retried, dead int) {
	hold := time.Duration(-1)
	defer func() {
		if hold >= 0 {
			c.setVisibility(sctx, marks[0], hold)
			failed = []string{marks[0].MessageId}
		}
	}()
	last, parked, err := c.outbox.Parked(sctx, group, MaxGather+1)
	switch {
	case err != nil:
		c.logger.WarnContext(sctx, "the outbox could not be read; it is tried again", slog.String("error", err.Error()))
		hold = outboxRetry
		return
	case len(parked) == 0:
		return
	case now.Before(last.Add(Pace)):
		hold = last.Add(Pace).Sub(now)
		return
	}
	behind := len(parked) > MaxGather
	parked = parked[:min(len(parked), MaxGather)]
	jobs := make([]queue.Job, len(parked))
	for i, p := range parked {
		jobs[i] = p.Job
		jobs[i].Tried, jobs[i].Behind = p.Tried, behind
	}
	if err := c.outbox.Sent(sctx, group, now); err != nil {
		c.logger.WarnContext(sctx, "the group's last delivery was not recorded; its pace may be missed", slog.String("error", err.Error()))
	}
	results := c.deliverer.Deliver(dctx, jobs)
	var done []string
	var again []queue.Parked
	for i, res := range results {
		p := parked[i]
		if hold >= 0 {
			continue // behind one that waits: in order, untried
		}
		wait, letter := queue.Settle(p.Job, res, p.Tried+1, now)
		switch {
		case letter != nil:
			if !c.deadLetter(sctx, p.Key, *letter) {
				hold = outboxRetry // not lost: it stays parked
				continue
			}
			done = append(done, p.Key)
			dead++
		case res.State == queue.Retry:
			p.Tried++
			again = append(again, p)
			hold = wait
			retried++
		default:
			done = append(done, p.Key)
			delivered++
		}
	}
	if len(again) > 0 {
		if err := c.outbox.Park(sctx, group, again); err != nil {
			c.logger.WarnContext(sctx, "a retried job's count was not recorded", slog.String("error", err.Error()))
		}
	}
	if err := c.outbox.Unpark(sctx, group, done); err != nil {
		// They come again; the journal keeps them from being posted twice.
		c.logger.WarnContext(sctx, "delivered jobs were not taken out of the outbox", slog.String("error", err.Error()))
		hold = max(hold, outboxRetry)
	}
	if hold < 0 && behind {
		hold = Pace
	}
	return failed, delivered, retried, dead
}

// orderKey orders a message within its group's outbox: SQS's sequence
// number, or, where a queue gives none, when it was accepted.
func orderKey(m message) string {
	if s := m.record.Attributes["SequenceNumber"]; s != "" {
		return strings.Repeat("0", max(40-len(s), 0)) + s
	}
	return fmt.Sprintf("t%020d.%s", m.job.AcceptedAt.UnixNano(), m.job.SendID())
}
