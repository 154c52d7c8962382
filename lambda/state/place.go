package state

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"slices"
	"time"
)

// ChannelKey names a Discord channel's memory: its running timers, board,
// ledger, digest claims and reminders are kept under it. A rotated
// webhook, a renamed route, or two routes to one channel keep one memory;
// two channels never share one. Hashed (32 hex digits, as a route's
// destination was), it fits the table's partition keys.
func ChannelKey(channelID string) string {
	sum := sha256.Sum256([]byte("channel\x00" + channelID))
	return hex.EncodeToString(sum[:16])
}

// Channel is what the delivery side learned of a destination channel,
// which the interactions read: they need no webhook to know it.
type Channel struct {
	GuildID   string `json:"guildId,omitempty"`
	ChannelID string `json:"channelId"`
	// Webhook is the hash of the webhook last seen posting there.
	Webhook string `json:"webhook,omitempty"`
	// Routes are the route rules seen posting there ("" is the default).
	Routes []string `json:"routes,omitempty"`
	// Gone: Discord said that webhook is gone; the channel answers
	// commands again once a webhook posts there.
	Gone bool      `json:"gone,omitempty"`
	Seen time.Time `json:"seen"`
}

// WithRoute is c with route among its routes.
func (c Channel) WithRoute(route string) Channel {
	if !slices.Contains(c.Routes, route) {
		c.Routes = append(slices.Clone(c.Routes), route)
		slices.Sort(c.Routes)
	}
	return c
}

// RouteChannel is the channel a route posts to, as last learned from its
// webhook: the delivery side need not ask Discord again, and it still
// knows where a job belongs while Discord is down.
type RouteChannel struct {
	Dest string `json:"dest"` // the channel's ChannelKey
	// Webhook is the hash of the webhook it was learned from: another one
	// (a rotation) is asked again.
	Webhook string    `json:"webhook"`
	Checked time.Time `json:"checked"`
}

// Placement is where an entry is shown: the channel that its latest
// change landed in, and when that change was accepted.
type Placement struct {
	Dest    string    `json:"dest"`
	Route   string    `json:"route,omitempty"`
	At      time.Time `json:"at"`
	Expires time.Time `json:"expires"`
	// Left are the channels the entry moved out of that may still show
	// it: each is forgotten there, then taken off this list (Departed).
	Left []Departure `json:"left,omitempty"`
}

// Departure is a channel an entry left, and the route that posted there.
type Departure struct {
	Dest  string `json:"dest"`
	Route string `json:"route,omitempty"`
}

// Places are where things are shown: each channel, the channel of each
// route, and the channel of each entry.
type Places interface {
	// Channel is what is known of dest's channel; found is false when
	// nothing is.
	Channel(ctx context.Context, dest string) (c Channel, found bool, err error)
	// SetChannel records it.
	SetChannel(ctx context.Context, dest string, c Channel) error
	// RouteChannel is where route posts, as last learned.
	RouteChannel(ctx context.Context, route string) (rc RouteChannel, found bool, err error)
	// SetRouteChannel records it.
	SetRouteChannel(ctx context.Context, route string, rc RouteChannel) error
	// Placement is where entryID is shown; Dest is "" when unknown.
	Placement(ctx context.Context, entryID string) (Placement, error)
	// Place records that a change of entryID accepted at p.At lands in
	// p.Dest, unless a later change placed it elsewhere: then placed is
	// false, and the change is older than where the entry now is. held
	// is the placement after the call, with the channels still to leave.
	Place(ctx context.Context, entryID string, p Placement) (held Placement, placed bool, err error)
	// Departed takes the channels in left off the entry's list to leave:
	// it was forgotten there.
	Departed(ctx context.Context, entryID string, left []Departure) error
	// Forget removes entryID from dest: its running timer and its ledger
	// record. The entry moved to another channel.
	Forget(ctx context.Context, dest, entryID string) error
	// Adopt moves what is remembered under from to the channel to: the
	// running timers, the ledger and the digest claims, where to has
	// none of its own for them, and the board, which to lists to delete
	// when it has one already. Stores kept memory by route (from, the
	// route's group) before they kept it by channel. Idempotent.
	Adopt(ctx context.Context, from, to string) error
}

// AdoptBoard is the board to keep when from's board (adopted) joins to's
// (kept; ID "" when none): to's, with adopted's messages to delete, or
// adopted itself.
func AdoptBoard(kept, adopted BoardMessage) BoardMessage {
	if kept.ID == "" {
		return adopted
	}
	for _, id := range append([]string{adopted.ID}, adopted.Stale...) {
		if id != "" && id != kept.ID && !slices.Contains(kept.Stale, id) {
			kept.Stale = append(kept.Stale, id)
		}
	}
	return kept
}

// Replace is what placing p makes of an entry's placement (nil: none):
// the placement to write (old itself when nothing changes), and whether
// p holds. A change in another channel that is older than old does not
// move the entry back; a later one moves it, and the channel it leaves
// is listed to forget it. One in the same channel keeps the latest time.
func Replace(old *Placement, p Placement) (*Placement, bool) {
	p.Expires, p.Left = p.At.Add(LedgerAge), nil
	switch {
	case old == nil || p.At.After(old.Expires):
		return &p, true
	case old.Dest == p.Dest:
		if !p.At.After(old.At) && old.Route == p.Route {
			return old, true
		}
		if p.At.Before(old.At) {
			p.At, p.Expires = old.At, old.Expires
		}
		p.Left = old.Left
		return &p, true
	case p.At.Before(old.At):
		return old, false
	}
	for _, d := range append(slices.Clone(old.Left), Departure{Dest: old.Dest, Route: old.Route}) {
		if d.Dest != p.Dest && !slices.Contains(p.Left, d) {
			p.Left = append(p.Left, d)
		}
	}
	return &p, true
}

// Depart is old without the departures in left; old itself when it
// lists none of them.
func Depart(old *Placement, left []Departure) *Placement {
	if old == nil {
		return nil
	}
	kept := slices.DeleteFunc(slices.Clone(old.Left), func(d Departure) bool { return slices.Contains(left, d) })
	if len(kept) == len(old.Left) {
		return old
	}
	next := *old
	next.Left = kept
	return &next
}
