package deliver

import (
	"context"
	"log/slog"
	"time"

	"clockify-discord-relay/lambda/discord"
	"clockify-discord-relay/lambda/message"
	"clockify-discord-relay/lambda/queue"
	"clockify-discord-relay/lambda/schedule/digest/chart"
	"clockify-discord-relay/lambda/secrets"
	"clockify-discord-relay/lambda/state"
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

// Deliverer turns jobs into Discord messages and sends them: a pipeline
// of small stages, each of which reads and writes one batch.
type Deliverer struct {
	*shared
	stages []stage // until the sends, on the caller's context
	settle []stage // after them, on the settlement's (see settling)
}

// stage is one step of a delivery. A stage that returns false ends it:
// it has given every job its result.
type stage interface {
	run(ctx context.Context, b *batch) bool
}

// New returns a Deliverer. The order of its stages is the order of a
// delivery.
func New(sec secrets.Source, sender Sender, logger *slog.Logger, opts Options) *Deliverer {
	s := &shared{sender: sender, logger: logger, opts: opts, now: time.Now, answers: newAnswers(), drawChart: chart.Render}
	if e, ok := sender.(Editor); ok && opts.State != nil {
		s.editor = e
	}
	_, s.printing = sender.(*discord.Printer)
	ch := &channels{shared: s, hooks: map[string]discord.Webhook{}, known: map[string]knownChannel{}}
	return &Deliverer{
		shared: s,
		stages: []stage{
			&readSecrets{sec},                // the routes' webhooks
			&journalReader{s},                // what earlier attempts did
			ch,                               // the channel each job is kept in
			&starts{shared: s, channels: ch}, // the messages that announced the stops' starts
			&formatter{s},                    // each job's message
			&triage{s},                       // which jobs are sent
			&poster{s},                       // coalesce; mark, send, mark
		},
		settle: []stage{
			&keeper{shared: s, channels: ch, board: &board{s}}, // remember: the ledger, the timers, the board
			&settler{s}, // the board jobs, the unrecorded, the refreshes
		},
	}
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
	b := newBatch(jobs)
	for _, s := range d.stages {
		if !s.run(ctx, b) {
			return b.results
		}
	}
	sctx, cancel := settling(ctx)
	defer cancel()
	for _, s := range d.settle {
		s.run(sctx, b)
	}
	return b.results
}

// RequeueBoardsTo makes the deliverer queue a board refresh in q when it
// could not show a board.
func (d *Deliverer) RequeueBoardsTo(q queue.Queue) { d.requeue = q }
