// Command bootstrap is the Clockify to Discord relay. Inside Lambda
// (AWS_LAMBDA_RUNTIME_API set) it serves API Gateway events; elsewhere it
// serves POST /clockify on 127.0.0.1:$PORT. "bootstrap invoke FILE" runs one
// API Gateway event from a file through the Lambda handler and prints the
// answer.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"strconv"
	"syscall"
	"time"

	"github.com/aws/aws-lambda-go/lambda"

	"clockify-discord-relay/lambda/apigateway"
	"clockify-discord-relay/lambda/discord"
	"clockify-discord-relay/lambda/httpserver"
	"clockify-discord-relay/lambda/logging"
	"clockify-discord-relay/lambda/metrics"
	"clockify-discord-relay/lambda/relay"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Getenv, os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "error:", err)
		os.Exit(1)
	}
}

// run wires the relay from the environment and runs it in the mode asked
// for. It returns when ctx ends (local mode) or never (Lambda).
func run(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	s, err := loadSettings(getenv)
	if err != nil {
		return err
	}
	switch {
	case len(args) > 0 && args[0] == "invoke":
		if len(args) != 2 {
			return errors.New("usage: bootstrap invoke EVENT.json")
		}
		return invoke(ctx, s, args[1], stdout, stderr)
	case len(args) > 0:
		return fmt.Errorf("unknown command %q (the only command is invoke)", args[0])
	case s.inLambda:
		logger := logging.New(stderr, s.logLevel)
		r := newRelay(s, discord.NewClient(&http.Client{}), logger, false, metrics.NewEMF(stdout, s.metricsNamespace, time.Now))
		h := apigateway.NewHandler(r)
		lambda.StartWithOptions(h, lambda.WithContext(ctx))
		return nil
	default:
		return serve(ctx, s, stdout, stderr)
	}
}

// newRelay builds the relay. allowUnsigned is for local use only; observer
// may be nil.
func newRelay(s settings, sender relay.Sender, logger *slog.Logger, allowUnsigned bool, observer relay.Observer) *relay.Handler {
	return relay.NewHandler(newSecretSource(s, time.Now), sender, logger, relay.Options{
		Language:      s.language,
		Style:         s.style,
		AllowUnsigned: allowUnsigned && !s.signingConfigured(),
		Observer:      observer,
	})
}

// localSender posts to Discord when a webhook is configured and otherwise
// prints each message to stdout.
func localSender(s settings, stdout io.Writer, logger *slog.Logger) relay.Sender {
	if s.discordConfigured() {
		return discord.NewClient(&http.Client{})
	}
	logger.Warn("no Discord webhook configured (DISCORD_WEBHOOK_URL, DISCORD_WEBHOOK_URL_PARAMETER): messages are printed to stdout")
	return discord.NewPrinter(stdout)
}

func warnUnsigned(s settings, logger *slog.Logger) {
	if !s.signingConfigured() {
		logger.Warn("NO CLOCKIFY SIGNING SECRET CONFIGURED: unsigned requests are accepted. Set CLOCKIFY_SIGNING_SECRETS before exposing this relay.")
	}
}

// serve runs local mode until ctx ends.
func serve(ctx context.Context, s settings, stdout, stderr io.Writer) error {
	logger := logging.New(stderr, s.logLevel)
	warnUnsigned(s, logger)
	h := newRelay(s, localSender(s, stdout, logger), logger, true, nil)
	ln, err := net.Listen("tcp", net.JoinHostPort("127.0.0.1", strconv.Itoa(s.port)))
	if err != nil {
		return err
	}
	srv := &http.Server{
		Handler:           httpserver.NewHandler(h),
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      40 * time.Second,
		IdleTimeout:       2 * time.Minute,
	}
	logger.Info("listening", "url", "http://"+ln.Addr().String()+httpserver.Path)
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	return srv.Shutdown(shutdownCtx)
}

// invoke runs one event file through the Lambda handler, as sam local invoke
// would, and prints the answer.
func invoke(ctx context.Context, s settings, file string, stdout, stderr io.Writer) error {
	payload, err := os.ReadFile(file)
	if err != nil {
		return err
	}
	logger := logging.New(stderr, s.logLevel)
	warnUnsigned(s, logger)
	h := apigateway.NewHandler(newRelay(s, localSender(s, stdout, logger), logger, true, nil))
	out, err := h.Invoke(ctx, payload)
	if err != nil {
		return err
	}
	_, err = fmt.Fprintf(stdout, "%s\n", out)
	return err
}
