package interactions

import (
	"context"
	"encoding/json"
	"slices"
	"sort"
	"strings"
	"time"
	"unicode/utf8"

	"clockify-discord-relay/lambda/discord"
	"clockify-discord-relay/lambda/message"
	"clockify-discord-relay/lambda/schedule/digest/report"
	"clockify-discord-relay/lambda/state"
	"clockify-discord-relay/lambda/summary"
)

// text is a plain answer.
func text(s string, ephemeral bool) Answer {
	return say(discord.Message{Content: s}, ephemeral)
}

// working is the board of the channel's destinations, shown to the
// channel.
func (h *Handler) working(ctx context.Context, dests []string, lang message.Language, w words) (Answer, error) {
	now := h.opts.Now()
	var running []state.Session
	for _, d := range dests {
		rs, err := h.state.Running(ctx, d, now)
		if err != nil {
			return Answer{}, err
		}
		running = append(running, rs...)
	}
	if len(running) == 0 {
		return text(w.noneRunning, false), nil
	}
	sort.SliceStable(running, func(i, j int) bool { return running[i].Start.Before(running[j].Start) })
	return h.sayUserText(message.Board(running, lang), false), nil
}

// sayUserText answers with a message that shows users' text: its links
// defanged unless LINKS=allow, as the board and digests in the channel.
func (h *Handler) sayUserText(msg discord.Message, ephemeral bool) Answer {
	if !h.opts.AllowLinks {
		msg.Defang()
	}
	return say(msg, ephemeral)
}

// hours is the period's hours per person from the ledger, as a digest
// shows them; ephemeral unless public.
func (h *Handler) hours(ctx context.Context, opts []Option, dests []string, lang message.Language, w words) (Answer, error) {
	period, who, public := PeriodToday, "", false
	for _, o := range opts {
		switch o.Name {
		case optionPeriod:
			_ = json.Unmarshal(o.Value, &period)
		case optionUser:
			_ = json.Unmarshal(o.Value, &who)
		case optionPublic:
			_ = json.Unmarshal(o.Value, &public)
		}
	}
	now := h.opts.Now()
	p, ok := periodOf(period, now.In(h.opts.Zone))
	if !ok {
		return text(w.unknown, true), nil
	}
	entries, err := h.ledger(ctx, dests, p.Start, p.End, now)
	if err != nil {
		return Answer{}, err
	}
	if who = strings.TrimSpace(who); who != "" {
		// Autocomplete's value is the Clockify user id; a name typed
		// without it matches whole.
		entries = slices.DeleteFunc(entries, func(e state.LedgerEntry) bool {
			return e.UserID != who && !strings.EqualFold(strings.TrimSpace(e.User), who)
		})
	}
	s := summary.Build(entries, p, now)
	if s.Total == 0 {
		return text(w.nothing, !public), nil
	}
	return h.sayUserText(report.Hours(s, lang), !public), nil
}

// periodOf is the named period around now.
func periodOf(name string, now time.Time) (summary.Period, bool) {
	switch name {
	case PeriodToday:
		return summary.DayOf(now), true
	case PeriodYesterday:
		return summary.DayOf(now.AddDate(0, 0, -1)), true
	case PeriodWeek:
		return summary.WeekOf(now), true
	case PeriodLastWeek:
		return summary.WeekOf(now.AddDate(0, 0, -7)), true
	}
	return summary.Period{}, false
}

func (h *Handler) ledger(ctx context.Context, dests []string, from, to, now time.Time) ([]state.LedgerEntry, error) {
	var out []state.LedgerEntry
	for _, d := range dests {
		es, err := h.state.LedgerOf(ctx, d, from, to, now)
		if err != nil {
			return nil, err
		}
		out = append(out, es...)
	}
	return out, nil
}

// suggestFor is how far back autocomplete looks for names.
const suggestFor = 35 * 24 * time.Hour

// suggest answers autocomplete: the names in the channel's ledger that
// contain what was typed. A choice's value is the user's id, which /hours
// matches: a name cut to Discord's 100 characters would match nobody.
func (h *Handler) suggest(ctx context.Context, in Interaction, dests []string) Answer {
	typed := ""
	for _, o := range in.Data.Options {
		if o.Focused {
			_ = json.Unmarshal(o.Value, &typed)
		}
	}
	typed = strings.ToLower(strings.TrimSpace(typed))
	now := h.opts.Now()
	entries, err := h.ledger(ctx, dests, now.Add(-suggestFor), now, now)
	choices := []Choice{}
	if err == nil {
		seen := map[string]bool{}
		for _, e := range entries {
			if e.User == "" || seen[e.User] || !strings.Contains(strings.ToLower(e.User), typed) {
				continue
			}
			seen[e.User] = true
			value := e.UserID
			if value == "" {
				if utf8.RuneCountInString(e.User) > MaxChoiceRunes {
					continue // no id, and a name too long to be a value
				}
				value = e.User
			}
			choices = append(choices, Choice{Name: discord.Truncate(e.User, MaxChoiceRunes), Value: value})
		}
	}
	slices.SortFunc(choices, func(a, b Choice) int { return strings.Compare(a.Name, b.Name) })
	return Answer{Type: AnswerAutocomplete, Data: map[string]any{"choices": choices[:min(len(choices), MaxChoices)]}}
}
