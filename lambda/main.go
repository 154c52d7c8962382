package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"
	"time"
	_ "time/tzdata" // TIME_ZONE must load where the system has no zone files (Lambda's provided.al2023)

	"github.com/aws/aws-lambda-go/lambda"

	"clockify-discord-relay/lambda/accept/apigateway"
	"clockify-discord-relay/lambda/accept/interactions"
	"clockify-discord-relay/lambda/accept/relay"
	"clockify-discord-relay/lambda/command"
	"clockify-discord-relay/lambda/deliver"
	"clockify-discord-relay/lambda/discord"
	"clockify-discord-relay/lambda/invocation"
	"clockify-discord-relay/lambda/local"
	"clockify-discord-relay/lambda/logging"
	"clockify-discord-relay/lambda/metrics"
	"clockify-discord-relay/lambda/queue"
	"clockify-discord-relay/lambda/schedule"
	"clockify-discord-relay/lambda/schedule/digest"
	"clockify-discord-relay/lambda/schedule/remind"
	"clockify-discord-relay/lambda/secrets"
	"clockify-discord-relay/lambda/settings"
	"clockify-discord-relay/lambda/state"
	"clockify-discord-relay/lambda/store/awsclients"
	"clockify-discord-relay/lambda/store/choice"
	"clockify-discord-relay/lambda/store/localstore"
	"clockify-discord-relay/lambda/store/sqs"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	commands.Program = filepath.Base(os.Args[0])
	if err := run(ctx, os.Args[1:], os.Getenv, os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "error:", err)
		os.Exit(1)
	}
}

// run wires the relay from the environment and runs it in the mode asked
// for. It returns when ctx ends (local mode) or never (Lambda).
func run(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	if text, ok := commands.Help(args); ok {
		_, err := fmt.Fprint(stdout, text)
		return err
	}
	s, err := settings.Load(getenv)
	if err != nil {
		return err
	}
	w := newWiring(s, stdout, stderr)
	if len(args) > 0 {
		c, err := commands.Find(args)
		if err != nil {
			return err
		}
		err = commands.Run(ctx, c, w, args[1:])
		if c.Beside && errors.Is(err, localstore.ErrInUse) {
			// make run holds DATA_DIR: it runs the command instead.
			return local.Ask(ctx, w.s.DataDir, w.s.Port, args, w.stdout)
		}
		return err
	}
	switch {
	case s.InLambda:
		if s.DeliveryQueueURL != "" {
			// The AWS clients take milliseconds to build: build them while
			// Lambda finishes the cold start, not in the first request.
			go func() {
				_, _ = w.sqs(ctx)
				if s.StateTable != "" {
					_, _ = w.aws.DynamoDB(ctx)
				}
			}()
		}
		q, err := w.stores().API()
		if err != nil {
			return err
		}
		defer q.Close()
		lambda.StartWithOptions(w.lambdaHandler(q), lambda.WithContext(ctx))
		return nil
	default:
		return serve(ctx, w)
	}
}

// wiring builds the relay's parts from the settings.
type wiring struct {
	s       settings.Settings
	stdout  io.Writer
	logger  *slog.Logger
	secrets secrets.Source
	emf     *metrics.EMF // Lambda only
	aws     *awsclients.Clients
	sqs     sqs.ClientFunc
	// running, when set, is the serving relay's store and queue, which
	// a command it runs for another process uses.
	running *choice.Running
}

// stores are w's, made afresh so that a copy of w (a command the serving
// relay runs) chooses with its own fields.
func (w *wiring) stores() choice.Stores {
	return choice.Stores{Settings: w.s, SQS: w.sqs, DynamoDB: w.aws.DynamoDB, Logger: w.logger, Running: w.running,
		Deliver: func(st state.Store) queue.Deliverer { return w.deliverer(queueClient(), st) }}
}

func newWiring(s settings.Settings, stdout, stderr io.Writer) *wiring {
	clients := awsclients.New()
	w := &wiring{s: s, stdout: stdout, logger: logging.New(stderr, s.LogLevel), aws: clients, sqs: clients.SQS}
	w.secrets = s.Source(func(ctx context.Context) (settings.ParameterStore, error) { return clients.Parameters(ctx) }, time.Now)
	if s.InLambda {
		w.emf = metrics.NewEMF(stdout, s.MetricsNamespace, s.Metrics, time.Now)
	}
	return w
}

// queueClient is the Discord client: a long wait is the queue's, so the
// client gives up early and the job waits in the queue.
func queueClient() *discord.Client {
	c := discord.NewClient(&http.Client{})
	c.MaxAttempts = 3
	c.MaxWait = 5 * time.Second
	return c
}

// sender is the Discord client, or stdout when no webhook is configured
// outside Lambda.
func (w *wiring) sender(c *discord.Client) deliver.Sender {
	if w.printing() {
		return discord.NewPrinter(w.stdout)
	}
	return c
}

func (w *wiring) printing() bool { return !w.s.InLambda && !w.s.DiscordConfigured() }

// deliverer is the deliver half; store, when set, keeps the running timers
// for the board.
func (w *wiring) deliverer(c *discord.Client, store state.Store) *deliver.Deliverer {
	opts := deliver.Options{Language: w.s.Language, Style: w.s.Style, AllowLinks: w.s.AllowLinks, EditSessions: w.s.EditSessions,
		State: store, Board: w.s.Board}
	if j := choice.Journal(store); j != nil {
		opts.Journal = j // both stores keep one
	}
	if w.emf != nil {
		opts.Observer = w.emf
	}
	return deliver.New(w.secrets, w.sender(c), w.logger, opts)
}

// relay is the accept half, enqueueing into q.
func (w *wiring) relay(q queue.Queue) *relay.Handler {
	var observer relay.Observer
	if w.emf != nil {
		observer = w.emf
	}
	return relay.NewHandler(w.secrets, q, w.logger, relay.Options{
		AllowUnsigned: !w.s.InLambda && !w.s.SigningConfigured(),
		Observer:      observer,
	})
}

// lambdaHandler serves every kind of invocation; API events enqueue in q.
func (w *wiring) lambdaHandler(q queue.Queue) invocation.Handler {
	table := w.stores().Table()
	var st state.Store
	if table != nil {
		st = table.State
	}
	h := invocation.Handler{API: apigateway.NewHandler(w.relay(q).Front(w.asker(st)))}
	if w.s.DeliveryQueueURL != "" {
		var observer sqs.Observer
		if w.emf != nil {
			observer = w.emf
		}
		d := w.deliverer(queueClient(), st)
		d.RequeueBoardsTo(sqs.NewQueue(w.sqs, w.s.DeliveryQueueURL))
		consumer := sqs.NewConsumer(w.sqs, w.s.DeliveryQueueURL, w.s.DeadLetterQueueURL, d, w.logger, observer)
		if table != nil {
			consumer.UseOutbox(table.Outbox) // a rush goes as lists, as locally
		}
		h.SQS = consumer.Handle
	}
	h.Scheduled = schedule.Handlers(w.scheduled(st, q)...)
	return h
}

// scheduled is the scheduled work on store, posting into q: the reminder
// check and the digest, each when it is on.
func (w *wiring) scheduled(store state.Store, q queue.Queue) []schedule.Job {
	var jobs []schedule.Job
	if r := w.reminder(store, q); r != nil {
		jobs = append(jobs, remind.Job(r))
	}
	if p := w.poster(store, q); p != nil {
		jobs = append(jobs, digest.Job(p, w.s.Digest))
	}
	return jobs
}

// poster queues digests from store into q; nil when DIGEST=off or there
// is no store.
func (w *wiring) poster(store state.Store, q queue.Queue) *digest.Poster {
	if store == nil || w.s.Digest == nil {
		return nil
	}
	return digest.New(store, q, w.logger)
}

// reminder queues reminders of forgotten timers in store into q; nil when
// reminders are off or there is no store.
func (w *wiring) reminder(store state.Store, q queue.Queue) *remind.Reminder {
	if store == nil || w.s.LongTimer <= 0 {
		return nil
	}
	return remind.New(store, q, w.logger, w.s.LongTimer)
}

// asker answers Discord's interactions from st; nil without
// DISCORD_PUBLIC_KEY(_PARAMETER) or without a store, and the endpoint
// answers 404.
func (w *wiring) asker(st state.Store) http.Handler {
	if !w.s.InteractionsConfigured() || st == nil {
		return nil
	}
	var channels interactions.Channels = interactions.Remembered{State: st}
	if w.printing() {
		channels = interactions.Printed{Dest: state.ChannelKey(discord.PrintedChannel)}
	}
	return interactions.NewHandler(interactions.KeyFrom(w.secrets), st, channels, w.logger, interactions.Options{
		ApplicationID: w.s.ApplicationID, Language: w.s.Language, Zone: w.s.Zone, AllowLinks: w.s.AllowLinks,
	})
}

// parts are what the one-off commands use.
func (w *wiring) parts() command.Parts {
	return command.Parts{Out: w.stdout, Logger: w.logger, Settings: w.s, Secrets: w.secrets, Printing: w.printing(),
		Store: w.stores().Any, Local: w.stores().Local, Jobs: w.stores().Jobs, API: w.stores().API,
		Lambda:   func(q queue.Queue) command.Invoker { return w.lambdaHandler(q) },
		SQS:      w.sqs,
		Reminder: w.reminder,
	}
}

// serve runs local mode until ctx ends.
func serve(ctx context.Context, w *wiring) error {
	if !w.s.SigningConfigured() {
		w.logger.Warn(settings.UnsignedWarning)
	}
	if w.printing() {
		w.logger.Warn("no Discord webhook configured (DISCORD_WEBHOOK_URL, DISCORD_WEBHOOK_URL_PARAMETER): messages are printed to stdout")
	}
	r := local.Relay{Port: w.s.Port, DataDir: w.s.DataDir, Logger: w.logger, Start: w.s.StartAttrs(),
		Front:     func(q queue.Queue, ask http.Handler) http.Handler { return w.relay(q).Front(ask, local.ThisMachine) },
		Deliverer: func(st state.Store) local.Deliverer { return w.deliverer(queueClient(), st) },
		Scheduled: w.scheduled,
		Beside:    func(name string) bool { c, ok := commands.Lookup(name); return ok && c.Beside },
		Command: func(ctx context.Context, args []string, out io.Writer, on choice.Running) error {
			cw := *w // the command prints to out, and uses the serving relay's store and queue
			cw.stdout, cw.running = out, &on
			c, _ := commands.Lookup(args[0])
			return commands.Run(ctx, c, &cw, args[1:])
		},
	}
	if w.s.InteractionsConfigured() {
		r.Asker = w.asker
	}
	return local.Serve(ctx, r)
}
