package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"os/signal"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/config"
	awsssm "github.com/aws/aws-sdk-go-v2/service/ssm"

	"clockify-discord-relay/lambda/clockify"
	"clockify-discord-relay/lambda/store/ssm"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	err := run(ctx, os.Args[1:], os.Getenv, os.Stdout, newSSMWriter)
	if errors.Is(err, flag.ErrHelp) {
		return // the usage was printed
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "setup:", err)
		os.Exit(1)
	}
}

// newSSMWriter builds the SSM client from the standard AWS settings.
func newSSMWriter(ctx context.Context) (ssm.Writer, error) {
	cfg, err := config.LoadDefaultConfig(ctx)
	if err != nil {
		return nil, err
	}
	return awsssm.NewFromConfig(cfg), nil
}

// defaultEvents are the seed article's two webhooks.
var defaultEvents = []clockify.EventType{clockify.NewTimerStarted, clockify.TimerStopped}

// ledgerEvents are what a digest's ledger needs besides: time added by
// hand, edits and deletions. In this order, the most costly to miss first:
// on the Free plan's 3 webhooks, the last ones are left out.
var ledgerEvents = []clockify.EventType{clockify.NewTimeEntry, clockify.TimeEntryUpdated, clockify.TimeEntryDeleted}

// digestCost is what the digest lacks without an event's webhook.
var digestCost = map[clockify.EventType]string{
	clockify.NewTimerStarted:  "running timers are not counted (nor shown on the board)",
	clockify.TimerStopped:     "timed entries are not counted",
	clockify.NewTimeEntry:     "time added by hand is not counted",
	clockify.TimeEntryUpdated: "edited entries count as they were first stopped",
	clockify.TimeEntryDeleted: "deleted entries still count",
}

// options are the command's flags.
type options struct {
	workspace string
	url       string
	events    []clockify.EventType
	parameter string
	api       string
	dryRun    bool
	digest    bool // DIGEST is daily or weekly: the ledger's events are wanted
}

const usage = `usage: CLOCKIFY_API_KEY=… make setup WORKSPACE=<id> URL=<ClockifyWebhookUrl> [EVENTS=all] [DIGEST=off] [DRY_RUN=1]
       go run ./lambda/cmd/setup -workspace ID -url URL [flags]

Creates or updates the Clockify webhooks that post to the relay (one per
event), and stores their signing secrets, newline-separated, in the SSM
SecureString the relay reads (CLOCKIFY_SIGNING_SECRETS_PARAMETER). Run it
again after a change: it keeps the webhooks already there. The API key is
read from CLOCKIFY_API_KEY, never from an argument.

Flags:
`

func parseOptions(args []string, help io.Writer) (options, error) {
	var o options
	var events string
	fs := flag.NewFlagSet("setup", flag.ContinueOnError)
	fs.SetOutput(help)
	fs.Usage = func() { fmt.Fprint(help, usage); fs.PrintDefaults() }
	fs.StringVar(&o.workspace, "workspace", "", "Clockify workspace id (required)")
	fs.StringVar(&o.url, "url", "", "the relay's URL, the stack output ClockifyWebhookUrl (required)")
	fs.StringVar(&events, "events", "", "events to subscribe, comma-separated, or all (default NEW_TIMER_STARTED,TIMER_STOPPED, and with a digest NEW_TIME_ENTRY,TIME_ENTRY_UPDATED,TIME_ENTRY_DELETED)")
	fs.StringVar(&o.parameter, "parameter", "/clockify-discord-relay/clockify-signing-secrets", "SSM parameter for the signing secrets")
	fs.StringVar(&o.api, "api", clockify.DefaultAPI, "Clockify API base URL")
	fs.BoolVar(&o.dryRun, "dry-run", false, "show what would be done, and do nothing")
	digest := fs.String("digest", "daily", "the relay's DIGEST (daily, weekly or off): with a digest, the webhooks its ledger needs are created too")
	if len(args) == 1 && args[0] == "help" {
		fs.Usage()
		return o, flag.ErrHelp
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return o, err
		}
		return o, fmt.Errorf("%w (setup -h lists the flags)", err)
	}
	var problems []string
	if o.workspace == "" {
		problems = append(problems, "-workspace is required")
	}
	if u, err := url.Parse(o.url); o.url == "" || err != nil || u.Scheme != "https" || u.Host == "" {
		problems = append(problems, "-url must be the relay's https URL (the stack output ClockifyWebhookUrl)")
	}
	if !strings.HasPrefix(o.parameter, "/") {
		problems = append(problems, "-parameter must be a name with a leading slash")
	}
	switch strings.ToLower(strings.TrimSpace(*digest)) {
	case "daily", "weekly", "":
		o.digest = true
	case "off":
	default:
		problems = append(problems, fmt.Sprintf("-digest %q is not daily, weekly or off", *digest))
	}
	switch strings.TrimSpace(events) {
	case "":
		o.events = defaultEvents
		if o.digest {
			o.events = append(append([]clockify.EventType(nil), defaultEvents...), ledgerEvents...)
		}
	case "all":
		o.events = clockify.Relayed
	default:
		for _, e := range strings.Split(events, ",") {
			ev := clockify.ParseEventType(e)
			if !ev.IsRelayed() {
				problems = append(problems, fmt.Sprintf("the relay does not handle event %q", e))
				continue
			}
			o.events = append(o.events, ev)
		}
	}
	if len(problems) > 0 {
		return o, errors.New(strings.Join(problems, "; "))
	}
	return o, nil
}

// run does the set-up: plan from the webhooks Clockify has, then (unless
// a dry run) create, delete and write the secrets.
func run(ctx context.Context, args []string, getenv func(string) string, stdout io.Writer, newWriter func(context.Context) (ssm.Writer, error)) error {
	o, err := parseOptions(args, stdout)
	if err != nil {
		return err
	}
	key := strings.TrimSpace(getenv("CLOCKIFY_API_KEY"))
	if key == "" {
		return errors.New("set CLOCKIFY_API_KEY to a Clockify API key (Profile settings → API)")
	}
	api := clockify.NewWebhookAPI(o.api, key, &http.Client{Timeout: 30 * time.Second})
	existing, err := api.List(ctx, o.workspace)
	if err != nil {
		return err
	}
	p := makePlan(existing, o.url, o.events)
	p.print(stdout, o)
	if o.dryRun {
		fmt.Fprintln(stdout, "dry run: nothing was changed")
		return nil
	}
	// A webhook that cannot be created (the Free plan allows 3) must not
	// keep the others' secrets out of SSM: write what there is, then say
	// what is missing.
	tokens := p.tokens
	var missing []error
	for _, ev := range p.create {
		w, err := api.Create(ctx, o.workspace, webhookName(ev), o.url, ev)
		switch {
		case err != nil:
			cost := ""
			if o.digest && digestCost[ev] != "" {
				cost = "; without it, in the digest " + digestCost[ev]
			}
			missing = append(missing, fmt.Errorf("%s was not created: %w%s", ev, err, cost))
		case w.AuthToken == "":
			missing = append(missing, fmt.Errorf("clockify: the new %s webhook has no signing secret", ev))
		default:
			tokens = append(tokens, boundToken(ev, w.AuthToken))
		}
	}
	if len(tokens) == 0 {
		return errors.Join(append(missing, errors.New("no webhook posts to the relay: nothing was written"))...)
	}
	for _, w := range p.remove {
		if err := api.Delete(ctx, o.workspace, w.ID); err != nil {
			return err
		}
	}
	writer, err := newWriter(ctx)
	if err != nil {
		return err
	}
	if err := ssm.PutSecret(ctx, writer, o.parameter, strings.Join(tokens, "\n")); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "done: %d signing secrets in %s; the relay reads them within 5 minutes\n", len(tokens), o.parameter)
	return errors.Join(missing...)
}

func webhookName(ev clockify.EventType) string {
	return "Discord relay: " + strings.ToLower(strings.ReplaceAll(string(ev), "_", " "))
}
