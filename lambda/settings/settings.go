package settings

import (
	"cmp"
	"errors"
	"fmt"
	"log/slog"
	"math"
	"strconv"
	"strings"
	"time"

	"clockify-discord-relay/lambda/logging"
	"clockify-discord-relay/lambda/message"
	"clockify-discord-relay/lambda/metrics"
	"clockify-discord-relay/lambda/schedule/digest"
	"clockify-discord-relay/lambda/summary"
)

// Settings are read from the environment once, at start.
type Settings struct {
	InLambda bool // AWS_LAMBDA_RUNTIME_API is set
	Port     int

	ApplicationID    string // DISCORD_APPLICATION_ID: refuses other applications' interactions
	DiscordAPI       string // DISCORD_API_URL: a stand-in's API, in tests; "" is Discord's
	Language         message.Language
	Style            message.Style
	AllowLinks       bool             // LINKS=allow
	Board            bool             // BOARD=on (the default)
	EditSessions     bool             // SESSION_MESSAGES=edit
	LongTimer        time.Duration    // LONG_TIMER_HOURS; 0 turns reminders off
	Digest           *digest.Schedule // DIGEST, DIGEST_TIME, TIME_ZONE; nil: DIGEST=off
	Zone             *time.Location   // TIME_ZONE
	LogLevel         slog.Level
	MetricsNamespace string
	Metrics          metrics.Level // METRICS: which custom metrics Lambda writes

	DeliveryQueueURL   string // the SQS FIFO queue; "" queues in a temporary local store, drained per invocation
	DeadLetterQueueURL string
	StateTable         string // the DynamoDB state table, in Lambda
	DataDir            string // local mode's queue

	// env are the secrets given as values, parsed; set names them.
	env parsed
	set map[string]bool
	// parameters name, by secret, the SSM parameters still to read.
	parameters map[string]string
}

// Load reads the settings from getenv, and says everything wrong with
// them at once.
func Load(getenv func(string) string) (Settings, error) {
	value := func(name string) string { return strings.TrimSpace(getenv(name)) }
	s := Settings{
		InLambda:           getenv("AWS_LAMBDA_RUNTIME_API") != "",
		DiscordAPI:         value("DISCORD_API_URL"),
		ApplicationID:      value("DISCORD_APPLICATION_ID"),
		MetricsNamespace:   cmp.Or(value("METRICS_NAMESPACE"), "ClockifyDiscordRelay"),
		Port:               8080,
		DeliveryQueueURL:   value("DELIVERY_QUEUE_URL"),
		DeadLetterQueueURL: value("DEAD_LETTER_QUEUE_URL"),
		DataDir:            cmp.Or(value("DATA_DIR"), ".relay"),
		StateTable:         value("STATE_TABLE"),
		set:                map[string]bool{},
		parameters:         map[string]string{},
	}
	errs := s.loadSecrets(getenv)
	var err error
	if s.Language, err = message.LanguageFor(cmp.Or(getenv("MESSAGE_LANGUAGE"), message.DefaultLanguage)); err != nil {
		errs = append(errs, fmt.Errorf("MESSAGE_LANGUAGE: %w", err))
	}
	if s.Style, err = message.ParseStyle(getenv("MESSAGE_STYLE")); err != nil {
		errs = append(errs, fmt.Errorf("MESSAGE_STYLE: %w", err))
	}
	// Each of these is one of two words; empty is the first.
	s.AllowLinks = either(value, "LINKS", "defang", "allow", &errs)
	s.EditSessions = either(value, "SESSION_MESSAGES", "post", "edit", &errs)
	s.Board = !either(value, "BOARD", "on", "off", &errs)
	s.LongTimer = 10 * time.Hour
	if h := value("LONG_TIMER_HOURS"); h != "" {
		// NaN fails every comparison, so it is refused by name; a
		// quarter of an hour is the least that is not every timer.
		n, err := strconv.ParseFloat(h, 64)
		if err != nil || math.IsNaN(n) || n != 0 && (n < 0.25 || n > 24*7) {
			errs = append(errs, fmt.Errorf("LONG_TIMER_HOURS: %q is not 0 (off) or a number of hours from 0.25 to 168", h))
			n = 0
		}
		s.LongTimer = time.Duration(n * float64(time.Hour))
	}
	s.Zone, s.Digest, err = digestSettings(getenv)
	if err != nil {
		errs = append(errs, err)
	}
	if s.Metrics, err = metrics.ParseLevel(strings.ToLower(value("METRICS"))); err != nil {
		errs = append(errs, fmt.Errorf("METRICS: %w", err))
	}
	// AWS_LAMBDA_LOG_LEVEL is the function's ApplicationLogLevel.
	if s.LogLevel, err = logging.ParseLevel(cmp.Or(getenv("LOG_LEVEL"), getenv("AWS_LAMBDA_LOG_LEVEL"))); err != nil {
		errs = append(errs, fmt.Errorf("LOG_LEVEL: %w", err))
	}
	if p := getenv("PORT"); p != "" {
		if s.Port, err = strconv.Atoi(p); err != nil || s.Port < 0 || s.Port > 65535 {
			errs = append(errs, fmt.Errorf("PORT: %q is not a port number", p))
		}
	}
	return s, errors.Join(errs...)
}

// loadSecrets parses the secrets given as values, and notes the SSM
// parameters of the others.
func (s *Settings) loadSecrets(getenv func(string) string) []error {
	var errs []error
	routesRead := false
	for _, sec := range secretTable {
		v := getenv(sec.name)
		if strings.TrimSpace(v) == "" {
			if p := strings.TrimSpace(getenv(sec.name + ParameterSuffix)); p != "" {
				s.parameters[sec.name] = p
			}
			continue
		}
		s.set[sec.name] = true // the value wins: its parameter is not read
		if err := sec.parse(v, &s.env); err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", sec.name, err))
			continue
		}
		routesRead = routesRead || sec.name == Routes
	}
	if routesRead {
		var err error
		if s.env.Routes, err = s.completeRoutes(s.env.Routes, s.env.hooks, s.parameters[RouteWebhooks] != ""); err != nil {
			errs = append(errs, err)
		}
		s.env.hooks = nil // in the routes now
	}
	return errs
}

// either reads a setting that is one of two words, empty being the first:
// whether it is the second. Another word is refused by name.
func either(value func(string) string, name, first, second string, errs *[]error) bool {
	switch v := strings.ToLower(value(name)); v {
	case "", first:
		return false
	case second:
		return true
	default:
		*errs = append(*errs, fmt.Errorf("%s: %q is neither %s nor %s", name, v, first, second))
		return false
	}
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

// configured reports whether a secret is given at all, as a value or as
// a parameter.
func (s Settings) configured(name string) bool { return s.set[name] || s.parameters[name] != "" }

// DiscordConfigured reports whether a Discord webhook is set at all.
func (s Settings) DiscordConfigured() bool { return s.configured(DiscordWebhookURL) }

// InteractionsConfigured reports whether the interactions endpoint has a
// public key to verify with: without one it answers 404.
func (s Settings) InteractionsConfigured() bool { return s.configured(DiscordPublicKey) }

// SigningConfigured reports whether signing secrets are set at all.
func (s Settings) SigningConfigured() bool { return s.configured(SigningSecrets) }
