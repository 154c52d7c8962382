package deliver_test

import (
	"bytes"
	"context"
	"log/slog"
	"net/http"
	"slices"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"clockify-discord-relay/lambda/clockify"
	"clockify-discord-relay/lambda/deliver"
	"clockify-discord-relay/lambda/discord"
	"clockify-discord-relay/lambda/discord/discordtest"
	"clockify-discord-relay/lambda/message"
	"clockify-discord-relay/lambda/queue"
	"clockify-discord-relay/lambda/queue/queuetest"
	"clockify-discord-relay/lambda/route"
	"clockify-discord-relay/lambda/secrets"
	"clockify-discord-relay/lambda/state"
	"clockify-discord-relay/lambda/store/localstore"
)

// channels is a deliverer with state, and three webhooks: the default
// one and route "alias" post to one channel (here); route "b" to another.
type channels struct {
	main, alias, b *discordtest.Server
	store          *localstore.Store
	later          *queuetest.Recorder
	logs           *bytes.Buffer
}

const channelB = "445566778899001122"

func newChannels(t *testing.T) *channels {
	c := &channels{main: discordtest.NewInMemory(t), alias: discordtest.NewInMemory(t), b: discordtest.NewInMemory(t), later: &queuetest.Recorder{}, logs: &bytes.Buffer{}}
	c.b.MoveTo(channelB)
	var err error
	if c.store, err = localstore.Open(t.TempDir()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.store.Close() })
	return c
}

// deliverer routes project "B" to route b (named so), project "Alias" to
// route alias.
func (c *channels) deliverer(t *testing.T, b string) *deliver.Deliverer {
	table, err := route.Parse(`[{"name":"`+b+`","match":{"project":["B"]},"webhook":"`+c.b.HTTPSWebhookURL()+`"},`+
		`{"name":"alias","match":{"project":["Alias"]},"webhook":"`+c.alias.HTTPSWebhookURL()+`"}]`, discord.CheckWebhookURL)
	if err != nil {
		t.Fatal(err)
	}
	d := deliver.New(secrets.Static{DiscordWebhookURL: c.main.HTTPSWebhookURL(), Routes: table},
		discord.NewClient(&http.Client{Transport: discordtest.Hosts{c.main, c.alias, c.b}}), slog.New(slog.NewJSONHandler(c.logs, nil)),
		deliver.Options{Language: must(message.LanguageFor("en")), Style: message.StyleText, State: c.store.State, Board: true})
	d.RequeueBoardsTo(c.later)
	return d
}

// change is the job of an event of entry id in project, by route.
func change(typ clockify.EventType, id, project, rte string, start time.Time, running bool) queue.Job {
	ev := clockify.Event{Type: typ, Entry: clockify.TimeEntry{ID: id, Description: "task " + id, User: &clockify.User{Name: "Ada"},
		CurrentlyRunning: running, TimeInterval: clockify.TimeInterval{Start: start}}}
	if project != "" {
		ev.Entry.Project = &clockify.Project{Name: project}
	}
	if !running {
		end := time.Now()
		ev.Entry.TimeInterval.End = &end
	}
	j := queue.NewJob(ev, rte, "", time.Now())
	return j
}

func (c *channels) running(t *testing.T, channelID string) []string {
	t.Helper()
	got, err := c.store.State.Running(context.Background(), state.ChannelKey(channelID), time.Now())
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, s := range got {
		ids = append(ids, s.EntryID)
	}
	return ids
}

// TestMemoryFollowsTheChannel: what the relay remembers is kept by the
// Discord channel a webhook posts to. Two routes to one channel share its
// memory; two channels share nothing; a renamed route keeps its channel's.
func TestMemoryFollowsTheChannel(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		c := newChannels(t)
		d := c.deliverer(t, "b")
		start := time.Now().Add(-time.Hour)
		for _, j := range []queue.Job{
			change(clockify.NewTimerStarted, "e1", "", "", start, true),
			change(clockify.NewTimerStarted, "e2", "Alias", "alias", start, true),
			change(clockify.NewTimerStarted, "e3", "B", "b", start, true),
		} {
			if r := d.Deliver(context.Background(), []queue.Job{j}); r[0].State != queue.Delivered {
				t.Fatalf("%s: %+v", j.Event.Entry.ID, r[0])
			}
			time.Sleep(c.main.Window)
		}
		if got := c.running(t, discordtest.ChannelID); !slices.Equal(got, []string{"e1", "e2"}) {
			t.Errorf("the default and alias routes' channel runs %v, want e1 and e2", got)
		}
		if got := c.running(t, channelB); !slices.Equal(got, []string{"e3"}) {
			t.Errorf("route b's channel runs %v, want e3 only", got)
		}
		for _, r := range c.b.Received() {
			if s := r.Message.Content + fmtEmbeds(r.Message); strings.Contains(s, "task e1") || strings.Contains(s, "task e2") {
				t.Errorf("channel B shows another channel's entry: %q", s)
			}
		}
		ch, found, err := c.store.State.Channel(context.Background(), state.ChannelKey(discordtest.ChannelID))
		if err != nil || !found || !slices.Equal(ch.Routes, []string{"", "alias"}) || ch.GuildID != discordtest.GuildID {
			t.Errorf("the channel's record: %+v, %v, %v", ch, found, err)
		}
		// Route b renamed: its channel's memory stays.
		renamed := c.deliverer(t, "bee")
		if r := renamed.Deliver(context.Background(), []queue.Job{change(clockify.TimerStopped, "e3", "B", "bee", start, false)}); r[0].State != queue.Delivered {
			t.Fatalf("the stop by the renamed route: %+v", r[0])
		}
		if got := c.running(t, channelB); len(got) != 0 {
			t.Errorf("after the stop by the renamed route, route b's channel runs %v", got)
		}
	})
}

func fmtEmbeds(m discord.Message) string {
	var b strings.Builder
	for _, e := range m.Embeds {
		b.WriteString(e.Title + e.Description)
		for _, f := range e.Fields {
			b.WriteString(f.Name + f.Value)
		}
	}
	return b.String()
}

// TestAnEntryLivesInOneChannelAtATime: a running entry whose project
// moves it to another channel ends in the first: its timer, board and
// ledger follow it; a change older than the move does not bring it back.
func TestAnEntryLivesInOneChannelAtATime(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		c := newChannels(t)
		d := c.deliverer(t, "b")
		start := time.Now().Add(-time.Hour)
		first := change(clockify.NewTimerStarted, "e1", "", "", start, true)
		older := change(clockify.TimeEntryUpdated, "e1", "", "", start, true) // accepted before the move, delivered after
		time.Sleep(time.Second)
		moved := change(clockify.TimeEntryUpdated, "e1", "B", "b", start, true)
		if r := d.Deliver(context.Background(), []queue.Job{first}); r[0].State != queue.Delivered {
			t.Fatalf("start: %+v", r[0])
		}
		time.Sleep(c.main.Window)
		if r := d.Deliver(context.Background(), []queue.Job{moved}); r[0].State != queue.Delivered {
			t.Fatalf("moved: %+v", r[0])
		}
		if got := c.running(t, discordtest.ChannelID); len(got) != 0 {
			t.Errorf("the channel it left still runs %v", got)
		}
		if got := c.running(t, channelB); !slices.Equal(got, []string{"e1"}) {
			t.Errorf("the channel it moved to runs %v", got)
		}
		refresh := c.later.Jobs()
		if len(refresh) != 1 || !refresh[0].Board || refresh[0].Channel != state.ChannelKey(discordtest.ChannelID) || refresh[0].Group != queue.Destination("") {
			t.Fatalf("refreshes queued: %+v; want the board of the channel it left", refresh)
		}
		time.Sleep(c.main.Window)
		if r := d.Deliver(context.Background(), refresh); r[0].State != queue.Delivered {
			t.Fatalf("the refresh: %+v", r[0])
		}
		board := c.main.Visible()
		if last := board[len(board)-1].Message; len(last.Embeds) != 1 || last.Embeds[0].Description != "Nobody is working" {
			t.Errorf("the board of the channel it left: %+v", last)
		}
		if r := d.Deliver(context.Background(), []queue.Job{older}); r[0].State != queue.Delivered {
			t.Fatalf("older: %+v", r[0])
		}
		if got := c.running(t, discordtest.ChannelID); len(got) != 0 {
			t.Errorf("a change older than the move brought it back: %v", got)
		}
		stop := change(clockify.TimerStopped, "e1", "B", "b", start, false)
		if r := d.Deliver(context.Background(), []queue.Job{stop}); r[0].State != queue.Delivered {
			t.Fatalf("stop: %+v", r[0])
		}
		now := time.Now()
		for ch, want := range map[string]int{discordtest.ChannelID: 0, channelB: 1} {
			if got, _ := c.store.State.LedgerOf(context.Background(), state.ChannelKey(ch), now.Add(-2*time.Hour), now.Add(time.Hour), now); len(got) != want {
				t.Errorf("channel %s's ledger: %d entries, want %d", ch, len(got), want)
			}
		}
	})
}

// TestAScheduledJobNeverChangesChannel: a reminder or digest made for a
// channel that its route no longer posts to is dead, with the reason; a
// board refresh for it is dropped. Nothing is posted.
func TestAScheduledJobNeverChangesChannel(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		c := newChannels(t)
		d := c.deliverer(t, "b")
		elsewhere := state.ChannelKey(discordtest.ChannelID) // route b posts to channelB
		reminder := queue.NewReminder(state.Session{EntryID: "e9", User: "Ada", Start: time.Now().Add(-11 * time.Hour)}, elsewhere, "b", time.Now())
		board := queue.NewBoard(elsewhere, "b", time.Now())
		rs := d.Deliver(context.Background(), []queue.Job{reminder, board})
		if rs[0].State != queue.Dead || !strings.Contains(rs[0].Err.Error(), "another channel") || rs[1].State != queue.Delivered {
			t.Errorf("results %+v", rs)
		}
		if n := len(c.b.Received()) + len(c.main.Received()); n != 0 {
			t.Errorf("%d messages posted", n)
		}
	})
}

// TestAGoneWebhooksChannelIsMarked: a webhook that Discord says is gone
// marks its channel, so the commands there answer "not here"; a new
// webhook in the channel clears the mark.
func TestAGoneWebhooksChannelIsMarked(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		c := newChannels(t)
		d := c.deliverer(t, "b")
		start := time.Now().Add(-time.Hour)
		if r := d.Deliver(context.Background(), []queue.Job{change(clockify.NewTimerStarted, "e1", "", "", start, true)}); r[0].State != queue.Delivered {
			t.Fatalf("start: %+v", r[0])
		}
		c.main.DeleteWebhook()
		if r := d.Deliver(context.Background(), []queue.Job{change(clockify.NewTimerStarted, "e2", "", "", start, true)}); r[0].State != queue.Dead {
			t.Fatalf("to a deleted webhook: %+v", r[0])
		}
		dest := state.ChannelKey(discordtest.ChannelID)
		if ch, _, _ := c.store.State.Channel(context.Background(), dest); !ch.Gone {
			t.Errorf("the channel of a deleted webhook: %+v", ch)
		}
		// The alias route's webhook posts there too: learning it clears the mark.
		time.Sleep(c.main.Window)
		if r := d.Deliver(context.Background(), []queue.Job{change(clockify.NewTimerStarted, "e3", "Alias", "alias", start, true)}); r[0].State != queue.Delivered {
			t.Fatalf("by the alias: %+v", r[0])
		}
		if ch, _, _ := c.store.State.Channel(context.Background(), dest); ch.Gone {
			t.Errorf("the channel with a working webhook again: %+v", ch)
		}
	})
}

// TestMemoryKeptByRouteIsAdopted: a stack upgraded from memory kept by
// route finds it in the channel: a timer started before the upgrade stops
// there, and the board posted before is edited, not posted again.
func TestMemoryKeptByRouteIsAdopted(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		f := newFixture(t, message.StyleText, route.Table{})
		store := f.withState(t, deliver.Options{Style: message.StyleText, Board: true})
		ctx := context.Background()
		start := jobs(1, "")[0]
		start.Event.Entry.CurrentlyRunning = true
		byRoute := queue.Destination("")
		if _, err := store.State.Apply(ctx, byRoute, "", start.Event, time.Now()); err != nil {
			t.Fatal(err)
		}
		posted, _, err := discord.NewClient(f.dc.Client()).Post(ctx, f.dc.HTTPSWebhookURL(), discord.Message{Content: "the board, as posted before"})
		if err != nil {
			t.Fatal(err)
		}
		if err := store.State.SetBoard(ctx, byRoute, state.BoardMessage{ID: posted.ID, Webhook: queue.Hash(f.dc.HTTPSWebhookURL())}); err != nil {
			t.Fatal(err)
		}
		time.Sleep(f.dc.Window)
		stop := start
		stop.Key, stop.Event.Type, stop.Event.Entry.CurrentlyRunning = "stop", clockify.TimerStopped, false
		end := time.Now()
		stop.Event.Entry.TimeInterval.End = &end
		if r := f.d.Deliver(ctx, []queue.Job{stop}); r[0].State != queue.Delivered {
			t.Fatalf("stop: %+v", r[0])
		}
		if r, _ := store.State.Entry(ctx, here, start.Event.Entry.ID); r == nil || !r.Stopped {
			t.Errorf("the timer started before the upgrade, in its channel: %+v", r)
		}
		if got, _ := store.State.Running(ctx, byRoute, time.Now()); len(got) != 0 {
			t.Errorf("still remembered by route: %+v", got)
		}
		if b, _ := store.State.Board(ctx, here); b.ID != posted.ID {
			t.Errorf("the board %q, want the one posted before (%s)", b.ID, posted.ID)
		}
		if edits := f.dc.Edits(); len(edits) != 1 || edits[0].ID != posted.ID {
			t.Errorf("edits %+v: want the old board edited once", edits)
		}
	})
}

// TestABoardFollowsItsChannelPastARename: a board refresh queued under a
// route that was renamed since is shown through the route that now posts
// to its channel; while Discord cannot say where that is, it waits.
func TestABoardFollowsItsChannelPastARename(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		c := newChannels(t)
		start := time.Now().Add(-time.Hour)
		if r := c.deliverer(t, "b").Deliver(context.Background(), []queue.Job{change(clockify.NewTimerStarted, "e1", "B", "b", start, true)}); r[0].State != queue.Delivered {
			t.Fatalf("start: %+v", r[0])
		}
		// Its stop was recorded while the board could not be shown.
		stop := change(clockify.TimerStopped, "e1", "B", "b", start, false)
		if _, err := c.store.State.Apply(context.Background(), state.ChannelKey(channelB), "b", stop.Event, time.Now()); err != nil {
			t.Fatal(err)
		}
		refresh := queue.NewBoard(state.ChannelKey(channelB), "b", time.Now())
		time.Sleep(c.b.Window)
		c.b.SetDown(true)
		if r := c.deliverer(t, "bee").Deliver(context.Background(), []queue.Job{refresh}); r[0].State != queue.Retry {
			t.Errorf("with Discord down, the refresh of a renamed route's board: %+v", r[0])
		}
		c.b.SetDown(false)
		time.Sleep(c.b.Window)
		before := len(c.b.Edits()) + len(c.b.Received())
		if r := c.deliverer(t, "bee").Deliver(context.Background(), []queue.Job{refresh}); r[0].State != queue.Delivered {
			t.Errorf("the refresh of a renamed route's board: %+v", r[0])
		}
		if after := len(c.b.Edits()) + len(c.b.Received()); after == before {
			t.Error("the board was not shown through the renamed route")
		}
	})
}

// TestAWebhookMovedInDiscordIsNoticed: Discord's settings can move a
// webhook to another channel, keeping its URL; a running deliverer asks
// again after a day, and the new channel's memory starts then.
func TestAWebhookMovedInDiscordIsNoticed(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		c := newChannels(t)
		d := c.deliverer(t, "b")
		start := time.Now().Add(-time.Hour)
		if r := d.Deliver(context.Background(), []queue.Job{change(clockify.NewTimerStarted, "e1", "", "", start, true)}); r[0].State != queue.Delivered {
			t.Fatalf("start: %+v", r[0])
		}
		const moved = "556677889900112233"
		c.main.MoveTo(moved)
		time.Sleep(25 * time.Hour)
		if r := d.Deliver(context.Background(), []queue.Job{change(clockify.NewTimerStarted, "e2", "", "", time.Now().Add(-time.Minute), true)}); r[0].State != queue.Delivered {
			t.Fatalf("after the move: %+v", r[0])
		}
		if got := c.running(t, moved); !slices.Equal(got, []string{"e2"}) {
			t.Errorf("the channel the webhook moved to runs %v, want e2", got)
		}
		if got := c.running(t, discordtest.ChannelID); slices.Contains(got, "e2") {
			t.Errorf("the channel it left got e2: %v", got)
		}
	})
}

// TestARotatedWebhookIsNotTakenForTheOldChannel: while Discord cannot
// say where a new webhook of a route posts, its jobs wait; they are not
// remembered in the channel the old webhook posted to, which the new one
// may not.
func TestARotatedWebhookIsNotTakenForTheOldChannel(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		c := newChannels(t)
		start := time.Now().Add(-time.Hour)
		if r := c.deliverer(t, "b").Deliver(context.Background(), []queue.Job{change(clockify.NewTimerStarted, "e1", "B", "b", start, true)}); r[0].State != queue.Delivered {
			t.Fatalf("start: %+v", r[0])
		}
		// Route b's webhook is now the alias's (in the default channel),
		// and Discord is down.
		table, err := route.Parse(`[{"name":"b","match":{"project":["B"]},"webhook":"`+c.alias.HTTPSWebhookURL()+`"}]`, discord.CheckWebhookURL)
		if err != nil {
			t.Fatal(err)
		}
		d := deliver.New(secrets.Static{DiscordWebhookURL: c.main.HTTPSWebhookURL(), Routes: table},
			discord.NewClient(&http.Client{Transport: discordtest.Hosts{c.main, c.alias, c.b}}), slog.New(slog.NewJSONHandler(c.logs, nil)),
			deliver.Options{Language: must(message.LanguageFor("en")), Style: message.StyleText, State: c.store.State, Board: true})
		c.alias.SetDown(true)
		if r := d.Deliver(context.Background(), []queue.Job{change(clockify.NewTimerStarted, "e2", "B", "b", start, true)}); r[0].State != queue.Retry {
			t.Errorf("a job of the rotated route while Discord is down: %+v", r[0])
		}
		if got := c.running(t, channelB); slices.Contains(got, "e2") {
			t.Errorf("the old webhook's channel remembers e2: %v", got)
		}
	})
}

// TestAnOlderChangeCutShortAfterAMoveLeavesNothingBehind: an attempt of a
// change older than a move was placed before the move, wrote its channel's
// timer and ledger after the move had forgotten the entry there, and died
// before it could undo that. Its retry, which the move makes older than
// where the entry is, forgets what it left.
func TestAnOlderChangeCutShortAfterAMoveLeavesNothingBehind(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		c := newChannels(t)
		d := c.deliverer(t, "b")
		start := time.Now().Add(-time.Hour)
		first := change(clockify.NewTimerStarted, "e1", "", "", start, true)
		older := change(clockify.TimerStopped, "e1", "", "", start, false)
		time.Sleep(time.Second)
		moved := change(clockify.TimeEntryUpdated, "e1", "B", "b", start, false)
		for _, j := range []queue.Job{first, moved} {
			time.Sleep(c.main.Window)
			if r := d.Deliver(context.Background(), []queue.Job{j}); r[0].State != queue.Delivered {
				t.Fatalf("%s: %+v", j.Event.Type, r[0])
			}
		}
		// What the older change's first attempt left before it died.
		here := state.ChannelKey(discordtest.ChannelID)
		ctx, now := context.Background(), time.Now()
		if err := c.store.State.Book(ctx, here, "", older.Event, now); err != nil {
			t.Fatal(err)
		}
		if _, err := c.store.State.Apply(ctx, here, "", first.Event, now); err != nil {
			t.Fatal(err)
		}
		time.Sleep(c.main.Window)
		if r := d.Deliver(ctx, []queue.Job{older}); r[0].State != queue.Delivered {
			t.Fatalf("the older change's retry: %+v", r[0])
		}
		if got := c.running(t, discordtest.ChannelID); len(got) != 0 {
			t.Errorf("the channel it left still runs %v", got)
		}
		if got, _ := c.store.State.LedgerOf(ctx, here, now.Add(-2*time.Hour), now.Add(time.Hour), now); len(got) != 0 {
			t.Errorf("the channel it left still books %+v", got)
		}
	})
}
