package main

import (
	"cmp"
	"errors"
	"fmt"
	"log/slog"
	"math"
	"strconv"
	"strings"
	"time"

	"clockify-discord-relay/lambda/accept/interactions"
	"clockify-discord-relay/lambda/clockify"
	"clockify-discord-relay/lambda/discord"
	"clockify-discord-relay/lambda/logging"
	"clockify-discord-relay/lambda/message"
	"clockify-discord-relay/lambda/metrics"
	"clockify-discord-relay/lambda/route"
	"clockify-discord-relay/lambda/schedule/digest"
	"clockify-discord-relay/lambda/summary"
)

// settings are read from the environment once, at start.
type settings struct {
	inLambda bool
	port     int

	discordURL          string
	discordURLParameter string
	signing             string
	signingSecrets      clockify.Secrets // parsed from signing, checked at start
	signingParameter    string
	routes              route.Table // from ROUTES, checked at start
	routesParameter     string
	// routeWebhooks, from ROUTE_WEBHOOKS, are the rules' webhooks by rule
	// name, when ROUTES comes from SSM (else they are in routes already).
	routeWebhooks          map[string]string
	routeWebhooksParameter string
	publicKey              string // DISCORD_PUBLIC_KEY, hex: the interactions endpoint's
	publicKeyParameter     string
	botToken               string // DISCORD_BOT_TOKEN: registers the commands
	botTokenParameter      string
	applicationID          string // DISCORD_APPLICATION_ID: refuses other applications' interactions
	discordAPI             string // DISCORD_API_URL: a stand-in's API, in tests; "" is Discord's
	language               message.Language
	style                  message.Style
	allowLinks             bool             // LINKS=allow
	board                  bool             // BOARD=on (the default)
	editSessions           bool             // SESSION_MESSAGES=edit
	longTimer              time.Duration    // LONG_TIMER_HOURS; 0 turns reminders off
	digest                 *digest.Schedule // DIGEST, DIGEST_TIME, TIME_ZONE; nil: DIGEST=off
	zone                   *time.Location   // TIME_ZONE
	logLevel               slog.Level
	metricsNamespace       string
	metrics                metrics.Level // METRICS: which custom metrics Lambda writes

	deliveryQueueURL   string // the SQS FIFO queue; "" queues in a temporary local store, drained per invocation
	deadLetterQueueURL string
	stateTable         string // the DynamoDB state table, in Lambda
	dataDir            string // local mode's queue
}

func loadSettings(getenv func(string) string) (settings, error) {
	s := settings{
		inLambda:               getenv("AWS_LAMBDA_RUNTIME_API") != "",
		discordAPI:             strings.TrimSpace(getenv("DISCORD_API_URL")),
		discordURL:             strings.TrimSpace(getenv("DISCORD_WEBHOOK_URL")),
		discordURLParameter:    strings.TrimSpace(getenv("DISCORD_WEBHOOK_URL_PARAMETER")),
		signing:                strings.TrimSpace(getenv("CLOCKIFY_SIGNING_SECRETS")),
		signingParameter:       strings.TrimSpace(getenv("CLOCKIFY_SIGNING_SECRETS_PARAMETER")),
		routesParameter:        strings.TrimSpace(getenv("ROUTES_PARAMETER")),
		routeWebhooksParameter: strings.TrimSpace(getenv("ROUTE_WEBHOOKS_PARAMETER")),
		publicKey:              strings.TrimSpace(getenv("DISCORD_PUBLIC_KEY")),
		publicKeyParameter:     strings.TrimSpace(getenv("DISCORD_PUBLIC_KEY_PARAMETER")),
		botToken:               strings.TrimSpace(getenv("DISCORD_BOT_TOKEN")),
		botTokenParameter:      strings.TrimSpace(getenv("DISCORD_BOT_TOKEN_PARAMETER")),
		applicationID:          strings.TrimSpace(getenv("DISCORD_APPLICATION_ID")),
		metricsNamespace:       strings.TrimSpace(getenv("METRICS_NAMESPACE")),
		port:                   8080,
		deliveryQueueURL:       strings.TrimSpace(getenv("DELIVERY_QUEUE_URL")),
		deadLetterQueueURL:     strings.TrimSpace(getenv("DEAD_LETTER_QUEUE_URL")),
		dataDir:                strings.TrimSpace(getenv("DATA_DIR")),
		stateTable:             strings.TrimSpace(getenv("STATE_TABLE")),
	}
	if s.dataDir == "" {
		s.dataDir = ".relay"
	}
	if s.metricsNamespace == "" {
		s.metricsNamespace = "ClockifyDiscordRelay"
	}
	// A value set directly wins: its SSM parameter is not read.
	if s.discordURL != "" {
		s.discordURLParameter = ""
	}
	if s.signing != "" {
		s.signingParameter = ""
	}
	if s.publicKey != "" {
		s.publicKeyParameter = ""
	}
	if s.botToken != "" {
		s.botTokenParameter = ""
	}
	var errs []error
	if s.publicKey != "" {
		if _, err := interactions.ParseKey(s.publicKey); err != nil {
			errs = append(errs, fmt.Errorf("DISCORD_PUBLIC_KEY: %w", err))
		}
	}
	lang := getenv("MESSAGE_LANGUAGE")
	if lang == "" {
		lang = message.DefaultLanguage
	}
	var err error
	if s.language, err = message.LanguageFor(lang); err != nil {
		errs = append(errs, fmt.Errorf("MESSAGE_LANGUAGE: %w", err))
	}
	if s.style, err = message.ParseStyle(getenv("MESSAGE_STYLE")); err != nil {
		errs = append(errs, fmt.Errorf("MESSAGE_STYLE: %w", err))
	}
	if s.signing != "" {
		if s.signingSecrets, err = clockify.ParseSecrets(s.signing); err != nil {
			errs = append(errs, fmt.Errorf("CLOCKIFY_SIGNING_SECRETS: %w", err))
		}
	}
	if s.discordURL != "" {
		if err := discord.CheckWebhookURL(s.discordURL); err != nil {
			errs = append(errs, fmt.Errorf("DISCORD_WEBHOOK_URL: %w", err))
		}
	}
	if h := getenv("ROUTE_WEBHOOKS"); strings.TrimSpace(h) != "" {
		s.routeWebhooksParameter = "" // the value wins
		if s.routeWebhooks, err = route.ParseWebhooks(h, discord.CheckWebhookURL); err != nil {
			errs = append(errs, fmt.Errorf("ROUTE_WEBHOOKS: %w", err))
		}
	}
	if r := getenv("ROUTES"); strings.TrimSpace(r) != "" {
		s.routesParameter = "" // the value wins
		if s.routes, err = route.Parse(r, discord.CheckWebhookURL); err != nil {
			errs = append(errs, fmt.Errorf("ROUTES: %w", err))
		} else if s.routes, err = s.completeRoutes(s.routes, s.routeWebhooks, s.routeWebhooks != nil); err != nil {
			errs = append(errs, err)
		}
		s.routeWebhooks = nil // in routes now
	}
	switch links := strings.ToLower(strings.TrimSpace(getenv("LINKS"))); links {
	case "", "defang":
	case "allow":
		s.allowLinks = true
	default:
		errs = append(errs, fmt.Errorf("LINKS: %q is neither allow nor defang", links))
	}
	s.longTimer = 10 * time.Hour
	if h := strings.TrimSpace(getenv("LONG_TIMER_HOURS")); h != "" {
		// NaN fails every comparison, so it is refused by name; a
		// quarter of an hour is the least that is not every timer.
		n, err := strconv.ParseFloat(h, 64)
		if err != nil || math.IsNaN(n) || n != 0 && (n < 0.25 || n > 24*7) {
			errs = append(errs, fmt.Errorf("LONG_TIMER_HOURS: %q is not 0 (off) or a number of hours from 0.25 to 168", h))
			n = 0
		}
		s.longTimer = time.Duration(n * float64(time.Hour))
	}
	switch m := strings.ToLower(strings.TrimSpace(getenv("SESSION_MESSAGES"))); m {
	case "", "post":
	case "edit":
		s.editSessions = true
	default:
		errs = append(errs, fmt.Errorf("SESSION_MESSAGES: %q is neither post nor edit", m))
	}
	switch b := strings.ToLower(strings.TrimSpace(getenv("BOARD"))); b {
	case "", "on":
		s.board = true
	case "off":
	default:
		errs = append(errs, fmt.Errorf("BOARD: %q is neither on nor off", b))
	}
	s.zone, s.digest, err = digestSettings(getenv)
	if err != nil {
		errs = append(errs, err)
	}
	if s.metrics, err = metrics.ParseLevel(strings.ToLower(strings.TrimSpace(getenv("METRICS")))); err != nil {
		errs = append(errs, fmt.Errorf("METRICS: %w", err))
	}
	level := getenv("LOG_LEVEL")
	if level == "" {
		level = getenv("AWS_LAMBDA_LOG_LEVEL") // the function's ApplicationLogLevel
	}
	if s.logLevel, err = logging.ParseLevel(level); err != nil {
		errs = append(errs, fmt.Errorf("LOG_LEVEL: %w", err))
	}
	if p := getenv("PORT"); p != "" {
		if s.port, err = strconv.Atoi(p); err != nil || s.port < 0 || s.port > 65535 {
			errs = append(errs, fmt.Errorf("PORT: %q is not a port number", p))
		}
	}
	return s, errors.Join(errs...)
}

// DefaultTimeZone suits the default language.
const DefaultTimeZone = "Asia/Tokyo"

// digestSettings reads TIME_ZONE, DIGEST and DIGEST_TIME.
func digestSettings(getenv func(string) string) (*time.Location, *digest.Schedule, error) {
	var errs []error
	name := cmp.Or(strings.TrimSpace(getenv("TIME_ZONE")), DefaultTimeZone)
	zone, err := time.LoadLocation(name)
	if err != nil || name == "Local" {
		errs = append(errs, fmt.Errorf("TIME_ZONE: %q is not an IANA time zone like Asia/Tokyo or Europe/Berlin", name))
		zone = time.UTC
	}
	kind := strings.ToLower(cmp.Or(strings.TrimSpace(getenv("DIGEST")), string(summary.Daily)))
	sched := &digest.Schedule{Zone: zone}
	if kind == "off" {
		sched = nil
	} else if sched.Kind, err = summary.ParseKind(kind); err != nil {
		errs = append(errs, fmt.Errorf("DIGEST: %q is not daily, weekly or off", kind))
	}
	at := cmp.Or(strings.TrimSpace(getenv("DIGEST_TIME")), "18:00")
	h, m, err := digest.ParseTime(at)
	if err != nil {
		errs = append(errs, fmt.Errorf("DIGEST_TIME: %w", err))
	}
	if sched != nil {
		sched.Hour, sched.Minute = h, m
	}
	return zone, sched, errors.Join(errs...)
}

// parameterNames are the SSM parameters to read.
func (s settings) parameterNames() []string {
	var names []string
	for _, n := range []string{s.discordURLParameter, s.signingParameter, s.routesParameter, s.routeWebhooksParameter, s.publicKeyParameter, s.botTokenParameter} {
		if n != "" {
			names = append(names, n)
		}
	}
	return names
}

// completeRoutes gives the rules their webhooks by name, and checks that
// every rule has one or drops, unless the webhooks are still to come from
// SSM, or this is a Lambda function that was given none (the API
// function, which holds no webhook URL).
func (s settings) completeRoutes(t route.Table, hooks map[string]string, given bool) (route.Table, error) {
	t, err := t.WithWebhooks(hooks)
	if err != nil {
		return t, err
	}
	if s.routeWebhooksParameter == "" && (given || !s.inLambda) {
		return t, t.Complete()
	}
	return t, nil
}

// discordConfigured reports whether a Discord webhook is set at all.
func (s settings) discordConfigured() bool {
	return s.discordURL != "" || s.discordURLParameter != ""
}

// interactionsConfigured reports whether the interactions endpoint has a
// public key to verify with: without one it answers 404.
func (s settings) interactionsConfigured() bool {
	return s.publicKey != "" || s.publicKeyParameter != ""
}

// signingConfigured reports whether signing secrets are set at all.
func (s settings) signingConfigured() bool {
	return s.signing != "" || s.signingParameter != ""
}
