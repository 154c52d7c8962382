package main

import (
	"context"
	"fmt"
	"strings"

	"clockify-discord-relay/lambda/cmdline"
	"clockify-discord-relay/lambda/settings"
	"clockify-discord-relay/lambda/subcommand"
)

// commands is the only list of the subcommands: help and dispatch are
// derived from it. main sets Program from os.Args[0].
var commands = cmdline.Table[*wiring]{
	Program: "bootstrap",
	About: `The Clockify to Discord relay. With AWS_LAMBDA_RUNTIME_API set (inside
Lambda) it serves the template's functions. Otherwise it serves
POST /clockify (and /discord/interactions) on 127.0.0.1:$PORT (8080), and
delivers from its queue in DATA_DIR (./.relay): make run.
`,
	Settings: settings.Names(),
	Common:   "MESSAGE_LANGUAGE, TIME_ZONE, LOG_LEVEL",
	Commands: []cmdline.Command[*wiring]{
		{Name: "invoke", Args: "FILE", About: "runs one Lambda event (API Gateway, SQS or scheduled) through the handler, as sam local invoke would, and prints the answer; without DELIVERY_QUEUE_URL it delivers before it ends",
			Env: []string{"DISCORD_WEBHOOK_URL(_PARAMETER)", "CLOCKIFY_SIGNING_SECRETS(_PARAMETER)", "DELIVERY_QUEUE_URL", "STATE_TABLE", "ROUTES(_PARAMETER)", "ROUTE_WEBHOOKS(_PARAMETER)"},
			Run: func(ctx context.Context, w *wiring, args []string) error {
				if len(args) != 1 || strings.HasPrefix(args[0], "-") {
					return cmdline.ArgsError("invoke takes one event file")
				}
				return subcommand.Invoke(ctx, w.parts(), args[0])
			}},
		{Name: "dlq", Args: "list | redrive", About: "lists the dead letters, or sends them back to be delivered: the SQS dead-letter queue, else the local store",
			Env: []string{"DEAD_LETTER_QUEUE_URL", "DELIVERY_QUEUE_URL", "DATA_DIR"},
			Run: func(ctx context.Context, w *wiring, args []string) error {
				if len(args) != 1 || (args[0] != "list" && args[0] != "redrive") {
					return cmdline.ArgsError("dlq takes list or redrive")
				}
				return subcommand.DeadLetters(ctx, w.parts(), args[0])
			}, Beside: true},
		{Name: "remind", About: "reminds each channel once of timers running longer than LONG_TIMER_HOURS, now; prints the reminders when no webhook is set",
			Env: []string{"LONG_TIMER_HOURS", "DISCORD_WEBHOOK_URL(_PARAMETER)", "STATE_TABLE", "DELIVERY_QUEUE_URL", "DATA_DIR"},
			Run: func(ctx context.Context, w *wiring, args []string) error {
				if len(args) > 0 {
					return cmdline.ArgsError(fmt.Sprintf("remind takes no arguments, not %q", args[0]))
				}
				return subcommand.Remind(ctx, w.parts())
			}, Beside: true},
		{Name: "digest", Args: "[-date YYYY-MM-DD] [-period daily|weekly] [-force] [-png FILE]", About: "posts a digest now (make digest DATE= PERIOD= FORCE=1 DIGEST_PNG=); prints it when no webhook is set; without -date, the last day with time tracked",
			Env: []string{"DIGEST", "DIGEST_TIME", "DISCORD_WEBHOOK_URL(_PARAMETER)", "STATE_TABLE", "DELIVERY_QUEUE_URL", "DATA_DIR"},
			Run: func(ctx context.Context, w *wiring, args []string) error {
				return subcommand.Digest(ctx, w.parts(), args)
			}, Beside: true},
		{Name: "commands", Args: "[-guild ID]", About: "registers /working and /hours in Discord (make commands GUILD=): a bulk overwrite, so running it again changes nothing",
			Env: []string{"DISCORD_BOT_TOKEN(_PARAMETER)", "DISCORD_APPLICATION_ID"},
			Run: func(ctx context.Context, w *wiring, args []string) error {
				return subcommand.Register(ctx, w.parts(), args)
			}},
	},
}
