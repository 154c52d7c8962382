package main

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	"clockify-discord-relay/lambda/message"
)

// settings are read from the environment once, at start.
type settings struct {
	inLambda bool
	port     int

	discordURL          string
	discordURLParameter string
	signing             string
	signingParameter    string
	language            message.Language
}

func loadSettings(getenv func(string) string) (settings, error) {
	s := settings{
		inLambda:            getenv("AWS_LAMBDA_RUNTIME_API") != "",
		discordURL:          strings.TrimSpace(getenv("DISCORD_WEBHOOK_URL")),
		discordURLParameter: strings.TrimSpace(getenv("DISCORD_WEBHOOK_URL_PARAMETER")),
		signing:             getenv("CLOCKIFY_SIGNING_SECRETS"),
		signingParameter:    strings.TrimSpace(getenv("CLOCKIFY_SIGNING_SECRETS_PARAMETER")),
		port:                8080,
	}
	var errs []error
	lang := getenv("MESSAGE_LANGUAGE")
	if lang == "" {
		lang = message.DefaultLanguage
	}
	var err error
	if s.language, err = message.LanguageFor(lang); err != nil {
		errs = append(errs, fmt.Errorf("MESSAGE_LANGUAGE: %w", err))
	}
	if p := getenv("PORT"); p != "" {
		if s.port, err = strconv.Atoi(p); err != nil || s.port < 0 || s.port > 65535 {
			errs = append(errs, fmt.Errorf("PORT: %q is not a port number", p))
		}
	}
	return s, errors.Join(errs...)
}

// parameterNames are the SSM parameters still to read: those whose value
// is not set directly, which wins.
func (s settings) parameterNames() []string {
	var names []string
	if s.discordURL == "" && s.discordURLParameter != "" {
		names = append(names, s.discordURLParameter)
	}
	if strings.TrimSpace(s.signing) == "" && s.signingParameter != "" {
		names = append(names, s.signingParameter)
	}
	return names
}

// discordConfigured reports whether a Discord webhook is set at all.
func (s settings) discordConfigured() bool {
	return s.discordURL != "" || s.discordURLParameter != ""
}

// signingConfigured reports whether signing secrets are set at all.
func (s settings) signingConfigured() bool {
	return strings.TrimSpace(s.signing) != "" || s.signingParameter != ""
}
