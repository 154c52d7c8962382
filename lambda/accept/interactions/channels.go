package interactions

import (
	"context"

	"clockify-discord-relay/lambda/state"
)

// Known is where the delivery side records each channel its webhooks post
// to (state.Places).
type Known interface {
	Channel(ctx context.Context, dest string) (state.Channel, bool, error)
}

// Remembered finds a channel's memory in the state: the delivery side
// learns each webhook's channel from Discord and records it, so the
// commands read no webhook and ask Discord nothing. A channel whose
// webhook is gone, or that no webhook posted to, is not the relay's.
type Remembered struct{ State Known }

var _ Channels = Remembered{}

// Destinations are channelID's memory (state.ChannelKey), or none.
func (r Remembered) Destinations(ctx context.Context, channelID string) ([]string, error) {
	if channelID == "" {
		return nil, nil
	}
	dest := state.ChannelKey(channelID)
	ch, found, err := r.State.Channel(ctx, dest)
	if err != nil || !found || ch.Gone || ch.ChannelID != channelID {
		return nil, err
	}
	return []string{dest}, nil
}

// Printed answers every channel from one memory: that of the channel the
// relay prints to when no webhook is set (local mode without Discord), so
// that /working and /hours can be tried there.
type Printed struct{ Dest string }

var _ Channels = Printed{}

// Destinations are the printed channel's memory, whatever channelID is.
func (p Printed) Destinations(context.Context, string) ([]string, error) {
	return []string{p.Dest}, nil
}
