package subcommand

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"time"

	"clockify-discord-relay/lambda/accept/interactions"
	"clockify-discord-relay/lambda/cmdline"
)

// Register is bootstrap commands [-guild ID]: it overwrites the
// application's slash commands (/working, /hours) with a bot token from
// DISCORD_BOT_TOKEN or DISCORD_BOT_TOKEN_PARAMETER.
func Register(ctx context.Context, p Parts, args []string) error {
	fs := cmdline.Flags("commands")
	guild := fs.String("guild", "", "register in this server only, where they appear at once (global commands can take a while)")
	if err := cmdline.Parse(fs, args); err != nil {
		return err
	}
	v, err := p.Secrets.Secrets(ctx)
	if err != nil {
		return err
	}
	if v.DiscordBotToken == "" {
		return errors.New("commands: set DISCORD_BOT_TOKEN, or DISCORD_BOT_TOKEN_PARAMETER naming an SSM SecureString (Developer Portal → your app → Bot → Reset Token)")
	}
	base := p.Settings.DiscordAPI // a stand-in's, in tests
	if base == "" {
		base = interactions.APIBase
	}
	r := interactions.Registrar{Client: &http.Client{Timeout: 15 * time.Second}, Base: base, Token: v.DiscordBotToken}
	app := p.Settings.ApplicationID
	if app == "" {
		if app, err = r.Application(ctx); err != nil {
			return err
		}
	}
	if err := r.Register(ctx, app, *guild); err != nil {
		return err
	}
	where := "globally (they can take a while to appear)"
	if *guild != "" {
		where = "in server " + *guild
	}
	_, err = fmt.Fprintf(p.Out, "registered %d commands for application %s %s\n", len(interactions.Commands), app, where)
	return err
}
