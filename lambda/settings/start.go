package settings

import (
	"fmt"
	"log/slog"

	"clockify-discord-relay/lambda/discord"
)

// StartAttrs say, for the line local mode logs at start, what is on and
// where messages go: the webhook redacted, a parameter by its name.
func (s Settings) StartAttrs() []any {
	posts := "stdout (no DISCORD_WEBHOOK_URL)"
	switch {
	case s.env.DiscordWebhookURL != "":
		posts = discord.RedactURL(s.env.DiscordWebhookURL)
	case s.parameters[DiscordWebhookURL] != "":
		posts = "the webhook in SSM " + s.parameters[DiscordWebhookURL]
	}
	signed := "no: unsigned requests are accepted"
	switch {
	case s.set[SigningSecrets]:
		signed = "yes"
	case s.parameters[SigningSecrets] != "":
		signed = "yes, secrets in SSM " + s.parameters[SigningSecrets]
	}
	onOff := map[bool]string{true: "on", false: "off"}
	reminders := "off"
	if s.LongTimer > 0 {
		reminders = "after " + s.LongTimer.String()
	}
	digest := "off"
	if d := s.Digest; d != nil {
		digest = fmt.Sprintf("%s at %02d:%02d %s", d.Kind, d.Hour, d.Minute, d.Zone)
	}
	attrs := []any{
		slog.String("postsTo", posts), slog.String("signed", signed),
		slog.String("board", onOff[s.Board]), slog.String("reminders", reminders), slog.String("digest", digest),
		slog.String("interactions", onOff[s.InteractionsConfigured()]), slog.String("language", s.Language.Code),
	}
	switch {
	case s.parameters[Routes] != "":
		attrs = append(attrs, slog.String("routes", "in SSM "+s.parameters[Routes]))
	case s.env.Routes.Len() > 0:
		attrs = append(attrs, slog.Int("routes", s.env.Routes.Len()))
	}
	return attrs
}

// UnsignedWarning is logged where a relay runs without Clockify's
// signing secret: local mode, and an event run by the invoke command.
const UnsignedWarning = "NO CLOCKIFY SIGNING SECRET CONFIGURED: unsigned requests are accepted. Set CLOCKIFY_SIGNING_SECRETS before exposing this relay."
