package queue

import (
	"crypto/sha256"
	"encoding/hex"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"clockify-discord-relay/lambda/clockify"
	"clockify-discord-relay/lambda/state"
	"clockify-discord-relay/lambda/summary"
)

// Job is one accepted event waiting to be delivered. It names its
// destination by route rule, never by URL: the URL is a secret, and a
// fixed URL then reaches jobs that were dead-lettered for a broken one.
type Job struct {
	// Key identifies what the job shows: a redelivered or resent event
	// has the same key, and posts once.
	Key string `json:"key"`
	// Group is the route's (Destination): a group's jobs are delivered
	// in order, one batch at a time.
	Group string `json:"group"`
	// Route is the rule that chose the webhook; "" is the default webhook.
	Route string `json:"route,omitempty"`
	// Channel is the channel whose memory the job is shown in
	// (state.ChannelKey). A digest, a reminder or a board refresh is
	// made for one, and never shown in another; an event's is learned
	// when it is delivered, from its route's webhook.
	Channel    string         `json:"channel,omitempty"`
	Event      clockify.Event `json:"event"`
	AcceptedAt time.Time      `json:"acceptedAt"`
	RequestID  string         `json:"requestId,omitempty"`
	// Digest, when set, makes the job a digest instead of an event's
	// message: the figures travel with it, and the message and its chart
	// are made when it is delivered.
	Digest *summary.Summary `json:"digest,omitempty"`
	// Board, when set, makes the job a refresh of the destination's
	// "Working now" board, queued when an event's delivery could not
	// update it.
	Board bool `json:"board,omitempty"`
	// Remind, when set, makes the job the reminder of this forgotten
	// timer; its wording is made when it is delivered.
	Remind *state.Session `json:"remind,omitempty"`
	// Dedup, when set, is the id by which the queue tells a resend of
	// this acceptance (SQS's MessageDeduplicationId); Key otherwise.
	Dedup string `json:"-"`
	// Tried is how many earlier attempts the queue made (SQS's receive
	// count, the local store's attempts), set before each delivery.
	Tried int `json:"-"`
	// Behind, set by the queue before a delivery, says that more jobs of
	// the group wait behind this batch: the board, the lowest priority,
	// waits for them.
	Behind bool `json:"-"`
}

// The Kind of jobs that carry no event.
const (
	KindDigest   = "DIGEST"
	KindBoard    = "BOARD"
	KindReminder = "REMINDER"
)

// Kind is the job's event type, or the kind of job that carries none.
func (j Job) Kind() string {
	switch {
	case j.Digest != nil:
		return KindDigest
	case j.Board:
		return KindBoard
	case j.Remind != nil:
		return KindReminder
	}
	return string(j.Event.Type)
}

// NewReminder is the job that reminds channel, through route, of the
// forgotten timer s. Its key names the entry: one reminder per timer. It
// goes in the route's group, behind the stops that may make it moot.
func NewReminder(s state.Session, channel, route string, now time.Time) Job {
	key := KindReminder + "." + idChars(channel)[:min(len(idChars(channel)), 32)] + "." + idChars(s.EntryID)
	return Job{Key: key, Group: Destination(route), Channel: channel, Route: route, AcceptedAt: now.UTC(), Remind: &s}
}

// NewBoard is the job that refreshes dest's board, through route. Each
// has a key of its own: one that a queue dropped as a duplicate of an
// earlier refresh, already made, would leave the board behind. Those
// that pile up while Discord is down cost a read each once it is back:
// the board already shows what they would. Two made at the same instant
// (a coarse clock) differ by a count.
func NewBoard(channel, route string, now time.Time) Job {
	key := KindBoard + "." + idChars(channel)[:min(len(idChars(channel)), 32)] + "." + strconv.FormatInt(now.UnixNano(), 36) +
		"." + strconv.FormatUint(boards.Add(1), 36)
	return Job{Key: key, Group: Destination(route), Channel: channel, Route: route, AcceptedAt: now.UTC(), Board: true}
}

// boards counts the board refreshes this process made.
var boards atomic.Uint64

// NewDigest is the job that posts s to channel by route. Its key names
// the channel and period, so the queue posts it once; force makes a key
// of its own, to post it again.
func NewDigest(s summary.Summary, channel, route string, now time.Time, force bool) Job {
	key := KindDigest + "." + s.Period.Name() + "." + idChars(channel)[:min(len(idChars(channel)), 32)]
	if force {
		key += ".force" + strconv.FormatInt(now.UnixNano(), 36)
	}
	return Job{Key: key, Group: Destination(route), Channel: channel, Route: route, AcceptedAt: now.UTC(), Digest: &s}
}

// NewJob is the job for ev, going to the destination of route.
func NewJob(ev clockify.Event, route string, requestID string, now time.Time) Job {
	return Job{
		Key:        Key(ev),
		Group:      Destination(route),
		Route:      route,
		Event:      ev,
		AcceptedAt: now.UTC(),
		RequestID:  requestID,
	}
}

// Key is "EVENT.entry.fingerprint": the event type, the entry's id and
// the fingerprint of what a message of it can show (fingerprint.go), so
// a redelivery has its change's key. It fits SQS's
// MessageDeduplicationId (128 characters of letters, digits and
// punctuation).
func Key(ev clockify.Event) string {
	return string(ev.Type) + "." + idChars(ev.Entry.ID) + "." + fingerprint(ev)
}

// Destination is a route's group: its jobs are delivered in order, one
// batch at a time. Routes are named in ROUTES; "" is the default webhook.
// Hashed, it fits an SQS group id. What the relay remembers is kept by
// the channel the route's webhook posts to (Job.Channel), which only the
// delivery side learns.
func Destination(route string) string { return Hash("route\x00" + route) }

// Hash names a secret, or any text, without revealing it: SQS shows
// group ids in the console and in logs.
func Hash(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:16])
}

// idChars keeps the letters and digits of an id, at most 40 of them.
func idChars(id string) string {
	var b strings.Builder
	for _, r := range id {
		if b.Len() == 40 {
			break
		}
		if r < 128 && (r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z') {
			b.WriteRune(r)
		}
	}
	return b.String()
}
