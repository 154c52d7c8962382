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
	s := Settings{
		InLambda:   getenv("AWS_LAMBDA_RUNTIME_API") != "",
		DiscordAPI: strings.TrimSpace(getenv("DISCORD_API_URL")),
		set:        map[string]bool{},
		parameters: map[string]string{},
	}
	errs := s.loadSecrets(getenv)
	for _, set := range settingTable {
		v := strings.TrimSpace(getenv(set.name))
		if v == "" && set.or != "" {
			v = strings.TrimSpace(getenv(set.or))
		}
		if err := set.read(v, &s); err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", set.name, err))
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

// setting is one variable of the environment, and how it is read: its
// value trimmed, "" when it is not set (or the value of the variable or
// names, when that is set).
type setting struct {
	name string
	or   string
	read func(v string, s *Settings) error
}

// settingTable lists the settings but the secrets (secretTable), in the
// order they are read: DIGEST_TIME after DIGEST, whose schedule it
// times; TIME_ZONE gives that schedule its zone whichever comes first.
var settingTable = []setting{
	{name: "MESSAGE_LANGUAGE", read: func(v string, s *Settings) (err error) {
		s.Language, err = message.LanguageFor(cmp.Or(v, message.DefaultLanguage))
		return err
	}},
	{name: "MESSAGE_STYLE", read: func(v string, s *Settings) (err error) {
		s.Style, err = message.ParseStyle(v)
		return err
	}},
	{name: "SESSION_MESSAGES", read: either("post", "edit", func(s *Settings, edit bool) { s.EditSessions = edit })},
	{name: "LINKS", read: either("defang", "allow", func(s *Settings, allow bool) { s.AllowLinks = allow })},
	{name: "BOARD", read: either("on", "off", func(s *Settings, off bool) { s.Board = !off })},
	{name: "LONG_TIMER_HOURS", read: readLongTimer},
	{name: "DIGEST", read: readDigest},
	{name: "DIGEST_TIME", read: readDigestTime},
	{name: "TIME_ZONE", read: readZone},
	{name: "PORT", read: func(v string, s *Settings) (err error) {
		s.Port = 8080
		if v == "" {
			return nil
		}
		if s.Port, err = strconv.Atoi(v); err != nil || s.Port < 0 || s.Port > 65535 {
			return fmt.Errorf("%q is not a port number", v)
		}
		return nil
	}},
	{name: "DATA_DIR", read: func(v string, s *Settings) error { s.DataDir = cmp.Or(v, ".relay"); return nil }},
	{name: "STATE_TABLE", read: func(v string, s *Settings) error { s.StateTable = v; return nil }},
	{name: "DELIVERY_QUEUE_URL", read: func(v string, s *Settings) error { s.DeliveryQueueURL = v; return nil }},
	{name: "DEAD_LETTER_QUEUE_URL", read: func(v string, s *Settings) error { s.DeadLetterQueueURL = v; return nil }},
	{name: "DISCORD_APPLICATION_ID", read: func(v string, s *Settings) error { s.ApplicationID = v; return nil }},
	{name: "METRICS", read: func(v string, s *Settings) (err error) {
		s.Metrics, err = metrics.ParseLevel(strings.ToLower(v))
		return err
	}},
	{name: "METRICS_NAMESPACE", read: func(v string, s *Settings) error {
		s.MetricsNamespace = cmp.Or(v, "ClockifyDiscordRelay")
		return nil
	}},
	// AWS_LAMBDA_LOG_LEVEL is the function's ApplicationLogLevel.
	{name: "LOG_LEVEL", or: "AWS_LAMBDA_LOG_LEVEL", read: func(v string, s *Settings) (err error) {
		s.LogLevel, err = logging.ParseLevel(v)
		return err
	}},
}

// Names are the settings as the usage lists them, from both tables.
func Names() []string {
	var names []string
	for _, sec := range secretTable {
		names = append(names, sec.name)
	}
	names = append(names, "(each, or its "+ParameterSuffix+" naming an SSM parameter)")
	for _, set := range settingTable {
		names = append(names, set.name)
	}
	return names
}

// either reads a setting that is one of two words, empty being the first:
// set is told whether it is the second. Another word is refused.
func either(first, second string, set func(s *Settings, second bool)) func(string, *Settings) error {
	return func(v string, s *Settings) error {
		switch v = strings.ToLower(v); v {
		case "", first:
			set(s, false)
		case second:
			set(s, true)
		default:
			return fmt.Errorf("%q is neither %s nor %s", v, first, second)
		}
		return nil
	}
}

func readLongTimer(v string, s *Settings) error {
	s.LongTimer = 10 * time.Hour
	if v == "" {
		return nil
	}
	// NaN fails every comparison, so it is refused by name; a quarter of
	// an hour is the least that is not every timer.
	n, err := strconv.ParseFloat(v, 64)
	if err != nil || math.IsNaN(n) || n != 0 && (n < 0.25 || n > 24*7) {
		s.LongTimer = 0
		return fmt.Errorf("%q is not 0 (off) or a number of hours from 0.25 to 168", v)
	}
	s.LongTimer = time.Duration(n * float64(time.Hour))
	return nil
}

// DefaultTimeZone suits the default language.
const DefaultTimeZone = "Asia/Tokyo"

func readZone(v string, s *Settings) error {
	name := cmp.Or(v, DefaultTimeZone)
	zone, err := time.LoadLocation(name)
	if err != nil || name == "Local" {
		s.Zone = time.UTC
		return fmt.Errorf("%q is not an IANA time zone like Asia/Tokyo or Europe/Berlin", name)
	}
	s.Zone = zone
	if s.Digest != nil {
		s.Digest.Zone = zone
	}
	return nil
}

func readDigest(v string, s *Settings) (err error) {
	kind := strings.ToLower(cmp.Or(v, string(summary.Daily)))
	if kind == "off" {
		s.Digest = nil
		return nil
	}
	s.Digest = &digest.Schedule{Zone: s.Zone} // DIGEST_TIME sets its time
	if s.Digest.Kind, err = summary.ParseKind(kind); err != nil {
		return fmt.Errorf("%q is not daily, weekly or off", kind)
	}
	return nil
}

func readDigestTime(v string, s *Settings) error {
	h, m, err := digest.ParseTime(cmp.Or(v, "18:00"))
	if err != nil {
		return err
	}
	if s.Digest != nil {
		s.Digest.Hour, s.Digest.Minute = h, m
	}
	return nil
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
