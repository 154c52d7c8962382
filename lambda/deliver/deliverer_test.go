package deliver_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"clockify-discord-relay/lambda/accept/relay"
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
	"clockify-discord-relay/lambda/state/statetest"
	"clockify-discord-relay/lambda/store/localstore"
)

// jobs are n timer starts, an hour ago by the test's clock.
func jobs(n int, route string) []queue.Job {
	out := make([]queue.Job, n)
	for i := range out {
		ev := clockify.Event{Type: clockify.NewTimerStarted, Entry: clockify.TimeEntry{
			ID: fmt.Sprintf("e%02d", i), Description: fmt.Sprintf("task %02d", i), User: &clockify.User{Name: "Ada"},
			TimeInterval: clockify.TimeInterval{Start: time.Now().Add(-time.Hour)},
		}}
		out[i] = queue.Job{Key: ev.Entry.ID, Event: ev, Route: route, AcceptedAt: time.Now()}
	}
	return out
}

// here is the memory of the stand-in's channel.
var here = state.ChannelKey(discordtest.ChannelID)

// runningStarts are n timer starts to the default route, each started
// ago and still running.
func runningStarts(n int, ago time.Duration) []queue.Job {
	js := jobs(n, "")
	for i := range js {
		js[i].Group = queue.Destination("")
		js[i].Event.Entry.CurrentlyRunning = true
		js[i].Event.Entry.TimeInterval.Start = time.Now().Add(-ago)
	}
	return js
}

type fixture struct {
	dc   *discordtest.Server
	logs *bytes.Buffer
	d    *deliver.Deliverer
}

// newFixture is a deliverer and the stand-in Discord in memory: run in a
// testing/synctest bubble, Discord's limits and waits take no real time.
func newFixture(t *testing.T, style message.Style, routes route.Table) *fixture {
	dc := discordtest.NewInMemory(t)
	logs := &bytes.Buffer{}
	en, _ := message.LanguageFor("en")
	c := discord.NewClient(dc.Client())
	c.MaxAttempts, c.MaxWait = 2, time.Second
	sec := secrets.Static{DiscordWebhookURL: dc.WebhookURL(), Routes: routes}
	return &fixture{dc: dc, logs: logs, d: deliver.New(sec, c, slog.New(slog.NewJSONHandler(logs, nil)), deliver.Options{Language: en, Style: style})}
}

func states(rs []queue.Result) string {
	var b strings.Builder
	for _, r := range rs {
		b.WriteString(r.State.String()[:1])
	}
	return b.String()
}

func TestDeliversCoalescedInOrder(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		for _, style := range []message.Style{message.StyleEmbed, message.StyleText} {
			f := newFixture(t, style, route.Table{})
			rs := f.d.Deliver(context.Background(), jobs(12, ""))
			if got := states(rs); got != strings.Repeat("d", 12) {
				t.Fatalf("%s: results %s", style, got)
			}
			// 12 embeds would take two messages: they go as one list.
			got := f.dc.Received()
			if len(got) != 1 {
				t.Fatalf("%s: %d messages", style, len(got))
			}
			if m := got[0].Message; style == message.StyleEmbed && (m.Content != "▶️ 12" || len(m.Embeds) != 1 || strings.Count(m.Embeds[0].Description, "\n") != 11) {
				t.Errorf("not a list of 12: %+v", m)
			}
			var all strings.Builder
			for _, r := range got {
				all.Write(r.Body)
			}
			for i := 1; i < 12; i++ {
				if strings.Index(all.String(), fmt.Sprintf("task %02d", i-1)) > strings.Index(all.String(), fmt.Sprintf("task %02d", i)) {
					t.Errorf("%s: task %02d comes before task %02d", style, i, i-1)
				}
			}
			if n := strings.Count(f.logs.String(), `"msg":"discord message"`); n != len(got) {
				t.Errorf("%d log lines for %d messages", n, len(got))
			}
		}
	})
}

// TestRetryHoldsTheRestOfTheGroup: when a message cannot go now, every
// later job of the group waits too, without a request.
func TestRetryHoldsTheRestOfTheGroup(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		f := newFixture(t, message.StyleEmbed, route.Table{})
		f.dc.SetDown(true)
		rs := f.d.Deliver(context.Background(), jobs(15, ""))
		if got := states(rs); got != strings.Repeat("r", 15) {
			t.Errorf("results %s", got)
		}
		if n := f.dc.Requests(); n != 2 {
			t.Errorf("%d requests, want the first message's 2 attempts", n)
		}
		if !strings.Contains(f.logs.String(), `"outcome":"retry"`) {
			t.Errorf("log %s", f.logs)
		}
	})
}

func TestChannelLimitIsHeldWithDiscordsWait(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		f := newFixture(t, message.StyleText, route.Table{})
		f.dc.ChannelLimit, f.dc.ChannelWindow = 1, time.Minute
		f.dc.FailNext(http.StatusTooManyRequests) // retry_after 0.25 s: within MaxWait, retried in place
		if rs := f.d.Deliver(context.Background(), jobs(1, "")); states(rs) != "d" {
			t.Fatalf("results %s: %v", states(rs), rs[0].Err)
		}
		// One message went out: the channel takes the next in a minute.
		rs := f.d.Deliver(context.Background(), jobs(2, ""))
		if states(rs) != "rr" || rs[0].Hold < 30*time.Second || rs[1].Hold != rs[0].Hold {
			t.Errorf("results %s, hold %s", states(rs), rs[0].Hold)
		}
	})
}

func TestDeletedWebhookDeadLettersTheGroupWithOneRequest(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		f := newFixture(t, message.StyleEmbed, route.Table{})
		f.dc.DeleteWebhook()
		rs := f.d.Deliver(context.Background(), jobs(25, ""))
		for i, r := range rs {
			if r.State != queue.Dead || !strings.Contains(fmt.Sprint(r.Err), "webhook was deleted") {
				t.Fatalf("job %d: %s %v", i, r.State, r.Err)
			}
		}
		if n := f.dc.Requests(); n != 1 {
			t.Errorf("%d requests to a deleted webhook, want 1", n)
		}
	})
}

func TestRoutesByRuleName(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		other := discordtest.NewInMemory(t)
		// Routes take https URLs; the client below reaches both stand-ins.
		table, err := route.Parse(`[{"name": "web", "match": {"project": ["Website"]}, "webhook": "`+other.HTTPSWebhookURL()+`"}]`, discord.CheckWebhookURL)
		if err != nil {
			t.Fatal(err)
		}
		f := newFixture(t, message.StyleText, table)
		f.d = deliver.New(secrets.Static{DiscordWebhookURL: f.dc.WebhookURL(), Routes: table}, discord.NewClient(&http.Client{Transport: discordtest.Hosts{f.dc, other}}),
			slog.New(slog.NewJSONHandler(f.logs, nil)), deliver.Options{Language: must(message.LanguageFor("en")), Style: message.StyleText})
		js := append(jobs(2, "web"), jobs(1, "renamed rule")...)
		// A young job of an unknown rule waits: the rule may be new,
		// and the deliverer's secrets older than the accept half's.
		if rs := f.d.Deliver(context.Background(), js[2:]); rs[0].State != queue.Retry || len(f.dc.Received()) != 0 {
			t.Fatalf("a young job of an unknown rule: %+v", rs[0])
		}
		time.Sleep(15 * time.Minute)
		rs := f.d.Deliver(context.Background(), js)
		if got := states(rs[:2]); got != "dd" || rs[0].State != queue.Delivered {
			t.Fatalf("results %s", got)
		}
		// A job never changes channel: its rule gone, it is dead, with
		// the reason, and the default webhook never sees it.
		if len(other.Received()) != 1 || len(f.dc.Received()) != 0 {
			t.Errorf("route got %d, default got %d", len(other.Received()), len(f.dc.Received()))
		}
		if rs[2].State != queue.Dead || !strings.Contains(fmt.Sprint(rs[2].Err), `route rule is gone or now drops, so it is posted nowhere else (ROUTES: restore the rule, then redrive): "renamed rule"`) {
			t.Errorf("the job of a gone rule: %+v", rs[2])
		}
		// Nor do its reminders, or its board.
		reminder := queue.NewReminder(state.Session{EntryID: "e9", User: "Ada", Start: time.Now().Add(-11 * time.Hour)}, "channel-b", "renamed rule", time.Now().Add(-15*time.Minute))
		board := queue.NewBoard("channel-b", "renamed rule", time.Now())
		if rs := f.d.Deliver(context.Background(), []queue.Job{reminder, board}); rs[0].State != queue.Dead || rs[1].State != queue.Delivered {
			t.Errorf("a reminder and a board of a gone rule: %+v", rs)
		}
		if len(other.Received()) != 1 || len(f.dc.Received()) != 0 {
			t.Errorf("after its reminder: route got %d, default got %d", len(other.Received()), len(f.dc.Received()))
		}
	})
}

// TestLinksInUserText: a link a user typed is defanged, in the content
// line and in the embeds; LINKS=allow keeps it, and text messages still
// get no preview.
func TestLinksInUserText(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		phish := jobs(1, "")
		phish[0].Event.Entry.Description = "log in again: https://clockify-login.example/reauth or www.evil.example"
		phish[0].Event.Entry.User.Name = "http://user.example"
		for _, tt := range []struct {
			style message.Style
			allow bool
		}{{message.StyleEmbed, false}, {message.StyleText, false}, {message.StyleText, true}, {message.StyleEmbed, true}} {
			f := newFixture(t, tt.style, route.Table{})
			en, _ := message.LanguageFor("en")
			f.d = deliver.New(secrets.Static{DiscordWebhookURL: f.dc.HTTPSWebhookURL()}, discord.NewClient(f.dc.Client()),
				slog.New(slog.NewJSONHandler(f.logs, nil)), deliver.Options{Language: en, Style: tt.style, AllowLinks: tt.allow})
			if got := states(f.d.Deliver(context.Background(), phish)); got != "d" {
				t.Fatalf("results %s", got)
			}
			body := string(f.dc.Received()[0].Body)
			linked := strings.Contains(body, "https://clockify-login.example") && strings.Contains(body, "www.evil.example") && strings.Contains(body, "http://user.example")
			if linked != tt.allow {
				t.Errorf("%s, allow %v: links kept = %v: %s", tt.style, tt.allow, linked, body)
			}
			if previews := !strings.Contains(body, `"flags":4`); previews != (tt.style == message.StyleEmbed) {
				t.Errorf("%s, allow %v: flags in %s", tt.style, tt.allow, body)
			}
		}
	})
}

// TestBoardIsPostedOnceThenEdited: the batch's events change the running
// timers, the board is posted once and then edited, once per batch; a
// board deleted in Discord is posted again and remembered.
func TestBoardIsPostedOnceThenEdited(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		f := newFixture(t, message.StyleText, route.Table{})
		store := f.withState(t, deliver.Options{Style: message.StyleText, Board: true})
		starts := runningStarts(3, time.Minute)
		f.d.Deliver(context.Background(), starts)
		board, _ := store.State.Board(context.Background(), here)
		boardID := board.ID
		if m, ok := f.dc.Message(boardID); !ok || strings.Count(m.Embeds[0].Description, "**Ada**") != 3 || len(f.dc.Edits()) != 0 {
			t.Fatalf("board %q: %+v, %d edits", boardID, m, len(f.dc.Edits()))
		}
		// Each batch a while after the last, as they come: within
		// Discord's limits, so that no 429 decides the test.
		pause := func() { time.Sleep(f.dc.Window) }
		// A redelivered batch changes nothing: no edit.
		pause()
		f.d.Deliver(context.Background(), starts)
		if n := len(f.dc.Edits()); n != 0 {
			t.Errorf("%d edits for a redelivery", n)
		}
		stop := starts[:1]
		stop[0].Event.Type = clockify.TimerStopped
		pause()
		f.d.Deliver(context.Background(), stop)
		if m, _ := f.dc.Message(boardID); strings.Count(m.Embeds[0].Description, "**Ada**") != 2 || len(f.dc.Edits()) != 1 {
			t.Errorf("after a stop: %q, %d edits", m.Embeds[0].Description, len(f.dc.Edits()))
		}
		f.dc.DeleteMessage(boardID)
		stop[0].Event.Entry.ID = "e01"
		pause()
		f.d.Deliver(context.Background(), stop)
		if again, _ := store.State.Board(context.Background(), here); again.ID == boardID || again.ID == "" {
			t.Errorf("a deleted board was not posted again: %q", again.ID)
		}
	})
}

// TestStopLinksToItsStart: with state, a start is posted with ?wait=true,
// and its stop links to that message (a jump link), in both styles.
func TestStopLinksToItsStart(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		for _, style := range []message.Style{message.StyleEmbed, message.StyleText} {
			f := newFixture(t, style, route.Table{})
			f.withState(t, deliver.Options{Style: style})
			start := runningStarts(1, time.Hour)
			f.d.Deliver(context.Background(), start)
			announcement := f.dc.Received()[0].ID
			stop := start
			stop[0].Event.Type = clockify.TimerStopped
			f.d.Deliver(context.Background(), stop)
			var stopMsg discord.Message
			for _, r := range f.dc.Received() {
				if strings.Contains(string(r.Body), "stopped") {
					stopMsg = r.Message
				}
			}
			link := "https://discord.com/channels/" + discordtest.GuildID + "/" + discordtest.ChannelID + "/" + announcement
			body, _ := discord.Encode(stopMsg)
			if !strings.Contains(string(body), link) {
				t.Errorf("%s: the stop does not link to %s: %s", style, link, body)
			}
		}
	})
}

// TestAListedStopLinksToItsStart: 12 starts go as one list, and their 12
// stops as another, each line ending with the link to the list that
// announced its start.
func TestAListedStopLinksToItsStart(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		f := newFixture(t, message.StyleEmbed, route.Table{})
		f.withState(t, deliver.Options{Style: message.StyleEmbed})
		js := runningStarts(12, time.Hour)
		f.d.Deliver(context.Background(), js)
		for i := range js {
			js[i].Key += "-stop"
			js[i].Event.Type = clockify.TimerStopped
			js[i].Event.Entry.CurrentlyRunning = false
		}
		f.d.Deliver(context.Background(), js)
		got := f.dc.Received()
		if len(got) != 2 {
			t.Fatalf("%d messages, want two lists", len(got))
		}
		link := "https://discord.com/channels/" + discordtest.GuildID + "/" + discordtest.ChannelID + "/" + got[0].ID
		stops := strings.Split(got[1].Message.Embeds[0].Description, "\n")
		for i, line := range stops {
			if !strings.HasSuffix(line, " "+link) || !strings.Contains(line, fmt.Sprintf("task %02d", i)) {
				t.Errorf("stop %d: %q, want its task and the link %s", i, line, link)
			}
		}
		if len(stops) != 12 || got[1].Message.Content != "⏹️ 12" {
			t.Errorf("%d lines, content %q", len(stops), got[1].Message.Content)
		}
	})
}

// TestEditSessions: SESSION_MESSAGES=edit turns the start message into
// the finished session; a start deleted in Discord gets a stop message.
func TestEditSessions(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		f := newFixture(t, message.StyleText, route.Table{})
		f.withState(t, deliver.Options{Style: message.StyleText, EditSessions: true, Board: true})
		js := runningStarts(2, time.Hour)
		f.d.Deliver(context.Background(), js) // two starts: two messages, not one
		got := f.dc.Received()
		if len(got) != 3 { // two starts and the board
			t.Fatalf("%d messages after two starts", len(got))
		}
		stops := append([]queue.Job(nil), js...)
		for i := range stops {
			stops[i].Event.Type = clockify.TimerStopped
		}
		f.dc.DeleteMessage(got[1].ID) // the second start is gone
		f.d.Deliver(context.Background(), stops)
		if m, _ := f.dc.Message(got[0].ID); !strings.Contains(m.Content, "stopped") {
			t.Errorf("the first start was not edited into its session: %q", m.Content)
		}
		stopsPosted := 0
		for _, r := range f.dc.Received() {
			if strings.Contains(r.Message.Content, "stopped") {
				stopsPosted++
			}
		}
		if stopsPosted != 2 { // the edited one, and the second posted anew
			t.Errorf("%d messages show a stop, want 2", stopsPosted)
		}
	})
}

// withState gives f a deliverer that keeps state in a store of its own
// and reaches the stand-in at an https URL, with opts (in English).
func (f *fixture) withState(t *testing.T, opts deliver.Options) *localstore.Store {
	t.Helper()
	store, err := localstore.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	opts.Language, _ = message.LanguageFor("en")
	opts.State = store.State
	f.d = deliver.New(secrets.Static{DiscordWebhookURL: f.dc.HTTPSWebhookURL()}, discord.NewClient(f.dc.Client()),
		slog.New(slog.NewJSONHandler(f.logs, nil)), opts)
	return store
}

// TestStateWithoutTheBoard: BOARD=off keeps the state (links, reminders)
// and posts no board.
func TestStateWithoutTheBoard(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		f := newFixture(t, message.StyleText, route.Table{})
		store := f.withState(t, deliver.Options{Style: message.StyleText})
		start := runningStarts(1, time.Hour)
		f.d.Deliver(context.Background(), start)
		if got, _ := store.State.Running(context.Background(), here, time.Now()); len(got) != 1 {
			t.Errorf("running %+v", got)
		}
		if r, _ := store.State.Entry(context.Background(), here, "e00"); r == nil || r.Announced == "" {
			t.Errorf("the start's message was not remembered: %+v", r)
		}
		if b, _ := store.State.Board(context.Background(), here); b.ID != "" || len(f.dc.Received()) != 1 {
			t.Errorf("a board was posted: %q, %d messages", b.ID, len(f.dc.Received()))
		}
	})
}

// TestRotatedWebhookKeepsTheChannelsMemory: the channel's webhook is
// replaced (a leaked URL) while a timer runs. The stop still finds its
// start (and links to it), the timer leaves the running ones, and the
// new webhook posts a board of its own, as it cannot edit the old one.
func TestRotatedWebhookKeepsTheChannelsMemory(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		f := newFixture(t, message.StyleText, route.Table{})
		store := f.withState(t, deliver.Options{Style: message.StyleText, Board: true})
		accept := func(url string, ev clockify.Event) queue.Job {
			t.Helper()
			q := &queuetest.Recorder{}
			h := relay.NewHandler(secrets.Static{DiscordWebhookURL: url}, q, slog.New(slog.NewJSONHandler(f.logs, nil)), relay.Options{AllowUnsigned: true})
			body, _ := json.Marshal(ev.Entry)
			hdr := http.Header{}
			hdr.Set(clockify.EventTypeHeader, string(ev.Type))
			req := httptest.NewRequest(http.MethodPost, relay.Path, bytes.NewReader(body))
			req.Header = hdr
			r := httptest.NewRecorder()
			if h.Front(nil).ServeHTTP(r, req); r.Code != http.StatusOK {
				t.Fatalf("accept: %d %s", r.Code, r.Body)
			}
			return q.Jobs()[0]
		}
		start := jobs(1, "")[0].Event
		start.Entry.CurrentlyRunning = true
		oldURL := f.dc.HTTPSWebhookURL()
		f.d.Deliver(context.Background(), []queue.Job{accept(oldURL, start)})
		// The same channel, another webhook URL.
		newURL := strings.Replace(oldURL, "/api/webhooks/", "/api/v10/webhooks/", 1)
		rotated := deliver.New(secrets.Static{DiscordWebhookURL: newURL}, discord.NewClient(f.dc.Client()),
			slog.New(slog.NewJSONHandler(f.logs, nil)), deliver.Options{Style: message.StyleText, Board: true, State: store.State, Language: must(message.LanguageFor("en"))})
		stop := start
		stop.Type, stop.Entry.CurrentlyRunning = clockify.TimerStopped, false
		end := start.Entry.TimeInterval.Start.Add(time.Hour)
		stop.Entry.TimeInterval.End = &end
		job := accept(newURL, stop)
		time.Sleep(f.dc.Window) // the new webhook's lookup, the stop and the board share the bucket
		if rs := rotated.Deliver(context.Background(), []queue.Job{job}); rs[0].State != queue.Delivered {
			t.Fatalf("stop: %+v", rs[0])
		}
		if running, _ := store.State.Running(context.Background(), here, time.Now()); len(running) != 0 {
			t.Errorf("still running after the stop: %+v", running)
		}
		got := f.dc.Received()
		last := got[len(got)-1].Message
		var stopMsg discord.Message
		for _, r := range got {
			if strings.Contains(r.Message.Content, "stopped") {
				stopMsg = r.Message
			}
		}
		if !strings.Contains(stopMsg.Content, "discord.com/channels/") {
			t.Errorf("the stop lost its link to the start: %q", stopMsg.Content)
		}
		if len(last.Embeds) != 1 || last.Embeds[0].Description != "Nobody is working" {
			t.Errorf("the new webhook's board: %+v\n%s", last, f.logs)
		}
		if entries, _ := store.State.Ledger(context.Background(), end.Add(-2*time.Hour), end.Add(time.Hour), end); len(entries) != 1 {
			t.Errorf("ledger: %+v", entries)
		}
	})
}

func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}

// flakyBook is a store whose ledger write fails while fail is set.
type flakyBook struct {
	state.Store
	fail bool
}

func (f *flakyBook) Book(ctx context.Context, dest, route string, ev clockify.Event, now time.Time) error {
	if f.fail {
		return fmt.Errorf("throttled")
	}
	return f.Store.Book(ctx, dest, route, ev, now)
}

// TestAFailedStateWriteIsRetriedWithoutPostingAgain: the message was
// posted, the ledger write failed. The job is retried, and the retry books
// it without a second post; a job past its retries is booked too.
func TestAFailedStateWriteIsRetriedWithoutPostingAgain(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		f := newFixture(t, message.StyleText, route.Table{})
		store := f.withState(t, deliver.Options{Style: message.StyleText})
		flaky := &flakyBook{Store: store.State, fail: true}
		f.d = deliver.New(secrets.Static{DiscordWebhookURL: f.dc.HTTPSWebhookURL()}, discord.NewClient(f.dc.Client()),
			slog.New(slog.NewJSONHandler(f.logs, nil)), deliver.Options{Language: must(message.LanguageFor("en")), Style: message.StyleText, State: flaky, Journal: store.Journal})
		start := time.Now().Add(-2 * time.Hour)
		stop := statetest.Finished(clockify.TimerStopped, "e1", "Ada", "Web", start, start.Add(time.Hour))
		job := queue.Job{Key: "k1", Group: "g", Event: stop, AcceptedAt: time.Now()}
		if r := f.d.Deliver(context.Background(), []queue.Job{job}); r[0].State != queue.Retry || !r[0].Settled {
			t.Fatalf("with the ledger down: %+v", r[0])
		}
		flaky.fail = false
		job.Tried = 1
		if r := f.d.Deliver(context.Background(), []queue.Job{job}); r[0].State != queue.Delivered {
			t.Fatalf("retried: %+v", r[0])
		}
		if n := len(f.dc.Received()); n != 1 {
			t.Errorf("%d posts for one event", n)
		}
		if got, _ := store.State.Ledger(context.Background(), start, start.Add(2*time.Hour), start.Add(2*time.Hour)); len(got) != 1 {
			t.Errorf("ledger %+v", got)
		}
		// A job past its retries is reported dead, not posted, and booked.
		old := queue.Job{Key: "k2", Group: "g", Event: statetest.Finished(clockify.TimerStopped, "e2", "Bob", "Web", start, start.Add(time.Hour)), AcceptedAt: time.Now().Add(-25 * time.Hour), Tried: 40}
		if r := f.d.Deliver(context.Background(), []queue.Job{old}); r[0].State != queue.Dead {
			t.Errorf("past its retries: %+v", r[0])
		}
		if got, _ := store.State.Ledger(context.Background(), start, start.Add(2*time.Hour), start.Add(2*time.Hour)); len(got) != 2 || len(f.dc.Received()) != 1 {
			t.Errorf("the expired job: ledger %d entries, %d posts", len(got), len(f.dc.Received()))
		}
	})
}

// TestAReminderIsAJob: a reminder job is worded when it is delivered, in
// the deliverer's language, in a message of its own.
func TestAReminderIsAJob(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		f := newFixture(t, message.StyleEmbed, route.Table{})
		start := time.Now().Add(-11*time.Hour - 5*time.Minute)
		job := queue.NewReminder(state.Session{EntryID: "e1", User: "Ada", Start: start}, here, "", time.Now())
		if got := states(f.d.Deliver(context.Background(), []queue.Job{job, jobs(1, "")[0]})); got != "dd" {
			t.Fatalf("results %s", got)
		}
		got := f.dc.Received()
		if len(got) != 2 || !strings.HasPrefix(got[0].Message.Content, "⏰ Ada's timer has been running for 11h 5m") || len(got[0].Message.Embeds) != 0 {
			t.Errorf("received %+v", got)
		}
	})
}

// TestAReminderBehindItsStopIsNotSent: the stop waited in the queue (an
// outage) while the schedule queued a reminder behind it; the reminder
// goes unsent.
func TestAReminderBehindItsStopIsNotSent(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		f := newFixture(t, message.StyleText, route.Table{})
		start := time.Now().Add(-11 * time.Hour)
		stop := statetest.Finished(clockify.TimerStopped, "e1", "Ada", "Web", start, time.Now().Add(-time.Hour))
		reminder := queue.NewReminder(state.Session{EntryID: "e1", User: "Ada", Start: start}, here, "", time.Now())
		if got := states(f.d.Deliver(context.Background(), []queue.Job{{Key: "k", Group: "channel", Event: stop, AcceptedAt: time.Now()}, reminder})); got != "dd" {
			t.Fatalf("results %s", got)
		}
		for _, r := range f.dc.Received() {
			if strings.Contains(r.Message.Content, "Forgot to stop") {
				t.Errorf("a reminder for a stopped timer: %q", r.Message.Content)
			}
		}
	})
}

// TestARefusedPackDoesNotEndItsWebhook: Discord refuses one message with a
// 400 (an embed it rejects): that pack is dead alone, and the next pack to
// the same webhook is still sent (issue 24). Only a webhook that is gone
// ends the webhook's later packs.
func TestARefusedPackDoesNotEndItsWebhook(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		f := newFixture(t, message.StyleText, route.Table{})
		f.dc.FailNext(http.StatusBadRequest)
		rs := f.d.Deliver(context.Background(), twoPacks())
		for i, r := range rs {
			want := queue.Dead
			if i == 1 {
				want = queue.Delivered
			}
			if r.State != want {
				t.Errorf("job %d: %v, want %v", i, r.State, want)
			}
		}
		if n := len(f.dc.Received()); n != 1 {
			t.Errorf("%d received, want the second pack", n)
		}
	})
}

// TestAnUnknownPackDoesNotHoldTheChannel: after a pack whose outcome is
// unknown (a 504), the next pack to the same webhook is sent: the unknown
// one is reported, not retried, so nothing waits behind it (issue 24).
func TestAnUnknownPackDoesNotHoldTheChannel(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		f := newFixture(t, message.StyleText, route.Table{})
		f.dc.FailNext(http.StatusGatewayTimeout)
		rs := f.d.Deliver(context.Background(), twoPacks())
		if rs[0].State != queue.Unknown || rs[1].State != queue.Delivered {
			t.Errorf("results %v %v", rs[0].State, rs[1].State)
		}
	})
}

// twoPacks is two jobs to one webhook too long to share a message.
func twoPacks() []queue.Job {
	js := jobs(2, "")
	for i := range js {
		js[i].Event.Entry.Description = strings.Repeat("x", 1500)
	}
	return js
}

// TestTheBoardWaitsBehindTheChannelsJobs: a batch with more jobs behind
// it posts its events and no board; a board refresh goes to the back of
// the queue, and shows the board once those jobs are out.
func TestTheBoardWaitsBehindTheChannelsJobs(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		f := newFixture(t, message.StyleText, route.Table{})
		store := f.withState(t, deliver.Options{Style: message.StyleText, Board: true})
		later := &queuetest.Recorder{}
		f.d.RequeueBoardsTo(later)
		starts := runningStarts(3, time.Minute)
		for i := range starts {
			starts[i].Behind = true
		}
		if got := states(f.d.Deliver(context.Background(), starts)); got != "ddd" {
			t.Fatalf("results %s", got)
		}
		board, _ := store.State.Board(context.Background(), here)
		if board.ID != "" || len(f.dc.Received()) != 1 {
			t.Fatalf("a board was shown ahead of waiting jobs: %q, %d messages", board.ID, len(f.dc.Received()))
		}
		refresh := later.Jobs()
		if len(refresh) != 1 || !refresh[0].Board || refresh[0].Channel != here {
			t.Fatalf("queued %+v, want one board refresh", refresh)
		}
		// The refresh, the last job of the channel, shows all three.
		if got := states(f.d.Deliver(context.Background(), refresh)); got != "d" {
			t.Fatalf("refresh: %s", got)
		}
		board, _ = store.State.Board(context.Background(), here)
		if m, ok := f.dc.Message(board.ID); !ok || strings.Count(m.Embeds[0].Description, "**Ada**") != 3 {
			t.Errorf("board %q: %+v", board.ID, m)
		}
	})
}

// remoteStore and remoteJournal are the local store as a remote one
// behaves (DynamoDB's SDK): a write on a context that is done fails
// without effect.
type (
	remoteStore   struct{ state.Store }
	remoteJournal struct{ queue.Journal }
)

func (r remoteJournal) SetMarks(ctx context.Context, ids []string, m queue.Mark, now time.Time) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	return r.Journal.SetMarks(ctx, ids, m, now)
}

func (r remoteStore) Apply(ctx context.Context, dest, route string, ev clockify.Event, now time.Time) (bool, error) {
	if err := ctx.Err(); err != nil {
		return false, err
	}
	return r.Store.Apply(ctx, dest, route, ev, now)
}

func (r remoteStore) Book(ctx context.Context, dest, route string, ev clockify.Event, now time.Time) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	return r.Store.Book(ctx, dest, route, ev, now)
}

// answerAtTheDeadline ends the delivery's context as Discord's answer to
// a post arrives: the send succeeded, and the deadline has passed.
type answerAtTheDeadline struct {
	next http.RoundTripper
	end  context.CancelFunc
}

func (a answerAtTheDeadline) RoundTrip(r *http.Request) (*http.Response, error) {
	resp, err := a.next.RoundTrip(r)
	if r.Method == http.MethodPost {
		a.end()
	}
	return resp, err
}

// TestASendAnsweredAsTheDeadlinePassesIsSettled: Discord takes the start
// and answers just as the delivery's deadline passes. The outcome is
// still recorded, on a context of its own: the journal says shown (not
// "sending", which would call a redelivery unknown), and the state has
// the timer running.
func TestASendAnsweredAsTheDeadlinePassesIsSettled(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		f := newFixture(t, message.StyleText, route.Table{})
		store := f.withState(t, deliver.Options{Style: message.StyleText})
		ctx, end := context.WithCancel(context.Background())
		client := discord.NewClient(&http.Client{Transport: answerAtTheDeadline{next: f.dc.Client().Transport, end: end}})
		remote := remoteStore{store.State}
		f.d = deliver.New(secrets.Static{DiscordWebhookURL: f.dc.HTTPSWebhookURL()}, client, slog.New(slog.NewJSONHandler(f.logs, nil)),
			deliver.Options{Language: must(message.LanguageFor("en")), Style: message.StyleText, State: remote, Journal: remoteJournal{store.Journal}})
		start := runningStarts(1, time.Minute)
		if r := f.d.Deliver(ctx, start); r[0].State != queue.Delivered || ctx.Err() == nil {
			t.Fatalf("result %+v (the context ended: %v)", r[0], ctx.Err())
		}
		if marks, _ := store.Journal.Marks(context.Background(), []string{start[0].SendID()}); marks[start[0].SendID()] != queue.Shown {
			t.Errorf("the journal says %q, want shown", marks[start[0].SendID()])
		}
		if running, _ := store.State.Running(context.Background(), here, time.Now()); len(running) != 1 {
			t.Errorf("running %+v, want the started timer", running)
		}
	})
}

// TestABoardTooOldToEditIsReplacedAndDeleted: an hour after it was
// posted, the board takes a few more edits, then Discord refuses them
// (400, code 30046). The board is posted anew, remembered, and the old
// one deleted: the channel shows one board.
func TestABoardTooOldToEditIsReplacedAndDeleted(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		f := newFixture(t, message.StyleText, route.Table{})
		store := f.withState(t, deliver.Options{Style: message.StyleText, Board: true})
		starts := runningStarts(f.dc.OldEdits+2, time.Minute)
		f.d.Deliver(context.Background(), starts[:1])
		first, _ := store.State.Board(context.Background(), here)
		time.Sleep(f.dc.OldAfter + time.Minute)
		for i := 1; i < len(starts); i++ { // each start changes the board
			time.Sleep(f.dc.Window) // within Discord's limits: no 429 decides the test
			f.d.Deliver(context.Background(), starts[i:i+1])
		}
		now, _ := store.State.Board(context.Background(), here)
		if now.ID == first.ID || now.ID == "" {
			t.Fatalf("the board was not posted anew: %q, first %q", now.ID, first.ID)
		}
		if _, ok := f.dc.Message(first.ID); ok {
			t.Errorf("the board too old to edit (%s) was left in the channel", first.ID)
		}
		boards := 0
		for _, r := range f.dc.Visible() {
			if len(r.Message.Embeds) == 1 && r.Message.Embeds[0].Title == "Working now" {
				boards++
			}
		}
		if m, _ := f.dc.Message(now.ID); boards != 1 || strings.Count(m.Embeds[0].Description, "**Ada**") != len(starts) {
			t.Errorf("%d boards in the channel; the new one shows %q", boards, m.Embeds[0].Description)
		}
	})
}

// refuseDeletes answers every delete with a 503 while on is set.
type refuseDeletes struct {
	next http.RoundTripper
	on   bool
}

func (r *refuseDeletes) RoundTrip(req *http.Request) (*http.Response, error) {
	if r.on && req.Method == http.MethodDelete {
		return &http.Response{StatusCode: http.StatusServiceUnavailable, Header: http.Header{}, Body: http.NoBody, Request: req}, nil
	}
	return r.next.RoundTrip(req)
}

// TestAnOldBoardIsDeletedOnALaterTry: the board too old to edit is
// replaced while Discord refuses deletes. It is remembered beside the new
// board, the board is reported not done (so a refresh is queued), and
// the next try deletes it.
func TestAnOldBoardIsDeletedOnALaterTry(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		f := newFixture(t, message.StyleText, route.Table{})
		store := f.withState(t, deliver.Options{Style: message.StyleText, Board: true})
		deletes := &refuseDeletes{next: f.dc.Client().Transport}
		client := discord.NewClient(&http.Client{Transport: deletes})
		client.MaxAttempts, client.MaxWait = 2, time.Second
		later := &queuetest.Recorder{}
		f.d = deliver.New(secrets.Static{DiscordWebhookURL: f.dc.HTTPSWebhookURL()}, client, slog.New(slog.NewJSONHandler(f.logs, nil)),
			deliver.Options{Language: must(message.LanguageFor("en")), Style: message.StyleText, State: store.State, Board: true})
		f.d.RequeueBoardsTo(later)
		starts := runningStarts(f.dc.OldEdits+2, time.Minute)
		f.d.Deliver(context.Background(), starts[:1])
		first, _ := store.State.Board(context.Background(), here)
		time.Sleep(f.dc.OldAfter + time.Minute)
		deletes.on = true
		for i := 1; i < len(starts); i++ {
			time.Sleep(f.dc.Window) // within Discord's limits: no 429 decides the test
			f.d.Deliver(context.Background(), starts[i:i+1])
		}
		now, _ := store.State.Board(context.Background(), here)
		if _, ok := f.dc.Message(first.ID); !ok || now.ID == first.ID || !slices.Equal(now.Stale, []string{first.ID}) || len(later.Jobs()) == 0 {
			t.Fatalf("with deletes refused: board %+v (first %s), %d refreshes queued", now, first.ID, len(later.Jobs()))
		}
		deletes.on = false
		time.Sleep(f.dc.Window) // the refresh comes later, as the queue's retry would
		refreshes := later.Jobs()
		if got := states(f.d.Deliver(context.Background(), refreshes[len(refreshes)-1:])); got != "d" {
			t.Fatalf("the refresh: %s", got)
		}
		if now, _ := store.State.Board(context.Background(), here); len(now.Stale) != 0 {
			t.Errorf("still to delete: %v", now.Stale)
		}
		if _, ok := f.dc.Message(first.ID); ok {
			t.Errorf("the old board %s is still in the channel", first.ID)
		}
	})
}

// lostApply applies the first n Apply calls and then says they failed, as
// a store whose answer was lost.
type lostApply struct {
	state.Store
	n int
}

func (l *lostApply) Apply(ctx context.Context, dest, route string, ev clockify.Event, now time.Time) (bool, error) {
	changed, err := l.Store.Apply(ctx, dest, route, ev, now)
	if err == nil && l.n > 0 {
		l.n--
		return false, fmt.Errorf("the answer was lost")
	}
	return changed, err
}

// TestAStateWriteThatFailsOnceIsWrittenAgainAtOnce: a passing failure
// of one entry's write does not send the batch back: it is written again
// at once, and the board shows the change the lost answer hid.
func TestAStateWriteThatFailsOnceIsWrittenAgainAtOnce(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		f := newFixture(t, message.StyleText, route.Table{})
		store := f.withFaultyState(t, func(s *localstore.Store) state.Store { return &lostApply{Store: s.State, n: 1} })
		if r := f.d.Deliver(context.Background(), runningStarts(1, time.Minute)); r[0].State != queue.Delivered {
			t.Fatalf("a start whose first state write lost its answer: %+v", r[0])
		}
		b, _ := store.State.Board(context.Background(), here)
		if m, ok := f.dc.Message(b.ID); !ok || !strings.Contains(fmtEmbeds(m), "task 00") {
			t.Errorf("the board %+v does not show the start", m)
		}
	})
}

// TestABoardOfUnknownOutcomeIsNotPostedBlind: a board post that Discord
// took but answered too late may be in the channel, with no id to edit.
// Refreshes do not post another while Discord answers nothing; the next
// message Discord takes does, once: one stray board at most.
func TestABoardOfUnknownOutcomeIsNotPostedBlind(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		f := newFixture(t, message.StyleText, route.Table{})
		store := f.withState(t, deliver.Options{Style: message.StyleText, Board: true})
		boards := func() int { return boardPosts(f.dc) }
		within := func(jobs ...queue.Job) []queue.Result {
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			return f.d.Deliver(ctx, jobs)
		}
		f.dc.SetLateAnswer(time.Minute) // Discord posts, and answers after every deadline
		starts := runningStarts(2, time.Minute)
		if r := within(starts[0]); r[0].State != queue.Unknown {
			t.Fatalf("the start, answered late: %+v", r[0])
		}
		if n := boards(); n != 1 {
			t.Fatalf("%d boards posted, want the one of unknown outcome", n)
		}
		for range 3 {
			time.Sleep(time.Minute)
			if r := within(queue.NewBoard(here, "", time.Now())); r[0].State != queue.Delivered {
				t.Errorf("a refresh while Discord answers late: %+v", r[0])
			}
		}
		if n := boards(); n != 1 {
			t.Errorf("%d boards posted by refreshes while Discord answered late, want none more", n)
		}
		f.dc.SetLateAnswer(0)
		time.Sleep(time.Minute)
		if r := within(starts[1]); r[0].State != queue.Delivered {
			t.Fatalf("the next start: %+v", r[0])
		}
		if n := boards(); n != 2 {
			t.Errorf("%d boards, want one more once Discord answers", n)
		}
		if b, _ := store.State.Board(context.Background(), here); b.ID == "" || !b.Unsure.IsZero() {
			t.Errorf("the board remembered: %+v", b)
		}
	})
}

// unrecordedBoard refuses to record the first n boards that have an id,
// as a process that dies between posting a board and remembering it.
type unrecordedBoard struct {
	state.Store
	n int
}

func (u *unrecordedBoard) SetBoard(ctx context.Context, dest string, b state.BoardMessage) error {
	if b.ID != "" && u.n > 0 {
		u.n--
		return fmt.Errorf("the instance died")
	}
	return u.Store.SetBoard(ctx, dest, b)
}

// TestABoardPostIsUnsureUntilRecorded: a board that was posted but not
// remembered may stay in the channel (its delete may fail too), so the
// intent recorded before the post holds the next board back until
// Discord answers a message again, as after a post of unknown outcome.
func TestABoardPostIsUnsureUntilRecorded(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		f := newFixture(t, message.StyleText, route.Table{})
		store := f.withFaultyState(t, func(s *localstore.Store) state.Store { return &unrecordedBoard{Store: s.State, n: 1} })
		posts := func() int { return boardPosts(f.dc) }
		starts := runningStarts(2, time.Minute)
		f.d.Deliver(context.Background(), starts[:1])
		b, _ := store.State.Board(context.Background(), here)
		if posts() != 1 || b.ID != "" || b.Unsure.IsZero() {
			t.Fatalf("after a board posted and not recorded: %d posts, remembered %+v; want 1, unsure", posts(), b)
		}
		time.Sleep(time.Minute)
		if r := f.d.Deliver(context.Background(), []queue.Job{queue.NewBoard(here, "", time.Now())}); r[0].State != queue.Delivered || posts() != 1 {
			t.Errorf("a refresh with no answer since: %+v, %d board posts; want delivered, no new post", r[0], posts())
		}
		f.d.Deliver(context.Background(), starts[1:])
		b, _ = store.State.Board(context.Background(), here)
		if posts() != 2 || b.ID == "" || !b.Unsure.IsZero() {
			t.Errorf("after Discord answered the next start: %d posts, remembered %+v; want 2, named", posts(), b)
		}
	})
}

// boardPosts is how many boards were posted (edits aside).
func boardPosts(dc *discordtest.Server) int {
	n := 0
	for _, r := range dc.Received() {
		if len(r.Message.Embeds) == 1 && r.Message.Embeds[0].Title == "Working now" {
			n++
		}
	}
	return n
}

// withFaultyState is withState (text, with the board) whose state the
// deliverer sees through wrap, a faulty store; its journal is plain.
func (f *fixture) withFaultyState(t *testing.T, wrap func(*localstore.Store) state.Store) *localstore.Store {
	t.Helper()
	store := f.withState(t, deliver.Options{Style: message.StyleText, Board: true})
	f.d = deliver.New(secrets.Static{DiscordWebhookURL: f.dc.HTTPSWebhookURL()}, discord.NewClient(f.dc.Client()),
		slog.New(slog.NewJSONHandler(f.logs, nil)), deliver.Options{Language: must(message.LanguageFor("en")), Style: message.StyleText, State: wrap(store), Board: true, Journal: store.Journal})
	return store
}
