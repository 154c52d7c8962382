package deliver

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"sync"
	"time"

	"clockify-discord-relay/lambda/discord"
	"clockify-discord-relay/lambda/queue"
	"clockify-discord-relay/lambda/secrets"
	"clockify-discord-relay/lambda/state"
)

// errChannelMoved: a digest or reminder was made for a channel that its
// route no longer posts to.
var errChannelMoved = errors.New("its route now posts to another channel, and a job is never shown in another (ROUTES: point the route back, then redrive)")

// errChannelUnknown: a route whose channel Discord has not told yet; its
// jobs wait, and nothing of them is remembered until it does.
var errChannelUnknown = errors.New("the route's channel is not known yet, so nothing of the job is remembered")

// channelCheck is how often a webhook's channel is asked again: Discord
// lets a webhook be moved to another channel, keeping its URL.
const channelCheck = 24 * time.Hour

// channels sets the channel each job is kept in, and keeps what Discord
// said of the webhooks.
type channels struct {
	*shared
	mu    sync.Mutex
	hooks map[string]discord.Webhook // webhook URL → its guild and channel
	known map[string]knownChannel    // route and webhook hash → its channel's memory
}

func (d *channels) run(ctx context.Context, b *batch) bool {
	b.jobs, b.decided = d.placeJobs(ctx, b.sec, b.jobs, b.results)
	return true
}

// channel is the memory a route's jobs are kept in: the channel its
// webhook posts to (state.ChannelKey), learned from Discord once and
// remembered in the state, so that a cold start need not ask, and a
// Discord outage does not stop the memory. A rotated webhook is asked
// again. Without Discord (a printer) or without state, it is the route's
// group: there is no channel to cross.
func (d *channels) channel(ctx context.Context, route, webhook string) (string, error) {
	e := d.editor
	if e == nil {
		return queue.Destination(route), nil
	}
	hash := queue.Hash(webhook)
	cached := route + "\x00" + hash
	d.mu.Lock()
	known, ok := d.known[cached]
	d.mu.Unlock()
	if ok && d.now().Sub(known.checked) < channelCheck {
		return known.dest, nil
	}
	rc, found, err := d.opts.State.RouteChannel(ctx, route)
	if err != nil {
		return "", fmt.Errorf("reading the route's channel: %w", err)
	}
	var dest string
	checked := rc.Checked
	switch {
	case found && rc.Webhook == hash && d.now().Sub(rc.Checked) < channelCheck:
		dest = rc.Dest
	default:
		checked = d.now()
		dest, err = d.learnChannel(ctx, e, route, webhook, !found)
		if kind, _ := discord.Classify(err); err != nil && found && rc.Webhook == hash && kind != discord.WebhookGone {
			// Discord cannot say now, and this webhook posted to that
			// channel when last asked: its memory stays there meanwhile.
			// Another webhook (a rotation) may post elsewhere, so its
			// jobs wait instead.
			d.logger.WarnContext(ctx, "Discord did not say where the route's webhook posts; its memory stays in the channel it last posted to", slog.String("route", route), slog.String("error", err.Error()))
			return rc.Dest, nil // asked again next time
		}
		if err != nil {
			return "", fmt.Errorf("%w: %w", errChannelUnknown, err)
		}
	}
	d.mu.Lock()
	d.known[cached] = knownChannel{dest, checked}
	d.mu.Unlock()
	return dest, nil
}

// knownChannel is a route's channel as this process knows it, and when
// Discord last said so.
type knownChannel struct {
	dest    string
	checked time.Time
}

// learnChannel asks Discord where the webhook posts, and records it: the
// channel, for the interactions, and the route's channel. A route seen
// for the first time brings what the relay remembered by route, before
// memory followed the channel (adopt), into its channel.
func (d *channels) learnChannel(ctx context.Context, e Editor, route, webhook string, adopt bool) (string, error) {
	// Asked afresh, not from webhookInfo's memory: a webhook moved to
	// another channel keeps its URL.
	hook, err := e.Info(ctx, webhook)
	if err != nil {
		return "", err
	}
	d.mu.Lock()
	d.hooks[webhook] = hook
	d.mu.Unlock()
	if hook.ChannelID == "" {
		return "", errors.New("discord: the webhook names no channel")
	}
	dest := state.ChannelKey(hook.ChannelID)
	ch, _, err := d.opts.State.Channel(ctx, dest)
	if err != nil {
		return "", fmt.Errorf("reading the channel: %w", err)
	}
	ch = ch.WithRoute(route)
	ch.GuildID, ch.ChannelID, ch.Webhook, ch.Gone, ch.Seen = hook.GuildID, hook.ChannelID, queue.Hash(webhook), false, d.now()
	if err := d.opts.State.SetChannel(ctx, dest, ch); err != nil {
		return "", fmt.Errorf("recording the channel: %w", err)
	}
	if adopt {
		if err := d.opts.State.Adopt(ctx, queue.Destination(route), dest); err != nil {
			return "", fmt.Errorf("bringing the route's memory into its channel: %w", err)
		}
	}
	if err := d.opts.State.SetRouteChannel(ctx, route, state.RouteChannel{Dest: dest, Webhook: queue.Hash(webhook), Checked: d.now()}); err != nil {
		return "", fmt.Errorf("recording the route's channel: %w", err)
	}
	d.logger.InfoContext(ctx, "the route's channel", slog.String("route", route), slog.String("channel", hook.ChannelID))
	return dest, nil
}

// webhookInfo asks Discord for a webhook's guild and channel once, and
// keeps the answer.
func (d *channels) webhookInfo(ctx context.Context, e Editor, webhook string) (discord.Webhook, error) {
	d.mu.Lock()
	hook, ok := d.hooks[webhook]
	d.mu.Unlock()
	if ok {
		return hook, nil
	}
	hook, err := e.Info(ctx, webhook)
	if err != nil {
		return hook, err
	}
	d.mu.Lock()
	d.hooks[webhook] = hook
	d.mu.Unlock()
	return hook, nil
}

// channelGone records that the webhook posting to dest is gone: the
// channel answers commands "not here" until a webhook posts there again.
func (d *channels) channelGone(ctx context.Context, dest, webhook string) {
	if d.editor == nil {
		return
	}
	d.mu.Lock()
	for k, v := range d.known {
		if v.dest == dest {
			delete(d.known, k)
		}
	}
	d.mu.Unlock()
	ch, found, err := d.opts.State.Channel(ctx, dest)
	if err != nil || !found || ch.Webhook != queue.Hash(webhook) || ch.Gone {
		return
	}
	ch.Gone = true
	if err := d.opts.State.SetChannel(ctx, dest, ch); err != nil {
		d.logger.WarnContext(ctx, "the channel's webhook is gone, and this was not recorded", slog.String("error", err.Error()))
	}
}

// channelResult is the result of a job whose channel could not be learned.
func channelResult(err error) queue.Result {
	kind, hold := discord.Classify(err)
	switch kind {
	case discord.WebhookGone:
		return queue.Result{State: queue.Dead, Gone: true, Err: err}
	case discord.Retryable:
		return queue.Result{State: queue.Retry, Hold: hold, Err: err}
	}
	return queue.Result{State: queue.Retry, Err: err}
}

// placeJobs sets each job's channel (a copy of jobs), and decides the jobs
// that cannot be shown there: those whose channel could not be learned,
// and the digests, reminders and board refreshes made for a channel that
// their route no longer posts to. A job whose route is gone is left to
// Deliver.
func (d *channels) placeJobs(ctx context.Context, sec secrets.Values, jobs []queue.Job, results []queue.Result) ([]queue.Job, []bool) {
	jobs = slices.Clone(jobs)
	decided := make([]bool, len(jobs))
	if d.opts.State == nil {
		return jobs, decided
	}
	type learned struct {
		dest string
		err  error
	}
	byRoute := map[string]learned{}
	for i, j := range jobs {
		webhook, found := sec.Webhook(j.Route)
		if !found && j.Board && j.Channel != "" {
			// The board is the channel's: a route renamed, or another
			// that posts there, shows it.
			route, ok, err := d.routeTo(ctx, sec, j.Channel)
			if err != nil {
				results[i], decided[i] = channelResult(err), true
				continue
			}
			if ok {
				jobs[i].Route, j.Route = route, route
				webhook, found = sec.Webhook(route)
			}
		}
		if !found {
			continue
		}
		l, ok := byRoute[j.Route]
		if !ok {
			l.dest, l.err = d.channel(ctx, j.Route, webhook)
			byRoute[j.Route] = l
			if l.err != nil {
				d.logger.WarnContext(ctx, "the route's channel could not be learned from Discord; its jobs wait", slog.String("route", j.Route),
					slog.String("outcome", channelResult(l.err).State.String()), slog.String("error", l.err.Error()))
			}
		}
		switch {
		case l.err != nil:
			results[i], decided[i] = channelResult(l.err), true
		case j.Channel != "" && j.Channel != l.dest && j.Board:
			results[i], decided[i] = queue.Result{State: queue.Delivered}, true // that channel has no route to show it
		case j.Channel != "" && j.Channel != l.dest:
			results[i], decided[i] = queue.Result{State: queue.Dead, Err: errChannelMoved}, true
		default:
			jobs[i].Channel = l.dest
		}
	}
	return jobs, decided
}

// routeTo is a route that posts to channel (the default first), as the
// routes' recorded channels say; false when none does. err, when no
// route was found, says that some route's channel could not be learned
// now: it may be the one.
func (d *channels) routeTo(ctx context.Context, sec secrets.Values, channel string) (string, bool, error) {
	routes := []string{""}
	for name := range sec.Routes.Webhooks() {
		routes = append(routes, name)
	}
	slices.Sort(routes[1:])
	var failed error
	for _, route := range routes {
		webhook, found := sec.Webhook(route)
		if !found || webhook == "" {
			continue
		}
		dest, err := d.channel(ctx, route, webhook)
		if kind, _ := discord.Classify(err); err != nil && kind != discord.WebhookGone {
			failed = err
		}
		if err == nil && dest == channel {
			return route, true, nil
		}
	}
	return "", false, failed
}
