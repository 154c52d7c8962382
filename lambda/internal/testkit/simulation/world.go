package simulation

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"maps"
	"net/http"
	"net/http/httptest"
	"regexp"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/aws/aws-lambda-go/events"

	"clockify-discord-relay/lambda/accept/relay"
	"clockify-discord-relay/lambda/clockify"
	"clockify-discord-relay/lambda/deliver"
	"clockify-discord-relay/lambda/discord"
	"clockify-discord-relay/lambda/message"
	"clockify-discord-relay/lambda/queue"
	"clockify-discord-relay/lambda/schedule/remind"
	"clockify-discord-relay/lambda/secrets"
	"clockify-discord-relay/lambda/state"
	"clockify-discord-relay/lambda/store/localstore"
	"clockify-discord-relay/lambda/store/sqs"
)

// Options set up one run.
type Options struct {
	Seed uint64
	// Changes is how many changes people make in Clockify.
	Changes int
	// FaultRate scales every fault (1: as the constants say; 0: none).
	FaultRate float64
	// Dir holds the run's store file.
	Dir string
	// Trace, when set, gets the relay's log and the run's steps.
	Trace io.Writer
}

// Result is what a run saw.
type Result struct {
	Violations []string
	Stats      Stats
}

// Stats count what happened in a run.
type Stats struct {
	Changes, Deliveries, Acked, Messages, DeadLetters, Invocations, Timeouts, Crashes int
	// StrayBoards are boards left in the channel beside the current one:
	// posted by a send whose outcome was unknown, so never remembered.
	StrayBoards int
	Reminders   int
	// Lists are messages that list their events, a line each.
	Lists   int
	Elapsed time.Duration
}

// The Lambda functions as template.yaml declares them.
const (
	functionTimeout = 30 * time.Second
	// runFor bounds a run: past queue.MaxAge every job is settled.
	runFor        = 30 * time.Hour
	signingSecret = "simulated-signing-secret-0123456789"
	coldStart     = 0.05 // a new instance for an invocation
	remindEvery   = 15 * time.Minute
	longTimer     = 10 * time.Hour // LONG_TIMER_HOURS' default
)

// world is one run: the models, the relay's parts, and what they saw.
type world struct {
	o       Options
	f       *faults
	discord *discordModel
	sqs     *sqsModel
	store   faultyStore
	op      *operator
	logger  *slog.Logger
	lang    message.Language
	accept  http.Handler // the accept half's front
	work    *workload
	stats   Stats
	live    *liveness
	late    *lateWrites

	mu       sync.Mutex
	ackOrder []*change // changes in the order the relay first acknowledged them
}

// Run simulates one seed. It must run in a testing/synctest bubble, and
// not beside another Run: it makes the retry policies' jitter
// deterministic while it runs.
func Run(o Options) (Result, error) {
	defer steadyJitter()()
	start := time.Now()
	w := &world{o: o, f: newFaults(o.Seed, o.FaultRate), work: newWorkload(o.Seed), live: newLiveness(), late: &lateWrites{}}
	w.discord = newDiscordModel(w.f)
	w.discord.deleteWebhookLater()
	w.discord.briefOutageLater()
	if o.Trace != nil {
		w.discord.trace = w.tracef
	}
	w.sqs = newSQSModel(w.f)
	store, err := localstore.Open(o.Dir)
	if err != nil {
		return Result{}, err
	}
	defer store.Close()
	w.store = faultyStore{s: store, f: w.f, late: w.late}
	trace := o.Trace
	if trace == nil {
		trace = io.Discard
	}
	w.logger = slog.New(slog.NewTextHandler(trace, &slog.HandlerOptions{Level: slog.LevelInfo}))
	w.lang, _ = message.LanguageFor("en")
	w.op = newOperator(w.f, w.discord, secrets.Values{Signing: clockify.MustParseSecrets(signingSecret)}, start)
	w.tracef("operator: %s at %s, seen by the delivery side %s later", w.op.act, w.op.at.UTC().Format("15:04:05"), w.op.lag)
	clockifyDone := make(chan struct{})
	day := func() {
		defer close(clockifyDone)
		w.clockify()
	}
	var v []string
	if o.Seed%2 == 0 {
		// Local mode: its own store file; the accept half's queue is the
		// live process's, which drops redeliveries by itself.
		store.Close()
		l := &localRelay{w: w, dir: o.Dir + "-local"}
		if err := l.start(); err != nil {
			return Result{}, err
		}
		w.accept = relay.NewHandler(w.op.accept(), acceptedQueue{Queue: l, l: w.live}, w.logger, relay.Options{}).Front(nil)
		go day()
		w.runLocal(l, clockifyDone)
		current := l.current()
		queued, _ := current.Waiting()
		v = w.check(current, deadLettersOf(current), queued)
		l.close()
	} else {
		keys := &keysModel{f: w.f, latest: map[string]latest{}}
		q := queue.Deduped{Queue: sqs.NewQueue(w.sqs.clientFunc(), queueURL), Keys: keys, Logger: w.logger, Now: time.Now}
		w.accept = relay.NewHandler(w.op.accept(), acceptedQueue{Queue: q, l: w.live}, w.logger, relay.Options{}).Front(nil)
		go day()
		w.trigger(clockifyDone)
		queued, _ := w.sqs.waiting()
		for _, g := range w.live.groups() {
			// What waits in the outbox is queued too.
			_, parked, err := store.Outbox.Parked(context.Background(), g, 1<<20)
			if err != nil {
				v = append(v, "reading the outbox: "+err.Error())
			}
			queued += len(parked)
		}
		v = append(v, w.check(store, w.sqs.deadLetters(), queued)...)
		v = append(v, w.sqs.heldGroups()...)
		v = append(v, w.listDeadLetters()...)
	}
	w.stats.Elapsed = time.Since(start)
	return Result{Violations: v, Stats: w.stats}, nil
}

// clockify makes the day's changes and sends their webhooks: some twice
// (a redelivery), and those the relay did not acknowledge again later.
//
// Deliveries of different entries may arrive out of Clockify's order: one
// is sometimes late by a few seconds, and retries come a minute later while
// other entries' changes go on. An entry's own changes stay in order.
func (w *world) clockify() {
	var all sync.WaitGroup
	inFlight := map[string]*sync.WaitGroup{} // entry → its late deliveries
	// Some days have a rush: a run of changes within milliseconds, more
	// than one message of embeds carries, so the relay lists them.
	rushFrom, rushTo := -1, -1
	if w.work.rng.IntN(3) == 0 {
		rushFrom = w.work.rng.IntN(w.o.Changes)
		rushTo = rushFrom + 11 + w.work.rng.IntN(15)
	}
	for i := range w.o.Changes {
		pause := time.Duration(w.work.rng.ExpFloat64() * float64(20*time.Second))
		switch {
		case i >= rushFrom && i < rushTo:
			pause = time.Duration(1+w.work.rng.IntN(50)) * time.Millisecond // one change after another, never at one instant
		case w.work.rng.IntN(10) == 0: // a burst
			pause = time.Duration(1+w.work.rng.IntN(500)) * time.Millisecond
		}
		time.Sleep(pause)
		c := w.work.next(time.Now())
		w.stats.Changes++
		if wg := inFlight[c.entry.ID]; wg != nil {
			wg.Wait()                    // the entry's earlier change first,
			time.Sleep(time.Millisecond) // and not at the same instant
		}
		late := time.Duration(0)
		if w.work.rng.IntN(20) == 0 {
			late = time.Duration(1+w.work.rng.IntN(5)) * time.Second
		}
		twice := w.work.rng.IntN(10) == 0
		wg := &sync.WaitGroup{}
		inFlight[c.entry.ID] = wg
		all.Add(1)
		wg.Go(func() {
			defer all.Done()
			time.Sleep(late)
			w.send(c)
			if twice {
				w.send(c) // Clockify delivers it again at once
			}
			// Clockify's retries are undocumented: twice, a minute apart.
			for range 2 {
				if w.acked(c) {
					return
				}
				time.Sleep(time.Minute)
				w.send(c)
			}
		})
		if late == 0 {
			wg.Wait() // sent in order, as usual
		}
	}
	all.Wait()
}

func (w *world) acked(c *change) bool {
	w.mu.Lock()
	defer w.mu.Unlock()
	return c.acked
}

// send delivers one webhook to the accept half, as API Gateway would.
func (w *world) send(c *change) {
	h := http.Header{}
	h.Set(clockify.EventTypeHeader, string(c.event))
	h.Set(clockify.SignatureHeader, signingSecret)
	h.Set("Content-Type", "application/json")
	ch := w.op.channelOf(w.discord, clockify.Event{Type: c.event, Entry: c.entry})
	w.mu.Lock()
	id := fmt.Sprintf("req-%d-%d", c.n, c.deliveries)
	c.deliveries++
	if c.channels == nil {
		c.channels = map[string]bool{}
	}
	c.channels[ch] = true
	w.stats.Deliveries++
	w.mu.Unlock()
	req := httptest.NewRequestWithContext(relay.WithRequestID(context.Background(), id), http.MethodPost, relay.Path, bytes.NewReader(c.body))
	req.Header = h
	resp := httptest.NewRecorder()
	w.accept.ServeHTTP(resp, req)
	w.tracef("clockify: %s %s %q → %d %s", c.event, c.entry.ID, c.token, resp.Code, resp.Body)
	w.mu.Lock()
	defer w.mu.Unlock()
	if resp.Code/100 == 2 && !c.acked {
		c.acked = true
		w.ackOrder = append(w.ackOrder, c)
	}
}

// lambdaInstance is one execution environment of the delivery function:
// its own Discord client (rate limits), deliverer and consumer.
type lambdaInstance struct {
	*instance
	consumer *sqs.Consumer
}

func (w *world) newInstance() *lambdaInstance {
	client := discord.NewClient(&http.Client{Transport: w.discord})
	client.MaxAttempts, client.MaxWait = 3, 5*time.Second // as main.go's queueClient
	opts := deliver.Options{Language: w.lang, Style: message.StyleEmbed, State: w.store, Board: true, Journal: w.store}
	d := deliver.New(w.op.deliver(), client, w.logger, opts)
	d.RequeueBoardsTo(sqs.NewQueue(w.sqs.clientFunc(), queueURL))
	c := sqs.NewConsumer(w.sqs.clientFunc(), queueURL, deadLetterURL, watched{d, w.live}, w.logger, nil)
	c.UseOutbox(w.store)
	return &lambdaInstance{instance: &instance{}, consumer: c}
}

// trigger is Lambda's SQS trigger: it polls the queue and invokes the
// delivery function with each batch, until Clockify is done and the
// queue is empty, or runFor has passed.
func (w *world) trigger(clockifyDone <-chan struct{}) {
	deadline := time.Now().Add(runFor)
	var in *lambdaInstance
	nextReminders := time.Now().Add(remindEvery)
	var quietUntil time.Time
	for time.Now().Before(deadline) {
		if !time.Now().Before(nextReminders) {
			w.remindWith(w.store, sqs.NewQueue(w.sqs.clientFunc(), queueURL))
			nextReminders = nextReminders.Add(remindEvery)
		}
		ev := w.sqs.receive()
		if len(ev.Records) == 0 {
			n, next := w.sqs.waiting()
			select {
			case <-clockifyDone:
				if n > 0 {
					break
				}
				// Quiet: the schedule goes on until the timers left
				// running are long past LONG_TIMER_HOURS.
				if quietUntil.IsZero() {
					quietUntil = time.Now().Add(longTimer + 2*remindEvery)
				}
				if !time.Now().Before(quietUntil) {
					return
				}
				time.Sleep(time.Until(nextReminders))
				continue
			default:
			}
			wait := time.Second // Lambda polls
			if n > 0 && time.Until(next) > wait {
				wait = time.Until(next)
			}
			time.Sleep(wait)
			continue
		}
		if in == nil || !in.alive() || w.f.hit("cold", "", coldStart) {
			in = w.newInstance()
		}
		w.invoke(in, ev)
	}
}

// remindWith is the schedule every 15 minutes: reminders of timers
// running longer than LONG_TIMER_HOURS, queued into q, on an instance of
// its own that may die like any other.
func (w *world) remindWith(store state.Store, q queue.Queue) {
	in := &instance{}
	ctx, cancel := context.WithTimeout(withInstance(context.Background(), in), functionTimeout)
	defer cancel()
	r := remind.New(store, q, w.logger, longTimer)
	n, err := r.Run(ctx, time.Now())
	w.tracef("lambda: %d reminders (%v)", n, err)
}

// invoke runs one invocation: Lambda deletes what the function did not
// report failed, unless it timed out or its instance died.
func (w *world) invoke(in *lambdaInstance, ev events.SQSEvent) {
	w.stats.Invocations++
	ctx, cancel := context.WithTimeout(withInstance(context.Background(), in.instance), functionTimeout)
	defer cancel()
	deadline, _ := ctx.Deadline()
	// An invocation tries the groups it is handed, whatever becomes of
	// it: it parks their jobs, or takes their outboxes up (a flush).
	groups := map[string]bool{}
	for _, r := range ev.Records {
		g := r.Attributes["MessageGroupId"]
		groups[strings.TrimPrefix(g, "flush.")] = true
	}
	w.live.triedGroups(groups)
	done := make(chan events.SQSEventResponse, 1)
	go func() {
		resp, _ := in.consumer.Handle(ctx, ev)
		done <- resp
	}()
	resp := <-done
	switch {
	case !in.alive():
		w.stats.Crashes++
		w.tracef("lambda: the instance died; %d records come back", len(ev.Records))
	case !time.Now().Before(deadline):
		in.kill() // Lambda ends a timed-out instance
		w.stats.Timeouts++
		w.tracef("lambda: timed out; %d records come back", len(ev.Records))
	default:
		w.tracef("lambda: %d records, %d failed (groups %v)", len(ev.Records), len(resp.BatchItemFailures), groupsOf(ev))
		w.sqs.settle(ev, resp)
	}
}

// steadyJitter makes jitter a function of its bound, and returns what
// puts the random one back.
func steadyJitter() (restore func()) {
	q, d := queue.Jitter, discord.Jitter
	half := func(n time.Duration) time.Duration { return n / 2 }
	queue.Jitter, discord.Jitter = half, half
	return func() { queue.Jitter, discord.Jitter = q, d }
}

func (w *world) tracef(format string, args ...any) {
	if w.o.Trace != nil {
		fmt.Fprintf(w.o.Trace, "%s %s\n", time.Now().UTC().Format("15:04:05.000"), fmt.Sprintf(format, args...))
	}
}

// keysModel is the API function's dedupe keys (a DynamoDB table in
// Lambda), throttled now and then.
type keysModel struct {
	f      *faults
	mu     sync.Mutex
	latest map[string]latest
}

var _ queue.Keys = (*keysModel)(nil)

func (k *keysModel) Latest(_ context.Context, entry string, now time.Time) (queue.Latest, error) {
	if k.f.hit("keys", entry, pThrottled) {
		return queue.Latest{}, errThrottled
	}
	k.mu.Lock()
	defer k.mu.Unlock()
	l := k.latest[entry]
	if !now.Before(l.until) {
		return queue.Latest{}, nil
	}
	return l.Latest, nil
}

func (k *keysModel) SetLatest(_ context.Context, entry string, l queue.Latest, until time.Time) error {
	if k.f.hit("keys", entry, pThrottled) {
		return errThrottled
	}
	k.mu.Lock()
	defer k.mu.Unlock()
	k.latest[entry] = latest{l, until}
	return nil
}

type latest struct {
	queue.Latest
	until time.Time
}

var tokenPattern = regexp.MustCompile(`tok\d{3}z`)

// tokens are the change tokens a message shows, in order: one per event
// (an embed shows its event's description in more than one place; a list
// shows one event per line).
func tokens(m discord.Message) []string {
	if len(m.Embeds) == 0 {
		return tokenPattern.FindAllString(m.Content, -1) // text style
	}
	var out []string
	for _, e := range m.Embeds {
		if e.Title == "" && len(e.Fields) == 0 { // a list
			out = append(out, tokenPattern.FindAllString(e.Description, -1)...)
			continue
		}
		text := e.Title + " " + e.Description
		for _, f := range e.Fields {
			text += " " + f.Value
		}
		seen := map[string]bool{}
		for _, t := range tokenPattern.FindAllString(text, -1) {
			if !seen[t] {
				seen[t] = true
				out = append(out, t)
			}
		}
	}
	return out
}

// isReminder tells a forgotten-timer reminder from event messages.
func (w *world) isReminder(m discord.Message) bool {
	return len(m.Embeds) == 0 && strings.Contains(m.Content, "Forgot to stop it?")
}

// entryOf is the entry whose description a token was.
func (w *world) entryOf(token string) string {
	for id, h := range w.work.history {
		if slices.Contains(h, token) {
			return id
		}
	}
	return ""
}

// isBoard tells the board from event messages.
func (w *world) isBoard(m discord.Message) bool {
	return len(m.Embeds) == 1 && m.Embeds[0].Title == w.lang.Board.Title
}

// check tests the invariants against what Clockify knows happened.
func (w *world) check(store *localstore.Store, deadLetters []string, queued int) []string {
	var v []string
	fail := func(format string, args ...any) { v = append(v, fmt.Sprintf(format, args...)) }
	if queued > 0 {
		fail("%d jobs still queued after %s", queued, runFor)
	}
	if w.stats.Timeouts > 0 {
		// Lambda would hand the whole batch out again.
		fail("the delivery function timed out %d times", w.stats.Timeouts)
	}
	// What was shown, and in which order, in each channel.
	shown := map[string]int{}
	sequence := map[string][]string{} // channel → tokens in order
	current := map[string]state.BoardMessage{}
	for _, ch := range []string{chanDefault, chanOps, chanWeb} {
		b, err := store.State.Board(context.Background(), state.ChannelKey(ch))
		if err != nil {
			fail("reading the board of %s: %v", ch, err)
		}
		current[ch] = b
	}
	boards := map[string]*posted{}
	strays := map[string][]*posted{} // boards beside the remembered one
	unsure := map[string]bool{}      // channels whose board the relay cannot name
	reminded := map[string]int{}     // entry → reminders
	deleted := map[string]bool{}     // by a person, after the last change: nothing to show it on
	allowed := w.allowedChannels()
	posts := w.discord.posts()
	for i, p := range posts {
		if w.isReminder(p.Msg) {
			for _, t := range tokens(p.Msg) {
				reminded[w.entryOf(t)]++
			}
			continue
		}
		if w.isBoard(p.Msg) {
			switch {
			case p.ID == current[p.Channel].ID && !p.Deleted:
				boards[p.Channel] = &posts[i]
			case p.ID == current[p.Channel].ID:
				deleted[p.Channel] = true
			case !p.Deleted:
				strays[p.Channel] = append(strays[p.Channel], &posts[i])
			}
			continue
		}
		w.stats.Messages++
		if len(p.Msg.Embeds) > 0 && p.Msg.Embeds[0].Title == "" && len(p.Msg.Embeds[0].Fields) == 0 {
			w.stats.Lists++
		}
		for _, t := range tokens(p.Msg) {
			shown[t]++
			sequence[p.Channel] = append(sequence[p.Channel], t)
			if !allowed[t][p.Channel] {
				fail("%s shown in %s, a channel its route does not name (%v)", t, p.Channel, slices.Sorted(maps.Keys(allowed[t])))
			}
		}
	}
	// A board post of unknown outcome is never followed blind by
	// another: the next board post in its channel comes after Discord
	// answered a post there, so an outage or a slow Discord leaves one
	// stray board at most. While the relay's board is unsure (no id), the
	// newest stray may be that post, standing in for the board, and may
	// be behind only while Discord has answered no post of the channel.
	unnamed := map[string]*posted{} // channel → a board post whose answer the relay never had, and no answer since
	for i := range posts {
		p := &posts[i]
		switch {
		case w.isBoard(p.Msg) && unnamed[p.Channel] != nil:
			fail("board of %s posted at %s, though its post at %s had an unknown outcome and Discord answered nothing since", p.Channel, p.At.Format(time.TimeOnly), unnamed[p.Channel].At.Format(time.TimeOnly))
		case w.isBoard(p.Msg) && !p.Answered && !p.Deleted:
			unnamed[p.Channel] = p
		case (p.Answered || p.MaybeAnswered) && unnamed[p.Channel] != nil && p.At.After(unnamed[p.Channel].At):
			delete(unnamed, p.Channel)
		}
	}
	// Each stray is a post whose answer the relay never had (or had and
	// died before recording), so a channel keeps one at most unless
	// Discord failed two such answers there; a board that a rotated-away
	// webhook posted is left by the operator, and no webhook of the relay
	// may delete it.
	unknownPosts, hookOf := map[string]int{}, map[string]string{}
	for _, p := range posts {
		if w.isBoard(p.Msg) && (!p.Answered || p.by != nil && !p.by.alive()) {
			unknownPosts[p.Channel]++
		}
		if p.ID == current[p.Channel].ID {
			hookOf[p.Channel] = p.Hook
		}
	}
	for _, ch := range []string{chanDefault, chanOps, chanWeb} {
		n := 0
		for _, p := range strays[ch] {
			if hookOf[ch] == "" || p.Hook == hookOf[ch] {
				n++
			}
		}
		if n > max(1, unknownPosts[ch]) {
			fail("%d stray boards in %s, with %d board posts of unknown outcome there", n, ch, unknownPosts[ch])
		}
		w.stats.StrayBoards += len(strays[ch])
		if b := current[ch]; b.ID == "" && !b.Unsure.IsZero() {
			unsure[ch] = true
			if p := w.discord.answeredAfter(ch, b.Unsure); p != nil {
				fail("board of %s: its post of unknown outcome (%s) was not followed by another, though Discord answered %s since", ch, b.Unsure.Format(time.TimeOnly), p.At.Format(time.TimeOnly))
			}
		}
	}
	// What was reported.
	reported := map[string]int{}
	for _, body := range deadLetters {
		var d queue.DeadLetter
		if err := json.Unmarshal([]byte(body), &d); err != nil {
			fail("a dead letter is not one: %v", err)
			continue
		}
		w.stats.DeadLetters++
		reported[d.Event.Entry.Description]++
	}
	// Exactly once, or reported.
	sent, acked := map[string]int{}, map[string]int{}
	for _, c := range w.work.changes {
		if c.deliveries > 0 {
			sent[c.token]++
		}
		if c.acked && !c.channels[""] { // a dropped change is shown nowhere
			acked[c.token]++
			w.stats.Acked++
		}
	}
	for _, t := range sortedKeys(sent, shown) {
		switch {
		case shown[t] > sent[t]:
			fail("%s shown %d times for %d changes sent", t, shown[t], sent[t])
		case shown[t]+reported[t] < acked[t]:
			fail("%s lost: %d changes acknowledged, %d shown, %d reported", t, acked[t], shown[t], reported[t])
		}
	}
	// Order of acceptance, for the changes whose token is their own.
	rank := map[string]int{}
	for i, c := range w.ackOrder {
		if sent[c.token] == 1 {
			rank[c.token] = i
		}
	}
	for ch, seq := range sequence {
		last, lastToken := -1, ""
		for _, t := range seq {
			r, ok := rank[t]
			if !ok {
				continue
			}
			if r < last {
				fail("%s shown after %s in %s, but accepted before it", t, lastToken, ch)
			}
			last, lastToken = r, t
		}
	}
	// Reminders: only for a timer still running, at most one each.
	for entry, n := range reminded {
		t := w.work.entries[entry]
		switch {
		case t == nil:
			fail("a reminder names no entry")
		case t.entry.TimeInterval.End != nil:
			fail("%s was reminded of, but it stopped", entry)
		case n > 1:
			fail("%s was reminded of %d times", entry, n)
		}
	}
	w.stats.Reminders = len(reminded)
	certain, where := w.certainty(deadLetters)
	v = append(v, w.checkLedger(store, certain)...)
	reached := w.op.reached(w.discord)
	for _, ch := range []string{chanDefault, chanOps, chanWeb} {
		if !deleted[ch] && !unsure[ch] && !w.discord.webhookGone() && reached[ch] { // nothing can show a board then
			v = append(v, w.checkBoard(ch, boards[ch], certain, where)...)
		}
	}
	if !w.discord.webhookGone() {
		for _, id := range w.discord.undeletedTooOld() {
			if id != current[chanDefault].ID && id != current[chanOps].ID && id != current[chanWeb].ID {
				fail("board %s was refused as too old to edit (30046), replaced, and never deleted", id)
			}
		}
	}
	for _, l := range w.late.list() {
		fail("%s was written on a context already done: what became of a send is recorded on a context of its own", l)
	}
	// Liveness: no channel held longer than the policy allows, and a
	// backlog out soon after Discord recovers.
	v = append(v, w.live.holds()...)
	if at := w.discord.recovered(); !at.IsZero() {
		v = append(v, w.live.afterRecovery(at)...)
	}
	return v
}

// allowedChannels are, for each token, the channels that the accept
// half's rules named for the changes that show it.
func (w *world) allowedChannels() map[string]map[string]bool {
	out := map[string]map[string]bool{}
	for _, c := range w.work.changes {
		if out[c.token] == nil {
			out[c.token] = map[string]bool{}
		}
		for ch := range c.channels {
			out[c.token][ch] = true
		}
	}
	return out
}

// certainty says which entries the relay can know as Clockify does:
// every change acknowledged, none dropped by the rules, none
// dead-lettered because its rule was gone or its channel never known; and, for those, the channel
// that their latest change was sent to.
func (w *world) certainty(deadLetters []string) (certain map[string]bool, where map[string]string) {
	certain, where = map[string]bool{}, map[string]string{}
	for id := range w.work.entries {
		certain[id] = true
	}
	for _, c := range w.work.changes {
		if !c.acked || c.channels[""] || len(c.channels) != 1 {
			certain[c.entry.ID] = false
		}
		for ch := range c.channels {
			where[c.entry.ID] = ch // the latest, in Clockify's order
		}
	}
	for _, body := range deadLetters {
		var d queue.DeadLetter
		// Neither a job whose rule was gone nor one whose channel Discord
		// never told is remembered anywhere: it is reported instead.
		if json.Unmarshal([]byte(body), &d) == nil && (strings.Contains(d.Reason, "route rule is gone") || strings.Contains(d.Reason, "channel is not known yet")) {
			certain[d.Event.Entry.ID] = false
		}
	}
	return certain, where
}

// checkLedger: the ledger holds every finished entry as Clockify does,
// whatever Discord did, for the entries the relay can know, each in one
// channel only.
func (w *world) checkLedger(store *localstore.Store, certain map[string]bool) []string {
	var v []string
	now := time.Now()
	entries, err := store.State.Ledger(context.Background(), now.Add(-72*time.Hour), now.Add(time.Hour), now)
	if err != nil {
		return []string{"reading the ledger: " + err.Error()}
	}
	got := map[string][2]time.Time{}
	for _, e := range entries {
		if e.Running {
			continue
		}
		if _, twice := got[e.EntryID]; twice && certain[e.EntryID] {
			v = append(v, fmt.Sprintf("ledger: %s is booked in two channels", e.EntryID))
		}
		got[e.EntryID] = [2]time.Time{e.Start, e.End}
	}
	for _, id := range w.work.order {
		t := w.work.entries[id]
		if !certain[id] {
			continue
		}
		g, booked := got[id]
		switch {
		case t.deleted || t.entry.TimeInterval.End == nil:
			if booked {
				v = append(v, fmt.Sprintf("ledger: %s is booked, but it is deleted or running", id))
			}
		case !booked:
			v = append(v, fmt.Sprintf("ledger: %s (%s) is missing", id, t.entry.Description))
		case !g[0].Equal(t.entry.TimeInterval.Start) || !g[1].Equal(*t.entry.TimeInterval.End):
			v = append(v, fmt.Sprintf("ledger: %s is booked %s–%s, Clockify has %s–%s", id, g[0].Format(time.TimeOnly), g[1].Format(time.TimeOnly),
				t.entry.TimeInterval.Start.Format(time.TimeOnly), t.entry.TimeInterval.End.Format(time.TimeOnly)))
		}
	}
	return v
}

// checkBoard: once quiet, a channel's board lists exactly its running
// timers, of the entries the relay can know.
func (w *world) checkBoard(channel string, board *posted, certain map[string]bool, where map[string]string) []string {
	var want []string
	for _, id := range w.work.order {
		if e := w.work.entries[id].entry; e.TimeInterval.End == nil && certain[id] && where[id] == channel {
			want = append(want, e.Description)
		}
	}
	var got []string
	if board != nil {
		for _, t := range tokens(board.Msg) {
			if certain[w.entryOf(t)] {
				got = append(got, t)
			}
		}
	}
	slices.Sort(want)
	slices.Sort(got)
	if !slices.Equal(got, want) {
		return []string{fmt.Sprintf("board of %s: shows %v, running %v", channel, got, want)}
	}
	return nil
}

func sortedKeys(ms ...map[string]int) []string {
	var out []string
	for _, m := range ms {
		for k := range m {
			out = append(out, k)
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// groupsOf names the groups of a batch's records, shortened, for the
// trace.
func groupsOf(ev events.SQSEvent) []string {
	var out []string
	for _, r := range ev.Records {
		g := r.Attributes["MessageGroupId"]
		out = append(out, g[:min(len(g), 12)])
	}
	return out
}
