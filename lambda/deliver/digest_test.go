package deliver_test

import (
	"bytes"
	"context"
	"errors"
	"image/png"
	"strings"
	"testing"
	"time"

	"clockify-discord-relay/lambda/clockify"
	"clockify-discord-relay/lambda/deliver"
	"clockify-discord-relay/lambda/message"
	"clockify-discord-relay/lambda/queue"
	"clockify-discord-relay/lambda/route"
	"clockify-discord-relay/lambda/schedule/digest/report"
	"clockify-discord-relay/lambda/state/statetest"
	"clockify-discord-relay/lambda/summary/summarytest"
)

// A digest between two events goes alone, in its place, with its chart
// as files[0] shown by the embed.
func TestDigestIsPostedWithItsChart(t *testing.T) {
	f := newFixture(t, message.StyleText, route.Table{})
	js := jobs(2, "")
	batch := []queue.Job{js[0], queue.NewDigest(summarytest.Day(), "", "", time.Now(), false), js[1]}
	if got := states(f.d.Deliver(context.Background(), batch)); got != "ddd" {
		t.Fatalf("results %s", got)
	}
	got := f.dc.Received()
	if len(got) != 3 {
		t.Fatalf("%d messages, want 3 (the digest alone)", len(got))
	}
	d := got[1].Message
	if len(d.Files) != 1 || d.Files[0].Name != report.ChartFile || d.Embeds[0].Image == nil || d.Embeds[0].Image.URL != "attachment://digest.png" {
		t.Fatalf("the digest: %+v", d)
	}
	if _, err := png.Decode(bytes.NewReader(d.Files[0].Data)); err != nil {
		t.Errorf("the chart is not a PNG: %v", err)
	}
	if !strings.Contains(d.Embeds[0].Title, "Daily digest") || !strings.Contains(f.logs.String(), `"events":["DIGEST"]`) {
		t.Errorf("title %q; logs %s", d.Embeds[0].Title, f.logs)
	}
}

// A chart that cannot be drawn is logged, and the digest goes without it.
func TestDigestGoesWithoutABrokenChart(t *testing.T) {
	f := newFixture(t, message.StyleText, route.Table{})
	deliver.BreakChart(f.d, errors.New("out of ink"))
	if got := states(f.d.Deliver(context.Background(), []queue.Job{queue.NewDigest(summarytest.Day(), "", "", time.Now(), false)})); got != "d" {
		t.Fatalf("results %s", got)
	}
	got := f.dc.Received()
	if len(got) != 1 || len(got[0].Message.Files) != 0 || got[0].Message.Embeds[0].Image != nil || got[0].Message.Embeds[0].Description == "" {
		t.Fatalf("received %+v", got)
	}
	if !strings.Contains(f.logs.String(), "the digest's chart was not drawn") || !strings.Contains(f.logs.String(), "out of ink") {
		t.Errorf("no error logged: %s", f.logs)
	}
}

// Events are booked in the channel's ledger whatever Discord does: one
// waiting out an outage is booked at once, and booking it again when it
// comes back changes nothing.
func TestEventsAreBooked(t *testing.T) {
	f := newFixture(t, message.StyleText, route.Table{})
	store := f.withState(t, deliver.Options{Style: message.StyleText})
	now := time.Now()
	job := func(typ clockify.EventType, hours float64) queue.Job {
		ev := statetest.Finished(typ, "A", "Ada", "Web", now.Add(-3*time.Hour), now.Add(-3*time.Hour+time.Duration(hours*float64(time.Hour))))
		return queue.Job{Key: string(typ), Group: "channel", Event: ev, AcceptedAt: now}
	}
	f.d.Deliver(context.Background(), []queue.Job{job(clockify.TimerStopped, 1.5)})
	f.dc.SetDown(true)
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	if got := states(f.d.Deliver(ctx, []queue.Job{job(clockify.TimeEntryUpdated, 2)})); got != "r" {
		t.Fatalf("with Discord down: %s", got)
	}
	cancel()
	f.dc.SetDown(false)
	hours := func() float64 {
		got, err := store.State.Ledger(context.Background(), now.Add(-24*time.Hour), now, now)
		if err != nil || len(got) != 1 {
			t.Fatalf("ledger %+v, %v", got, err)
		}
		return got[0].End.Sub(got[0].Start).Hours()
	}
	if h := hours(); h != 2 {
		t.Errorf("with the update waiting for Discord: %gh", h)
	}
	f.d.Deliver(context.Background(), []queue.Job{job(clockify.TimeEntryUpdated, 2)})
	if h := hours(); h != 2 {
		t.Errorf("after the update: %gh", h)
	}
}
