package main

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"clockify-discord-relay/lambda/settings"
)

// subcommand is one job the bootstrap runs and exits: its arguments, what
// it does, the environment it reads, and how it runs. Help and dispatch
// are both derived from this table.
type subcommand struct {
	name, args, about string
	env               []string
	// run does the job with the subcommand's own arguments.
	run func(ctx context.Context, w *wiring, args []string) error
	// beside: run beside make run, which holds DATA_DIR, it asks that
	// relay to run it.
	beside bool
}

// Every subcommand reads MESSAGE_LANGUAGE, TIME_ZONE and LOG_LEVEL too.
var subcommands = []subcommand{
	{"invoke", "FILE", "runs one Lambda event (API Gateway, SQS or scheduled) through the handler, as sam local invoke would, and prints the answer; without DELIVERY_QUEUE_URL it delivers before it ends",
		[]string{"DISCORD_WEBHOOK_URL(_PARAMETER)", "CLOCKIFY_SIGNING_SECRETS(_PARAMETER)", "DELIVERY_QUEUE_URL", "STATE_TABLE", "ROUTES(_PARAMETER)", "ROUTE_WEBHOOKS(_PARAMETER)"},
		func(ctx context.Context, w *wiring, args []string) error {
			if len(args) != 1 || strings.HasPrefix(args[0], "-") {
				return argsError("invoke takes one event file")
			}
			return invoke(ctx, w, args[0])
		}, false},
	{"dlq", "list | redrive", "lists the dead letters, or sends them back to be delivered: the SQS dead-letter queue, else the local store",
		[]string{"DEAD_LETTER_QUEUE_URL", "DELIVERY_QUEUE_URL", "DATA_DIR"},
		func(ctx context.Context, w *wiring, args []string) error {
			if len(args) != 1 || (args[0] != "list" && args[0] != "redrive") {
				return argsError("dlq takes list or redrive")
			}
			return deadLetters(ctx, w, args[0])
		}, true},
	{"remind", "", "reminds each channel once of timers running longer than LONG_TIMER_HOURS, now; prints the reminders when no webhook is set",
		[]string{"LONG_TIMER_HOURS", "DISCORD_WEBHOOK_URL(_PARAMETER)", "STATE_TABLE", "DELIVERY_QUEUE_URL", "DATA_DIR"},
		func(ctx context.Context, w *wiring, args []string) error {
			if len(args) > 0 {
				return argsError(fmt.Sprintf("remind takes no arguments, not %q", args[0]))
			}
			return remindOnce(ctx, w)
		}, true},
	{"digest", "[-date YYYY-MM-DD] [-period daily|weekly] [-force] [-png FILE]", "posts a digest now (make digest DATE= PERIOD= FORCE=1 DIGEST_PNG=); prints it when no webhook is set; without -date, the last day with time tracked",
		[]string{"DIGEST", "DIGEST_TIME", "DISCORD_WEBHOOK_URL(_PARAMETER)", "STATE_TABLE", "DELIVERY_QUEUE_URL", "DATA_DIR"},
		func(ctx context.Context, w *wiring, args []string) error {
			return digestOnce(ctx, w, args)
		}, true},
	{"commands", "[-guild ID]", "registers /working and /hours in Discord (make commands GUILD=): a bulk overwrite, so running it again changes nothing",
		[]string{"DISCORD_BOT_TOKEN(_PARAMETER)", "DISCORD_APPLICATION_ID"},
		registerCommands, false},
}

// argsError is a subcommand's refusal of its arguments: run adds its usage,
// from the table.
type argsError string

func (e argsError) Error() string { return string(e) }

// withUsage adds c's usage to a refusal of its arguments.
func (c subcommand) withUsage(err error) error {
	var bad argsError
	if !errors.As(err, &bad) {
		return err
	}
	return fmt.Errorf("%s (usage: %s; %s %s -h says more)", bad, c.line(), programName, c.name)
}

// lookup is the subcommand called name.
func lookup(name string) (subcommand, bool) {
	i := slices.IndexFunc(subcommands, func(c subcommand) bool { return c.name == name })
	if i < 0 {
		return subcommand{}, false
	}
	return subcommands[i], true
}

var helpWords = []string{"-h", "-help", "--help", "help"}

// help is the text asked for with -h, --help or help, on the bootstrap or
// after a subcommand; ok is false when none was asked for.
func help(args []string) (text string, ok bool) {
	if len(args) == 0 {
		return "", false
	}
	if slices.Contains(helpWords, args[0]) {
		return overview(), true
	}
	for _, c := range subcommands {
		if c.name == args[0] && slices.ContainsFunc(args[1:], func(a string) bool { return slices.Contains(helpWords, a) }) {
			return c.usage(), true
		}
	}
	return "", false
}

// programName is what the usage calls the binary: bootstrap in Lambda,
// bin/relay after make run (main sets it from os.Args[0]).
var programName = "bootstrap"

// line is how the subcommand is called.
func (c subcommand) line() string {
	return strings.TrimSpace(programName + " " + c.name + " " + c.args)
}

func (c subcommand) usage() string {
	return fmt.Sprintf("usage: %s\n\n%s.\n\nEnvironment: %s, and MESSAGE_LANGUAGE, TIME_ZONE, LOG_LEVEL.\n",
		c.line(), c.about, strings.Join(c.env, ", "))
}

func overview() string {
	var b strings.Builder
	fmt.Fprintf(&b, `usage: %s [SUBCOMMAND [ARGS]]

The Clockify to Discord relay. With AWS_LAMBDA_RUNTIME_API set (inside
Lambda) it serves the template's functions. Otherwise it serves
POST /clockify (and /discord/interactions) on 127.0.0.1:$PORT (8080), and
delivers from its queue in DATA_DIR (./.relay): make run.

Subcommands run one job and exit:
`, programName)
	for _, c := range subcommands {
		fmt.Fprintf(&b, "  %-9s %s\n", c.name, c.args)
	}
	fmt.Fprintf(&b, "\n%s SUBCOMMAND -h says what each does and reads. Settings come from the\nenvironment; the README's settings table explains each:\n", programName)
	line := " "
	for _, name := range settings.Names {
		if len(line)+len(name) > 72 {
			b.WriteString(line + "\n")
			line = " "
		}
		line += " " + name
	}
	b.WriteString(line + "\n")
	return b.String()
}
