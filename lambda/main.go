package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"
	_ "time/tzdata" // TIME_ZONE must load where the system has no zone files (Lambda's provided.al2023)

	"github.com/aws/aws-lambda-go/lambda"

	"clockify-discord-relay/lambda/cmdline"
	"clockify-discord-relay/lambda/local"
	"clockify-discord-relay/lambda/queue"
	"clockify-discord-relay/lambda/settings"
	"clockify-discord-relay/lambda/state"
	"clockify-discord-relay/lambda/store/choice"
	"clockify-discord-relay/lambda/store/localstore"
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
		Deliverer: func(st state.Store) local.Deliverer { return w.deliverer(st) },
		Scheduled: w.scheduled,
		Beside:    commands.Names(func(c cmdline.Command[*wiring]) bool { return c.Beside }),
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
