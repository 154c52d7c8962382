package simulation

import (
	"context"
	"fmt"
	"time"

	"clockify-discord-relay/lambda/clockify"
	"clockify-discord-relay/lambda/discord"
	"clockify-discord-relay/lambda/route"
	"clockify-discord-relay/lambda/secrets"
)

// The channels of a run: the default webhook's, route ops's (project
// Ops), and the one an added route web (project Web) posts to.
const (
	chanDefault = "chan-1"
	chanOps     = "chan-2"
	chanWeb     = "chan-3"
)

// The acts of the operator, one a run at most: a route renamed, made to
// drop, or added, or a webhook rotated (a new URL, the same channel).
const (
	actNone   = "none"
	actRename = "rename"
	actDrop   = "drop"
	actAdd    = "add"
	actRotate = "rotate"
)

var acts = []string{actNone, actRename, actDrop, actAdd, actRotate}

// operator edits ROUTES once a run, at a time in the day. The accept half
// sees the change at once; the delivery side only when its cached
// secrets expire (within 5 minutes, as in main), so for a while the two
// halves disagree on the rules.
type operator struct {
	act           string
	before, after secrets.Values
	at            time.Time
	lag           time.Duration // the delivery side's
}

// newOperator sets up the run's webhooks and rules in m, and picks the
// run's act.
func newOperator(f *faults, m *discordModel, signing secrets.Values, start time.Time) *operator {
	o := &operator{act: acts[int(f.roll("act", "")*float64(len(acts)))%len(acts)]}
	o.at = start.Add(10*time.Minute + time.Duration(f.roll("act-at", "")*float64(40*time.Minute)))
	o.lag = time.Duration(f.roll("act-lag", "") * float64(5*time.Minute))
	base := signing
	base.DiscordWebhookURL = m.webhook("900001", chanDefault)
	ops := m.webhook("900002", chanOps)
	o.before = withRules(base, fmt.Sprintf(`[{"name":"ops","match":{"project":["Ops"]},"webhook":%q}]`, ops))
	switch o.act {
	case actRename:
		o.after = withRules(base, fmt.Sprintf(`[{"name":"operations","match":{"project":["Ops"]},"webhook":%q}]`, ops))
	case actDrop:
		o.after = withRules(base, `[{"name":"ops","match":{"project":["Ops"]},"drop":true}]`)
	case actAdd:
		o.after = withRules(base, fmt.Sprintf(`[{"name":"ops","match":{"project":["Ops"]},"webhook":%q},{"name":"web","match":{"project":["Web"]},"webhook":%q}]`,
			ops, m.webhook("900003", chanWeb)))
	case actRotate:
		o.after = withRules(base, fmt.Sprintf(`[{"name":"ops","match":{"project":["Ops"]},"webhook":%q}]`, m.webhook("900004", chanOps)))
	default:
		o.after = o.before
	}
	return o
}

func withRules(v secrets.Values, rules string) secrets.Values {
	t, err := route.Parse(rules, discord.CheckWebhookURL)
	if err != nil {
		panic(err)
	}
	v.Routes = t
	return v
}

// view is one half's secrets: the rules before the act until it sees it.
type view struct {
	o   *operator
	lag time.Duration
}

var _ secrets.Source = view{}

func (v view) Secrets(context.Context) (secrets.Values, error) {
	if time.Now().Before(v.o.at.Add(v.lag)) {
		return v.o.before, nil
	}
	return v.o.after, nil
}

func (o *operator) accept() view  { return view{o: o} }
func (o *operator) deliver() view { return view{o: o, lag: o.lag} }

// channelOf is the channel of the route the accept half takes for ev
// now; "" when the rules drop it.
func (o *operator) channelOf(m *discordModel, ev clockify.Event) string {
	v, _ := o.accept().Secrets(context.Background())
	d := v.Routes.Route(ev)
	if d.Drop {
		return ""
	}
	if d.Webhook == "" {
		return m.channelOf(v.DiscordWebhookURL)
	}
	return m.channelOf(d.Webhook)
}

// reached are the channels that some route posts to once the delivery
// side sees the act: a channel no route reaches keeps its last board.
func (o *operator) reached(m *discordModel) map[string]bool {
	out := map[string]bool{}
	urls := []string{o.after.DiscordWebhookURL}
	for _, url := range o.after.Routes.Webhooks() {
		urls = append(urls, url)
	}
	for _, url := range urls {
		out[m.channelOf(url)] = true
	}
	return out
}
