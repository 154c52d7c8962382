package main

import (
	"fmt"
	"io"
	"strings"

	"clockify-discord-relay/lambda/clockify"
)

// plan is what setup will do to the workspace's webhooks.
type plan struct {
	keep   []clockify.Webhook   // already there
	create []clockify.EventType // missing
	remove []clockify.Webhook   // duplicates: a second webhook for the same event and URL
	other  []clockify.Webhook   // webhooks to the relay for events not asked for: left alone
	tokens []string             // "EVENT=secret" of every webhook that will post to the relay, but those still to create
}

// makePlan compares what Clockify has with what is asked: one webhook per
// event, posting to target.
func makePlan(existing []clockify.Webhook, target string, events []clockify.EventType) plan {
	var p plan
	byEvent := map[clockify.EventType][]clockify.Webhook{}
	for _, w := range existing {
		if sameURL(w.URL, target) {
			byEvent[w.Event] = append(byEvent[w.Event], w)
		}
	}
	wanted := map[clockify.EventType]bool{}
	for _, ev := range events {
		if wanted[ev] {
			continue
		}
		wanted[ev] = true
		ws := byEvent[ev]
		if len(ws) == 0 {
			p.create = append(p.create, ev)
			continue
		}
		p.keep = append(p.keep, ws[0])
		p.remove = append(p.remove, ws[1:]...)
	}
	for _, w := range existing {
		if sameURL(w.URL, target) && !wanted[w.Event] {
			p.other = append(p.other, w)
		}
	}
	for _, w := range append(append([]clockify.Webhook(nil), p.keep...), p.other...) {
		if w.AuthToken != "" {
			p.tokens = append(p.tokens, boundToken(w.Event, w.AuthToken))
		}
	}
	return p
}

func sameURL(a, b string) bool {
	return strings.EqualFold(strings.TrimRight(strings.TrimSpace(a), "/"), strings.TrimRight(strings.TrimSpace(b), "/"))
}

// print shows the plan, one line per action. Signing secrets are counted,
// never shown.
func (p plan) print(w io.Writer, o options) {
	for _, k := range p.keep {
		state := "enabled"
		if !k.Enabled {
			state = "DISABLED in Clockify: enable it there"
		}
		fmt.Fprintf(w, "keep    %-20s webhook %s (%s)\n", k.Event, k.ID, state)
	}
	for _, ev := range p.create {
		fmt.Fprintf(w, "create  %-20s -> %s\n", ev, o.url)
	}
	for _, r := range p.remove {
		fmt.Fprintf(w, "delete  %-20s webhook %s (a duplicate)\n", r.Event, r.ID)
	}
	for _, x := range p.other {
		fmt.Fprintf(w, "leave   %-20s webhook %s (not asked for; its secret is kept)\n", x.Event, x.ID)
	}
	fmt.Fprintf(w, "write   %s: %d signing secrets\n", o.parameter, len(p.tokens)+len(p.create))
}

// boundToken is a signing secret in the form the relay binds to its event:
// the start webhook's secret signs starts only.
func boundToken(ev clockify.EventType, secret string) string {
	return string(ev) + "=" + secret
}
