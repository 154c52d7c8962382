package main

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"time"

	"clockify-discord-relay/lambda/accept/apigateway"
	"clockify-discord-relay/lambda/accept/interactions"
	"clockify-discord-relay/lambda/accept/relay"
	"clockify-discord-relay/lambda/deliver"
	"clockify-discord-relay/lambda/discord"
	"clockify-discord-relay/lambda/invocation"
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
	"clockify-discord-relay/lambda/store/sqs"
	"clockify-discord-relay/lambda/subcommand"
)

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
	return choice.Stores{QueueURL: w.s.DeliveryQueueURL, StateTable: w.s.StateTable, DataDir: w.s.DataDir,
		SQS: w.sqs, DynamoDB: w.aws.DynamoDB, Logger: w.logger, Running: w.running,
		Deliver: func(st state.Store) queue.Deliverer { return w.deliverer(st) }}
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

// sender is the queue's Discord client, or stdout when no webhook is
// configured outside Lambda.
func (w *wiring) sender() deliver.Sender {
	if w.printing() {
		return discord.NewPrinter(w.stdout)
	}
	return queueClient()
}

func (w *wiring) printing() bool { return !w.s.InLambda && !w.s.DiscordConfigured() }

// deliverer is the deliver half; store, when set, keeps the running timers
// for the board.
func (w *wiring) deliverer(store state.Store) *deliver.Deliverer {
	opts := deliver.Options{Language: w.s.Language, Style: w.s.Style, AllowLinks: w.s.AllowLinks, EditSessions: w.s.EditSessions,
		State: store, Board: w.s.Board}
	if j := choice.Journal(store); j != nil {
		opts.Journal = j // both stores keep one
	}
	if w.emf != nil {
		opts.Observer = w.emf
	}
	return deliver.New(w.secrets, w.sender(), w.logger, opts)
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
		d := w.deliverer(st)
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
func (w *wiring) parts() subcommand.Parts {
	return subcommand.Parts{Out: w.stdout, Logger: w.logger, Settings: w.s, Secrets: w.secrets, Printing: w.printing(),
		Store: w.stores().Any, Local: w.stores().Local, Jobs: w.stores().Jobs, API: w.stores().API,
		Lambda:   func(q queue.Queue) subcommand.Invoker { return w.lambdaHandler(q) },
		SQS:      w.sqs,
		Reminder: w.reminder,
	}
}
