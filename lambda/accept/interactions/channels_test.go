package interactions_test

import (
	"context"
	"errors"
	"slices"
	"testing"

	"clockify-discord-relay/lambda/accept/interactions"
	"clockify-discord-relay/lambda/state"
)

// known is the state's channel records, and an error to fail with.
type known struct {
	channels map[string]state.Channel
	err      error
}

func (k known) Channel(_ context.Context, dest string) (state.Channel, bool, error) {
	c, ok := k.channels[dest]
	return c, ok, k.err
}

// TestChannelsComeFromTheState: a channel's memory is found by its id in
// the channel records the delivery side keeps; a channel no webhook
// posted to, or whose webhook is gone, is not the relay's; a store that
// cannot be read is an error, not "not here".
func TestChannelsComeFromTheState(t *testing.T) {
	a, b := state.ChannelKey("chan-a"), state.ChannelKey("chan-b")
	k := known{channels: map[string]state.Channel{
		a: {ChannelID: "chan-a", Routes: []string{""}},
		b: {ChannelID: "chan-b", Routes: []string{"b"}, Gone: true},
	}}
	r := interactions.Remembered{State: k}
	ctx := context.Background()
	if got, err := r.Destinations(ctx, "chan-a"); err != nil || !slices.Equal(got, []string{a}) {
		t.Errorf("chan-a: %v, %v", got, err)
	}
	for _, ch := range []string{"chan-b", "chan-c", ""} {
		if got, err := r.Destinations(ctx, ch); err != nil || len(got) != 0 {
			t.Errorf("%q: %v, %v; want none", ch, got, err)
		}
	}
	k.err = errors.New("throttled")
	if _, err := (interactions.Remembered{State: k}).Destinations(ctx, "chan-a"); err == nil {
		t.Error("a failed read answered as a channel without the relay")
	}
}
