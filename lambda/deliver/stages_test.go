package deliver

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"testing"
	"time"

	"clockify-discord-relay/lambda/clockify"
	"clockify-discord-relay/lambda/deliver/coalesce"
	"clockify-discord-relay/lambda/discord"
	"clockify-discord-relay/lambda/message"
	"clockify-discord-relay/lambda/queue"
	"clockify-discord-relay/lambda/secrets"
	"clockify-discord-relay/lambda/state"
)

// Each stage alone, on a batch made by hand: what it reads of the batch,
// and what it writes.

var stageNow = time.Date(2026, 3, 4, 10, 0, 0, 0, time.UTC)

func stageShared() *shared {
	return &shared{logger: slog.New(slog.NewTextHandler(io.Discard, nil)), now: func() time.Time { return stageNow }, answers: newAnswers()}
}

func stageJob(id string, typ clockify.EventType) queue.Job {
	return queue.Job{Key: id, AcceptedAt: stageNow.Add(-time.Minute), Event: clockify.Event{Type: typ, Entry: clockify.TimeEntry{ID: id}}}
}

type failingJournal struct{ queue.Journal }

func (failingJournal) Marks(context.Context, []string) (map[string]queue.Mark, error) {
	return nil, errors.New("throttled")
}

func TestJournalReaderSendsAllBackWhenItCannotRead(t *testing.T) {
	s := stageShared()
	s.opts.Journal = failingJournal{}
	b := newBatch([]queue.Job{stageJob("a", clockify.NewTimerStarted), stageJob("b", clockify.TimerStopped)})
	if (&journalReader{s}).run(context.Background(), b) {
		t.Fatal("the delivery went on without the journal")
	}
	for i, r := range b.results {
		if r.State != queue.Retry || r.Err == nil {
			t.Errorf("job %d: %+v, want a retry", i, r)
		}
	}
}

func TestTriageSendsOnlyWhatNoAttemptBegan(t *testing.T) {
	s := stageShared()
	jobs := []queue.Job{
		stageJob("unsent", clockify.NewTimerStarted),
		stageJob("shown", clockify.NewTimerStarted),
		stageJob("sending", clockify.NewTimerStarted),
		{Board: true, Channel: "c", AcceptedAt: stageNow},
		stageJob("gone", clockify.NewTimerStarted),
	}
	jobs[4].Route, jobs[4].AcceptedAt = "removed", stageNow.Add(-time.Hour)
	b := newBatch(jobs)
	b.sec = secrets.Values{DiscordWebhookURL: "https://discord.test/api/webhooks/1/t"}
	b.items = make([]coalesce.Item, len(jobs))
	b.marks = map[string]queue.Mark{jobs[1].SendID(): queue.Shown, jobs[2].SendID(): queue.Sending}
	(&triage{s}).run(context.Background(), b)
	if fmt.Sprint(b.pending) != "[0]" {
		t.Errorf("pending %v, want only the unsent job", b.pending)
	}
	want := []queue.State{queue.Delivered, queue.Delivered, queue.Unknown, queue.Delivered, queue.Dead}
	for i := 1; i < len(jobs); i++ {
		if b.results[i].State != want[i] {
			t.Errorf("job %d: %v, want %v", i, b.results[i].State, want[i])
		}
	}
	if !b.refresh || !b.answered || !b.again || !b.left["removed"] {
		t.Errorf("refresh %v, answered %v, again %v, left %v", b.refresh, b.answered, b.again, b.left)
	}
	if b.results[3] != (queue.Result{}) {
		t.Errorf("the board job was given %+v before the keeper showed it", b.results[3])
	}
}

// oneAnswer answers every send with err.
type oneAnswer struct {
	err   error
	sends int
}

func (o *oneAnswer) Send(context.Context, string, discord.Message) (discord.Delivery, error) {
	o.sends++
	return discord.Delivery{Attempts: 1}, o.err
}

func TestPosterHoldsEverythingBehindAMessageThatWaits(t *testing.T) {
	s := stageShared()
	sender := &oneAnswer{err: &discord.APIError{StatusCode: http.StatusTooManyRequests}}
	s.sender = sender
	jobs := []queue.Job{stageJob("a", clockify.NewTimerStarted), stageJob("b", clockify.NewTimerStarted)}
	b := newBatch(jobs)
	hook := "https://discord.test/api/webhooks/1/t"
	b.items = []coalesce.Item{
		{Webhook: hook, Message: discord.Message{Content: "a"}, Alone: true},
		{Webhook: hook, Message: discord.Message{Content: "b"}, Alone: true},
	}
	b.pending = []int{0, 1}
	(&poster{s}).run(context.Background(), b)
	if sender.sends != 1 {
		t.Errorf("%d sends, want 1: the second waits behind the first", sender.sends)
	}
	for i, r := range b.results {
		if r.State != queue.Retry {
			t.Errorf("job %d: %v, want a retry", i, r.State)
		}
	}
	if b.answered || s.answers.since(hook, time.Time{}) {
		t.Error("a 429 counted as Discord's answer")
	}
	sender.err = nil
	b = newBatch(jobs)
	b.items, b.pending = []coalesce.Item{{Webhook: hook, Message: discord.Message{Content: "a"}}, {Webhook: hook, Message: discord.Message{Content: "b"}}}, []int{0, 1}
	(&poster{s}).run(context.Background(), b)
	if sender.sends != 2 || !b.answered || b.results[1].State != queue.Delivered {
		t.Errorf("%d sends (want 2: one coalesced message), answered %v, %+v", sender.sends, b.answered, b.results)
	}
}

func TestSettlerGivesBoardJobsTheBoardsOutcome(t *testing.T) {
	s := stageShared()
	jobs := []queue.Job{stageJob("a", clockify.NewTimerStarted), {Board: true, Channel: "c"}, {Board: true, Channel: "c"}}
	b := newBatch(jobs)
	b.results[0] = queue.Result{State: queue.Delivered}
	b.decided[2], b.results[2] = true, queue.Result{State: queue.Dead, Err: errChannelMoved}
	b.boardErr = errors.New("discord: 503")
	(&settler{s}).run(context.Background(), b)
	if b.results[1].State != queue.Retry || b.results[2].State != queue.Dead || b.results[0].State != queue.Delivered {
		t.Errorf("results %+v", b.results)
	}
	b = newBatch(jobs[:1])
	b.results[0] = queue.Result{State: queue.Delivered}
	b.stateErr = errors.New("the ledger is throttled")
	s.opts.Journal = failingJournal{}
	(&settler{s}).run(context.Background(), b)
	if r := b.results[0]; r.State != queue.Retry || !r.Settled {
		t.Errorf("a shown job whose state was not recorded: %+v, want a settled retry", r)
	}
}

// announcedStarts remembers one start's message; every other entry is
// unknown.
type announcedStarts struct {
	state.Store
	reads int
}

func (a *announcedStarts) Entry(_ context.Context, dest, entryID string) (*state.Record, error) {
	a.reads++
	if dest == "c" && entryID == "shown" {
		return &state.Record{Announced: "m1"}, nil
	}
	return nil, nil
}

// knownWebhook tells one guild and channel; nothing else of Discord is
// needed before the sends.
type knownWebhook struct {
	Editor
	infos int
}

func (k *knownWebhook) Info(context.Context, string) (discord.Webhook, error) {
	k.infos++
	return discord.Webhook{GuildID: "g", ChannelID: "c"}, nil
}

func TestStartsAreReadBeforeAnyMessageIsMade(t *testing.T) {
	for _, edit := range []bool{false, true} {
		s := stageShared()
		st, hook := &announcedStarts{}, &knownWebhook{}
		s.opts.State, s.editor, s.opts.EditSessions = st, hook, edit
		s.opts.Language, _ = message.LanguageFor("en")
		jobs := []queue.Job{stageJob("shown", clockify.TimerStopped), stageJob("unknown", clockify.TimerStopped), stageJob("shown", clockify.NewTimerStarted)}
		for i := range jobs {
			jobs[i].Channel = "c"
		}
		b := newBatch(jobs)
		b.sec = secrets.Values{DiscordWebhookURL: "https://discord.test/api/webhooks/1/t"}
		ch := &channels{shared: s, hooks: map[string]discord.Webhook{}, known: map[string]knownChannel{}}
		(&starts{shared: s, channels: ch}).run(context.Background(), b)
		if st.reads != 2 {
			t.Errorf("edit %v: %d reads of the state, want one per stop", edit, st.reads)
		}
		want := map[int]start{0: {id: "m1", link: "https://discord.com/channels/g/c/m1"}}
		if edit {
			want[0] = start{id: "m1"} // the stop edits it: no link, and no need to ask Discord
		}
		if fmt.Sprint(b.starts) != fmt.Sprint(want) {
			t.Errorf("edit %v: starts %v, want %v", edit, b.starts, want)
		}
		if edit && hook.infos != 0 || !edit && hook.infos != 1 {
			t.Errorf("edit %v: Discord asked %d times", edit, hook.infos)
		}

		// The formatter, with neither the state nor Discord, makes of it
		// the link or the edit.
		s.opts.State, s.editor = nil, &knownWebhook{}
		(&formatter{s}).run(context.Background(), b)
		if edit {
			if b.edits[0] != "m1" || !b.items[0].Alone {
				t.Errorf("the stop does not edit its start: %v %+v", b.edits, b.items[0])
			}
			continue
		}
		if b.items[0].Link != want[0].link || b.items[1].Link != "" || len(b.edits) != 0 {
			t.Errorf("links %q %q, edits %v", b.items[0].Link, b.items[1].Link, b.edits)
		}
	}
}
