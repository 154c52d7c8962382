package deliver

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"sync"
	"time"

	"clockify-discord-relay/lambda/chart"
	"clockify-discord-relay/lambda/clockify"
	"clockify-discord-relay/lambda/deliver/coalesce"
	"clockify-discord-relay/lambda/discord"
	"clockify-discord-relay/lambda/message"
	"clockify-discord-relay/lambda/queue"
	"clockify-discord-relay/lambda/secrets"
	"clockify-discord-relay/lambda/state"
	"clockify-discord-relay/lambda/summary"
)

// Sender posts one message to a Discord webhook.
type Sender interface {
	Send(ctx context.Context, webhookURL string, msg discord.Message) (discord.Delivery, error)
}

var (
	_ Sender          = (*discord.Client)(nil)
	_ Sender          = (*discord.Printer)(nil)
	_ Editor          = (*discord.Printer)(nil)
	_ queue.Deliverer = (*Deliverer)(nil)
)

// Observer is told of every Discord message (metrics).
type Observer interface {
	ObserveMessage(Report)
}

// Options say how messages look.
type Options struct {
	Language message.Language
	Style    message.Style
	// AllowLinks leaves links in Clockify users' text clickable (LINKS=allow).
	// By default they are defanged: the relay's bot must not post a
	// clickable link, or a preview card, that a user typed.
	AllowLinks bool
	// Observer, when set, is told of every Discord message (metrics).
	Observer Observer
	// State, when set and the sender can edit, keeps each channel's running
	// timers: for the board, the links from stops to their starts, and
	// reminders of forgotten timers.
	State state.Store
	// Board keeps a "Working now" board in each channel (BOARD=on), with
	// State.
	Board bool
	// Journal, when set, marks each job's send before and after it, so
	// that no job is posted twice without being reported unknown.
	Journal queue.Journal
	// EditSessions (SESSION_MESSAGES=edit), with State: each start is
	// posted alone, and its stop edits it into the finished session
	// instead of posting a second message.
	EditSessions bool
}

// Deliverer turns jobs into Discord messages and sends them.
type Deliverer struct {
	secrets secrets.Source
	sender  Sender
	logger  *slog.Logger
	opts    Options
	now     func() time.Time

	mu       sync.Mutex
	hooks    map[string]discord.Webhook // webhook URL → its guild and channel
	channels map[string]knownChannel    // route and webhook hash → its channel's memory
	answers  map[string]time.Time       // webhook URL → when Discord last answered one of its messages

	drawChart func(summary.Summary, chart.Labels) ([]byte, error) // chart.Render; tests break it
	requeue   queue.Queue                                         // where board refreshes go; nil: none
}

// New returns a Deliverer.
func New(sec secrets.Source, sender Sender, logger *slog.Logger, opts Options) *Deliverer {
	return &Deliverer{secrets: sec, sender: sender, logger: logger, opts: opts, now: time.Now, hooks: map[string]discord.Webhook{}, channels: map[string]knownChannel{}, answers: map[string]time.Time{}, drawChart: chart.Render}
}

// Deliver delivers the jobs of one group in order: format, coalesce,
// deliver, then keep the channel's state and board. When a message must
// wait, it and every later job wait, so the channel keeps its order. When
// a webhook is gone, every later job for it is dead without another
// request: Discord counts each refusal against the relay's IP.
//
// With a Journal, a job that an earlier attempt showed is not posted
// again, and one whose earlier send has an unknown outcome is reported
// unknown without a send. A job whose message was shown but whose state
// could not be written is retried: the next attempt writes the state only.
func (d *Deliverer) Deliver(ctx context.Context, jobs []queue.Job) []queue.Result {
	results := make([]queue.Result, len(jobs))
	retryAll := func(err error) []queue.Result {
		for i := range results {
			results[i] = queue.Result{State: queue.Retry, Err: err}
		}
		return results
	}
	sec, err := d.secrets.Secrets(ctx)
	if err != nil {
		return retryAll(err)
	}
	marks, err := d.marks(ctx, jobs)
	if err != nil {
		return retryAll(fmt.Errorf("the send journal could not be read: %w", err))
	}
	jobs, decided := d.placeJobs(ctx, sec, jobs, results)
	items, edits := d.format(ctx, sec, jobs)
	var pending []int         // the jobs to send, in order
	left := map[string]bool{} // gone routes whose jobs end here
	refresh := false          // a board job is in the batch
	answered := false         // Discord answered a message of the batch
	again := false            // an earlier attempt began: it may have left the board behind
	for i, j := range jobs {
		again = again || j.Tried > 0 || marks[j.SendID()] != queue.Unsent
		if decided[i] {
			continue
		}
		if _, found := sec.Webhook(j.Route); !found {
			// A job never changes channel: its route is gone or now
			// drops, and no other webhook may show it. A young job waits
			// a while: the rule may be new, and these secrets older
			// than the accept half's.
			results[i] = queue.Result{State: queue.Dead, Err: fmt.Errorf("%w: %q", errRouteGone, j.Route)}
			switch {
			case j.Board:
				results[i] = queue.Result{State: queue.Delivered} // no channel, no board
			case d.now().Sub(j.AcceptedAt) < routeGrace:
				results[i] = queue.Result{State: queue.Retry, Hold: time.Minute, Err: results[i].Err}
			default:
				left[j.Route] = true
			}
			continue
		}
		if j.Board {
			refresh = true
			continue
		}
		if j.Remind != nil && d.stoppedBefore(ctx, jobs[:i], j) {
			results[i] = queue.Result{State: queue.Delivered} // nothing to remind of
			continue
		}
		switch marks[j.SendID()] {
		case queue.Unsent:
			if age := d.now().Sub(j.AcceptedAt); age >= queue.MaxAge && j.Tried > 0 {
				// Past the retries: reported, not posted a day late. It
				// is still booked, and retried until it is.
				results[i] = queue.Result{State: queue.Dead, Err: fmt.Errorf("not delivered within %s", queue.MaxAge)}
				continue
			}
			pending = append(pending, i)
		case queue.Shown:
			results[i] = queue.Result{State: queue.Delivered}
			// Discord answered its send, which came after it was
			// accepted: durable evidence, though the process that had
			// the answer is gone.
			d.noteAnswer(items[i].Webhook, j.AcceptedAt)
			answered = true
		case queue.Sending:
			results[i] = queue.Result{State: queue.Unknown, Err: errEarlierSend}
		}
	}
	var waiting *queue.Result
	gone := map[string]error{}
	announced := map[string]string{} // entry id → the message that announced its start
	for _, p := range packs(items, pending) {
		var r queue.Result
		switch {
		case waiting != nil:
			r = queue.Result{State: queue.Retry, Hold: waiting.Hold, Err: waiting.Err}
		case gone[p.Webhook] != nil:
			r = queue.Result{State: queue.Dead, Err: gone[p.Webhook]}
		default:
			var posted string
			r, posted = d.sendJournaled(ctx, p, jobs, edits[p.Items[0]])
			if r.State == queue.Delivered {
				answered = true
				d.noteAnswer(p.Webhook, d.now())
			}
			for _, i := range p.Items {
				if posted != "" && jobs[i].Event.Type == clockify.NewTimerStarted {
					announced[jobs[i].Event.Entry.ID] = posted
				}
			}
		}
		switch {
		case r.State == queue.Retry && waiting == nil:
			waiting = &r
		case r.State == queue.Dead && r.Gone:
			gone[p.Webhook] = r.Err
		}
		for _, i := range p.Items {
			results[i] = r
		}
	}
	sctx, cancel := settling(ctx)
	defer cancel()
	err, boardErr := d.keepState(sctx, jobs, items, results, announced, refresh || again, answered)
	if errors.Is(boardErr, errBoardUnsure) && !errors.Is(boardErr, errBoardsToDelete) {
		// Nothing to repeat: the next message Discord answers shows it.
		d.logger.WarnContext(ctx, "the board waits for Discord to answer a message", slog.String("cause", boardErr.Error()))
		boardErr = nil
	}
	for i, j := range jobs {
		if j.Board && !decided[i] {
			results[i] = queue.Result{State: queue.Delivered}
			if boardErr != nil {
				results[i] = queue.Result{State: queue.Retry, Err: boardErr}
			}
		}
	}
	if err != nil {
		d.logger.ErrorContext(ctx, "the state was not recorded; the jobs are tried again, without posting again", slog.String("error", err.Error()))
		for i, r := range results {
			if r.State != queue.Retry && (d.opts.Journal != nil || jobs[i].Board) {
				results[i] = queue.Result{State: queue.Retry, Settled: true, Err: err}
			}
		}
	}
	d.refreshLeftBehind(sctx, left)
	if boardErr != nil && !refresh && !errors.Is(boardErr, errBoardWaits) {
		if i := slices.IndexFunc(jobs, func(j queue.Job) bool { return j.Channel != "" }); i >= 0 {
			d.requeueBoard(sctx, jobs[i], boardErr)
		}
	}
	return results
}

// requeueBoard queues a refresh of the board that an event's delivery
// could not show, so the board catches up though no other event comes:
// the refresh has the queue's retries, in the channel's order.
func (d *Deliverer) requeueBoard(ctx context.Context, j queue.Job, cause error) {
	log := d.logger.With(slog.String("cause", cause.Error()))
	if d.requeue == nil {
		log.WarnContext(ctx, "the board was not updated; the next change tries again")
		return
	}
	if _, err := d.requeue.Enqueue(ctx, queue.NewBoard(j.Channel, j.Route, d.now())); err != nil {
		log.ErrorContext(ctx, "the board was not updated, and its refresh could not be queued", slog.String("error", err.Error()))
		return
	}
	log.WarnContext(ctx, "the board was not updated; a refresh is queued")
}

// refreshLeftBehind queues a refresh of the boards of the channels that
// gone routes posted to: a board that waited for its batch to come back
// (errBoardWaits) is left behind when the batch ends dead instead. The
// refresh finds the route that posts there now, if any.
func (d *Deliverer) refreshLeftBehind(ctx context.Context, routes map[string]bool) {
	if d.opts.State == nil || !d.opts.Board || d.editor() == nil {
		return
	}
	for route := range routes {
		if rc, found, err := d.opts.State.RouteChannel(ctx, route); err == nil && found {
			d.requeueBoard(ctx, queue.Job{Channel: rc.Dest, Route: route}, errRouteGone)
		}
	}
}

// RequeueBoardsTo makes the deliverer queue a board refresh in q when it
// could not show a board.
func (d *Deliverer) RequeueBoardsTo(q queue.Queue) { d.requeue = q }

// stoppedBefore reports whether the timer a reminder job names has
// stopped: by an event ahead of it in its batch, or in the state. A
// reminder queued behind a stop that waited out an outage goes unsent.
func (d *Deliverer) stoppedBefore(ctx context.Context, earlier []queue.Job, j queue.Job) bool {
	id := j.Remind.EntryID
	for _, e := range earlier {
		if e.Event.Entry.ID == id && e.Event.Type != "" && (e.Event.Type == clockify.TimeEntryDeleted || !e.Event.Entry.CurrentlyRunning) {
			return true
		}
	}
	if d.opts.State == nil {
		return false
	}
	r, err := d.opts.State.Entry(ctx, j.Channel, id)
	if err == nil && r == nil {
		// Forgotten here: the entry moved to another channel.
		p, err := d.opts.State.Placement(ctx, id)
		return err == nil && p.Dest != "" && p.Dest != j.Channel
	}
	if err != nil {
		return false // unknown: remind, as the schedule decided
	}
	if r.Stopped {
		d.logger.InfoContext(ctx, "the timer stopped before its reminder went out", slog.String("entryId", id))
	}
	return r.Stopped
}

// errEarlierSend is the result of a job whose earlier send began and
// never recorded its outcome (a crash, a timeout, a lost answer).
var errEarlierSend = errors.New("an earlier attempt began to send it and its outcome was not recorded")

// settleTimeout bounds the writes made after the sends (the journal, the
// state, the board), which run even when the sends used up the caller's
// deadline: at most this long past it, so that a caller that kept a
// reserve (the SQS consumer) still answers in time. The board has all but
// boardReserve of it, so a slow Discord leaves time to queue its refresh.
const (
	settleTimeout = 3 * time.Second
	boardReserve  = time.Second
)

// settling is the context of the settlement: detached from ctx, ending
// settleTimeout after ctx's deadline (or from now, without one).
func settling(ctx context.Context) (context.Context, context.CancelFunc) {
	end := time.Now().Add(settleTimeout)
	if deadline, ok := ctx.Deadline(); ok && deadline.Before(time.Now()) {
		end = deadline.Add(settleTimeout)
	}
	return context.WithDeadline(context.WithoutCancel(ctx), end)
}

// marks reads the journal's marks of the jobs, none without a journal.
func (d *Deliverer) marks(ctx context.Context, jobs []queue.Job) (map[string]queue.Mark, error) {
	if d.opts.Journal == nil {
		return nil, nil
	}
	ids := make([]string, len(jobs))
	for i, j := range jobs {
		ids[i] = j.SendID()
	}
	return d.opts.Journal.Marks(ctx, ids)
}

// packs coalesces the items at the indexes of pending; each pack's Items
// index items.
func packs(items []coalesce.Item, pending []int) []coalesce.Pack {
	sub := make([]coalesce.Item, len(pending))
	for k, i := range pending {
		sub[k] = items[i]
	}
	out := coalesce.Packs(sub)
	for _, p := range out {
		for k, i := range p.Items {
			p.Items[k] = pending[i]
		}
	}
	return out
}

// sendJournaled sends one pack between two journal marks: "sending"
// before, so that a crash leaves a trace, and what became of it after.
// An unknown outcome keeps "sending".
func (d *Deliverer) sendJournaled(ctx context.Context, p coalesce.Pack, jobs []queue.Job, edit string) (queue.Result, string) {
	j := d.opts.Journal
	if j == nil {
		r, posted, rep := d.send(ctx, p, jobs, edit)
		d.report(ctx, rep)
		return r, posted
	}
	ids := make([]string, len(p.Items))
	for k, i := range p.Items {
		ids[k] = jobs[i].SendID()
	}
	if err := j.SetMarks(ctx, ids, queue.Sending, d.now()); err != nil {
		return queue.Result{State: queue.Retry, Err: fmt.Errorf("the send journal could not be written: %w", err)}, ""
	}
	r, posted, rep := d.send(ctx, p, jobs, edit)
	// The line is logged once the outcome is in the journal: a process
	// killed after it will not call the send unknown.
	defer d.report(ctx, rep)
	mark := queue.Unsent
	switch r.State {
	case queue.Unknown:
		return r, posted
	case queue.Delivered:
		mark = queue.Shown
	}
	mctx, cancel := settling(ctx)
	defer cancel()
	if err := j.SetMarks(mctx, ids, mark, d.now()); err != nil {
		// The "sending" mark stays: should the job come back, it is
		// reported unknown rather than sent again.
		d.logger.ErrorContext(ctx, "the send journal could not record the outcome", slog.String("outcome", r.State.String()), slog.String("error", err.Error()))
	}
	return r, posted
}

// format is each job's message and where it goes, and for the stops
// that edit their start's message (SESSION_MESSAGES=edit), that message.
func (d *Deliverer) format(ctx context.Context, sec secrets.Values, jobs []queue.Job) ([]coalesce.Item, map[int]string) {
	items := make([]coalesce.Item, len(jobs))
	edits := map[int]string{} // item → the start message its stop edits
	// More than one message of embeds can carry may go as a list
	// (coalesce); only then are the lines worth making.
	list := d.opts.Style == message.StyleEmbed && len(jobs) > discord.MaxEmbeds
	for i, j := range jobs {
		switch {
		case j.Board:
			items[i] = coalesce.Item{Webhook: d.webhook(sec, j), Alone: true} // shown by keepState
			continue
		case j.Digest != nil:
			items[i] = coalesce.Item{Webhook: d.webhook(sec, j), Message: d.digest(ctx, *j.Digest), Alone: true}
			continue
		case j.Remind != nil:
			msg := message.Reminder(*j.Remind, d.opts.Language, d.now())
			if !d.opts.AllowLinks {
				msg.Defang()
			}
			items[i] = coalesce.Item{Webhook: d.webhook(sec, j), Message: msg, Alone: true}
			continue
		}
		msg := message.Format(j.Event, d.opts.Language, d.opts.Style)
		if !d.opts.AllowLinks {
			msg.Defang()
		}
		webhook := d.webhook(sec, j)
		items[i] = coalesce.Item{Webhook: webhook, Message: msg}
		if list {
			line, icon := message.Line(j.Event, d.opts.Language)
			if !d.opts.AllowLinks {
				line = discord.Defang(line)
			}
			items[i].Line, items[i].Tally = line, icon
		}
		if d.opts.EditSessions && d.editor() != nil {
			switch j.Event.Type {
			case clockify.NewTimerStarted:
				items[i].Alone = true // its stop edits it
			case clockify.TimerStopped:
				if id := d.announcement(ctx, j); id != "" {
					edits[i], items[i].Alone = id, true
					continue
				}
			}
		}
		d.linkSession(ctx, j, webhook, &items[i]) // after Defang: the link is the relay's own
	}
	return items, edits
}

// errRouteGone: the job's route rule no longer exists, or now drops.
var errRouteGone = errors.New("the job's route rule is gone or now drops, so it is posted nowhere else (ROUTES: restore the rule, then redrive)")

// routeGrace is how long a job whose route is unknown waits before it is
// dead: longer than the secrets are cached (5 minutes, in main), so that
// a rule the accept half already knows is not taken for a gone one.
const routeGrace = 15 * time.Minute

// webhook is where a job goes: its route's webhook, or the default one;
// "" when the job's route is gone (Deliver reports it).
func (d *Deliverer) webhook(sec secrets.Values, j queue.Job) string {
	url, _ := sec.Webhook(j.Route)
	return url
}

// send posts one pack and logs one line for it. A pack that announces a
// start is posted with ?wait=true when the relay keeps state, and the
// message's id returned, so the stop can link to it.
//
// With edit, the pack (one stop) edits that start message instead; if it
// was deleted, the stop is posted as usual.
func (d *Deliverer) send(ctx context.Context, p coalesce.Pack, jobs []queue.Job, edit string) (queue.Result, string, Report) {
	start := d.now()
	var delivery discord.Delivery
	var err error
	var posted discord.Posted
	e := d.editor()
	if edit != "" {
		delivery, err = e.Edit(ctx, p.Webhook, edit, p.Message)
		if kind, _ := discord.Classify(err); err != nil && kind == discord.MessageGone {
			edit = ""
		}
	}
	switch {
	case edit != "":
	case e != nil && announces(p, jobs):
		posted, delivery, err = e.Post(ctx, p.Webhook, p.Message)
	default:
		delivery, err = d.sender.Send(ctx, p.Webhook, p.Message)
	}
	r := queue.Result{State: queue.Delivered, Err: err}
	if err != nil {
		kind, hold := discord.Classify(err)
		switch kind {
		case discord.Retryable:
			r.State, r.Hold = queue.Retry, hold
		case discord.WebhookGone:
			r.State, r.Gone = queue.Dead, true
		case discord.Unknown:
			r.State = queue.Unknown
		default:
			r.State = queue.Dead
		}
	}
	rep := Report{State: r.State, Delivery: delivery, Latency: d.now().Sub(start), Hold: r.Hold, Err: err}
	for _, i := range p.Items {
		rep.Events = append(rep.Events, jobs[i].Kind())
		if s := jobs[i].Digest; s != nil {
			rep.EntryIDs = append(rep.EntryIDs, s.Period.Name())
		} else if r := jobs[i].Remind; r != nil {
			rep.EntryIDs = append(rep.EntryIDs, r.EntryID)
		} else {
			rep.EntryIDs = append(rep.EntryIDs, jobs[i].Event.Entry.ID)
		}
		rep.Oldest = max(rep.Oldest, start.Sub(jobs[i].AcceptedAt))
	}
	return r, posted.ID, rep
}

// report logs one line for a Discord message and tells the observer.
func (d *Deliverer) report(ctx context.Context, rep Report) {
	d.log(ctx, rep)
	if d.opts.Observer != nil {
		d.opts.Observer.ObserveMessage(rep)
	}
}

// announces reports whether the pack carries a timer's start.
func announces(p coalesce.Pack, jobs []queue.Job) bool {
	for _, i := range p.Items {
		if jobs[i].Event.Type == clockify.NewTimerStarted {
			return true
		}
	}
	return false
}
