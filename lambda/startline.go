package main

import (
	"fmt"
	"log/slog"

	"clockify-discord-relay/lambda/discord"
)

// startAttrs say, for the line local mode logs at start, what is on and
// where messages go: the webhook redacted, a parameter by its name.
func (s settings) startAttrs() []any {
	posts := "stdout (no DISCORD_WEBHOOK_URL)"
	switch {
	case s.discordURL != "":
		posts = discord.RedactURL(s.discordURL)
	case s.discordURLParameter != "":
		posts = "the webhook in SSM " + s.discordURLParameter
	}
	signed := "no: unsigned requests are accepted"
	switch {
	case s.signing != "":
		signed = "yes"
	case s.signingParameter != "":
		signed = "yes, secrets in SSM " + s.signingParameter
	}
	onOff := map[bool]string{true: "on", false: "off"}
	reminders := "off"
	if s.longTimer > 0 {
		reminders = "after " + s.longTimer.String()
	}
	digest := "off"
	if d := s.digest; d != nil {
		digest = fmt.Sprintf("%s at %02d:%02d %s", d.Kind, d.Hour, d.Minute, d.Zone)
	}
	routes := s.routes.Len()
	if s.routesParameter != "" {
		routes = -1
	}
	attrs := []any{
		slog.String("postsTo", posts), slog.String("signed", signed),
		slog.String("board", onOff[s.board]), slog.String("reminders", reminders), slog.String("digest", digest),
		slog.String("interactions", onOff[s.interactionsConfigured()]), slog.String("language", s.language.Code),
	}
	switch {
	case routes > 0:
		attrs = append(attrs, slog.Int("routes", routes))
	case routes < 0:
		attrs = append(attrs, slog.String("routes", "in SSM "+s.routesParameter))
	}
	return attrs
}
