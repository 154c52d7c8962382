package remind_test

import (
	"bytes"
	"context"
	"log/slog"
	"testing"
	"time"

	"clockify-discord-relay/lambda/clockify"
	"clockify-discord-relay/lambda/queue"
	"clockify-discord-relay/lambda/queue/queuetest"
	"clockify-discord-relay/lambda/schedule/remind"
	"clockify-discord-relay/lambda/state/statetest"
	"clockify-discord-relay/lambda/store/localstore"
)

// TestOneReminderPerForgottenTimer: a timer past the threshold gets one
// reminder, however often the check runs, even from two Reminders over
// the same store (a restart); a recent or stopped timer gets none.
func TestOneReminderPerForgottenTimer(t *testing.T) {
	ctx := context.Background()
	store, err := localstore.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	now := time.Date(2026, 11, 27, 9, 0, 0, 0, time.UTC)
	for _, ev := range []clockify.Event{
		statetest.Timer(clockify.NewTimerStarted, "forgotten", "Ada", now.Add(-11*time.Hour)),
		statetest.Timer(clockify.NewTimerStarted, "recent", "Bob", now.Add(-time.Hour)),
		statetest.Timer(clockify.NewTimerStarted, "stopped", "Cy", now.Add(-12*time.Hour)),
		statetest.Timer(clockify.TimerStopped, "stopped", "Cy", now.Add(-12*time.Hour)),
	} {
		if _, err := store.State.Apply(ctx, "channel", "", ev, now); err != nil {
			t.Fatal(err)
		}
	}
	var logs bytes.Buffer
	q := &queuetest.Recorder{}
	newReminder := func() *remind.Reminder {
		return remind.New(store.State, q, slog.New(slog.NewJSONHandler(&logs, nil)), 10*time.Hour)
	}
	total := 0
	for _, r := range []*remind.Reminder{newReminder(), newReminder(), newReminder()} {
		n, err := r.Run(ctx, now)
		if err != nil {
			t.Fatal(err)
		}
		total += n
	}
	got := q.Jobs()
	if total != 1 || len(got) != 1 || got[0].Remind == nil || got[0].Remind.User != "Ada" || got[0].Channel != "channel" || got[0].Group != queue.Destination("") || got[0].Kind() != queue.KindReminder {
		t.Fatalf("%d reminders: %+v", total, got)
	}
	// Bob's timer, an hour later still under 10 h: nothing; at 10 h: one.
	if n, _ := newReminder().Run(ctx, now.Add(8*time.Hour)); n != 0 {
		t.Errorf("%d reminders at 9 h", n)
	}
	if n, _ := newReminder().Run(ctx, now.Add(9*time.Hour+time.Minute)); n != 1 {
		t.Errorf("%d reminders past 10 h", n)
	}
}
