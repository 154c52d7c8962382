package statetest

import (
	"context"
	"reflect"
	"testing"
	"time"

	"clockify-discord-relay/lambda/clockify"
	"clockify-discord-relay/lambda/state"
)

// PlacesConformance runs the store through where things are shown: a
// channel's record, a route's channel, an entry that moves between
// channels (and an older change that must not move it back), and
// forgetting an entry in the channel it left.
func PlacesConformance(t *testing.T, s state.Store) {
	ctx := context.Background()
	now := time.Date(2026, 11, 27, 9, 0, 0, 0, time.UTC)
	a, b := state.ChannelKey("1001"), state.ChannelKey("1002")
	if a == b || len(a) != 32 {
		t.Fatalf("channel keys %q, %q", a, b)
	}
	if _, found, err := s.Channel(ctx, a); found || err != nil {
		t.Fatalf("a channel before any: %v, %v", found, err)
	}
	ch := state.Channel{GuildID: "9", ChannelID: "1001", Webhook: "w1", Routes: []string{"", "dev"}, Seen: now}
	if err := s.SetChannel(ctx, a, ch); err != nil {
		t.Fatal(err)
	}
	if got, found, err := s.Channel(ctx, a); !found || err != nil || !reflect.DeepEqual(got, ch) {
		t.Errorf("channel %+v, %v, %v; want %+v", got, found, err, ch)
	}
	if _, found, _ := s.Channel(ctx, b); found {
		t.Error("another channel reads as known")
	}
	rc := state.RouteChannel{Dest: a, Webhook: "w1"}
	if err := s.SetRouteChannel(ctx, "dev", rc); err != nil {
		t.Fatal(err)
	}
	if got, found, err := s.RouteChannel(ctx, "dev"); !found || err != nil || got != rc {
		t.Errorf("route channel %+v, %v, %v", got, found, err)
	}
	if _, found, _ := s.RouteChannel(ctx, "ops"); found {
		t.Error("an unknown route has a channel")
	}

	place := func(dest string, at time.Time, want bool, left ...string) {
		t.Helper()
		held, placed, err := s.Place(ctx, "e1", state.Placement{Dest: dest, Route: "r", At: at})
		if err != nil || placed != want {
			t.Fatalf("Place in %s at %s: %v, %v; want %v", dest[:4], at.Format(time.TimeOnly), placed, err, want)
		}
		var got []string
		for _, d := range held.Left {
			got = append(got, d.Dest)
		}
		if !reflect.DeepEqual(got, left) {
			t.Fatalf("Place in %s at %s: to leave %v, want %v", dest[:4], at.Format(time.TimeOnly), got, left)
		}
	}
	if p, err := s.Placement(ctx, "e1"); p.Dest != "" || err != nil {
		t.Fatalf("placement before any: %+v, %v", p, err)
	}
	place(a, now, true)
	place(a, now.Add(-time.Minute), true)   // the same channel: still there
	place(b, now.Add(time.Minute), true, a) // moved: a is to forget it
	place(b, now.Add(time.Minute), true, a) // a retry: still to leave a
	place(a, now.Add(30*time.Second), false, a)
	if p, _ := s.Placement(ctx, "e1"); p.Dest != b || !p.At.Equal(now.Add(time.Minute)) {
		t.Errorf("placement %+v, want in b since %s", p, now.Add(time.Minute))
	}
	if err := s.Departed(ctx, "e1", []state.Departure{{Dest: a, Route: "r"}}); err != nil {
		t.Fatal(err)
	}
	place(b, now.Add(time.Minute), true)
	place(a, now.Add(2*time.Minute), true, b) // moved back, later
	place(b, now.Add(90*time.Second), false, b)

	start := Timer(clockify.NewTimerStarted, "e1", "Ada", now.Add(-time.Hour))
	stop := Finished(clockify.TimerStopped, "e2", "Ada", "Web", now.Add(-2*time.Hour), now.Add(-time.Hour))
	for _, ev := range []clockify.Event{start, stop} {
		if _, err := s.Apply(ctx, a, "", ev, now); err != nil {
			t.Fatal(err)
		}
		if err := s.Book(ctx, a, "", ev, now); err != nil {
			t.Fatal(err)
		}
	}
	for _, id := range []string{"e1", "e2", "e1"} { // twice: idempotent
		if err := s.Forget(ctx, a, id); err != nil {
			t.Fatal(err)
		}
	}
	if got, _ := s.Running(ctx, a, now); len(got) != 0 {
		t.Errorf("running after forgetting: %+v", got)
	}
	if got, _ := s.LedgerOf(ctx, a, now.Add(-24*time.Hour), now, now); len(got) != 0 {
		t.Errorf("ledger after forgetting: %+v", got)
	}
	if r, _ := s.Entry(ctx, a, "e1"); r != nil {
		t.Errorf("entry after forgetting: %+v", r)
	}

	// Memory kept by route before it was kept by channel is adopted.
	old, c := "0123456789abcdef0123456789abcdef", state.ChannelKey("1003")
	ran := Timer(clockify.NewTimerStarted, "e5", "Bo", now.Add(-time.Hour))
	booked := Finished(clockify.TimerStopped, "e6", "Bo", "Web", now.Add(-3*time.Hour), now.Add(-2*time.Hour))
	if _, err := s.Apply(ctx, old, "", ran, now); err != nil {
		t.Fatal(err)
	}
	if err := s.Book(ctx, old, "", booked, now); err != nil {
		t.Fatal(err)
	}
	// A claim holds until a time by the store's clock: the real one.
	until := time.Now().Add(time.Hour)
	if won, err := s.Claim(ctx, old, "daily-2026-11-26", until); !won || err != nil {
		t.Fatalf("claim: %v, %v", won, err)
	}
	if err := s.SetBoard(ctx, old, state.BoardMessage{ID: "1200000000000000001"}); err != nil {
		t.Fatal(err)
	}
	if err := s.SetBoard(ctx, c, state.BoardMessage{ID: "1200000000000000002", Webhook: "w2"}); err != nil {
		t.Fatal(err)
	}
	for range 2 { // twice: idempotent
		if err := s.Adopt(ctx, old, c); err != nil {
			t.Fatal(err)
		}
	}
	if got, _ := s.Running(ctx, c, now); len(got) != 1 || got[0].EntryID != "e5" {
		t.Errorf("adopted running timers %+v", got)
	}
	if got, _ := s.LedgerOf(ctx, c, now.Add(-24*time.Hour), now, now); len(got) != 2 {
		t.Errorf("adopted ledger %+v, want e6 and the running e5", got)
	}
	if won, _ := s.Claim(ctx, c, "daily-2026-11-26", until); won {
		t.Error("the adopted claim was not kept: the digest would go out twice")
	}
	want := state.BoardMessage{ID: "1200000000000000002", Webhook: "w2", Stale: []string{"1200000000000000001"}}
	if b, _ := s.Board(ctx, c); !reflect.DeepEqual(b, want) {
		t.Errorf("board after adoption %+v, want %+v (the old one to delete)", b, want)
	}
	if got, _ := s.Running(ctx, old, now); len(got) != 0 {
		t.Errorf("still under the route: %+v", got)
	}
	if b, _ := s.Board(ctx, old); b.ID != "" {
		t.Errorf("a board still under the route: %+v", b)
	}
}
