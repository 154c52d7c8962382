package route

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"

	"clockify-discord-relay/lambda/clockify"
)

// Rule sends the events it matches to Webhook, or drops them.
type Rule struct {
	Name  string `json:"name,omitempty"`
	Match Match  `json:"match"`
	// Webhook is a secret, like the default webhook. It may instead be
	// given by the rule's name in ROUTE_WEBHOOKS (WithWebhooks), which
	// only the delivery side reads: the accept half then holds no URL.
	Webhook string `json:"webhook,omitempty"`
	Drop    bool   `json:"drop,omitempty"`
}

// Match lists what a rule looks at. Each field given must match (and);
// within a field, any value may (or). Names compare without regard to case;
// ids compare exactly.
type Match struct {
	Event   []string `json:"event,omitempty"`   // NEW_TIMER_STARTED, ...
	Project []string `json:"project,omitempty"` // project name or id
	Client  []string `json:"client,omitempty"`  // client name or id
	Tag     []string `json:"tag,omitempty"`     // any of the entry's tags, name or id
	User    []string `json:"user,omitempty"`    // user name or id
	Type    []string `json:"type,omitempty"`    // REGULAR, BREAK, ...
}

// Table is an ordered list of rules.
type Table struct {
	rules []Rule
}

// Decision is where an event goes.
type Decision struct {
	Rule    string // the matching rule's name, "" for the default
	Drop    bool
	Webhook string // "" for the default webhook
}

// Parse reads rules from JSON, refusing unknown fields and rules that
// cannot work; checkWebhook (the deliver half's, so that routing need
// not know Discord) refuses a webhook URL that cannot be posted to. Errors
// name the rule, never its webhook URL.
func Parse(data string, checkWebhook func(url string) error) (Table, error) {
	if strings.TrimSpace(data) == "" {
		return Table{}, nil
	}
	var raw []json.RawMessage
	if err := json.Unmarshal([]byte(data), &raw); err != nil {
		return Table{}, fmt.Errorf("routes: not a JSON list of rules: %s", describe(err))
	}
	rules := make([]Rule, len(raw))
	for i, r := range raw {
		dec := json.NewDecoder(bytes.NewReader(r))
		dec.DisallowUnknownFields()
		err := dec.Decode(&rules[i])
		if err != nil {
			err = errors.New(describe(err))
		} else {
			err = rules[i].check(checkWebhook)
		}
		if err != nil {
			return Table{}, fmt.Errorf("routes: rule %d%s: %w", i+1, quoted(rules[i].Name), err)
		}
	}
	// Every rule needs a name of its own: queued deliveries name their
	// webhook by it, so two rules of one name would merge two channels.
	named := map[string]int{} // name, folded → its rule's index
	for i := range rules {
		given := rules[i].Name
		if given == "" {
			rules[i].Name = fmt.Sprintf("rule %d", i+1)
		}
		key := strings.ToLower(strings.TrimSpace(rules[i].Name))
		if j, taken := named[key]; taken {
			return Table{}, fmt.Errorf("routes: rules %d%s and %d%s have the same name %q: give each rule a name of its own",
				j+1, quoted(rules[j].Name), i+1, quoted(given), rules[i].Name)
		}
		named[key] = i
	}
	return Table{rules: rules}, nil
}

// Len is the number of rules.
func (t Table) Len() int { return len(t.rules) }

// Route returns where ev goes.
func (t Table) Route(ev clockify.Event) Decision {
	for _, r := range t.rules {
		if r.Match.matches(ev) {
			return Decision{Rule: r.name(), Drop: r.Drop, Webhook: r.Webhook}
		}
	}
	return Decision{}
}

// Webhooks are the rules that name a webhook, by rule name.
func (t Table) Webhooks() map[string]string {
	out := map[string]string{}
	for _, r := range t.rules {
		if r.Webhook != "" {
			out[r.name()] = r.Webhook
		}
	}
	return out
}

// Webhook is the webhook of the rule with this name, so a queued delivery
// can name its destination without holding the URL, which is a secret.
func (t Table) Webhook(rule string) (string, bool) {
	for _, r := range t.rules {
		if r.name() == rule && r.Webhook != "" {
			return r.Webhook, true
		}
	}
	return "", false
}

func (r Rule) name() string { return r.Name }

func (r Rule) check(checkWebhook func(string) error) error {
	m := r.Match
	if len(m.Event)+len(m.Project)+len(m.Client)+len(m.Tag)+len(m.User)+len(m.Type) == 0 {
		return errors.New("matches nothing: give at least one of event, project, client, tag, user, type")
	}
	switch {
	case r.Drop && r.Webhook != "":
		return errors.New("has both drop and webhook")
	case r.Webhook != "" && checkWebhook != nil:
		if err := checkWebhook(r.Webhook); err != nil {
			return fmt.Errorf("webhook: %w", err)
		}
	}
	for _, e := range m.Event {
		if strings.TrimSpace(e) == "" || strings.ToUpper(e) != e {
			return fmt.Errorf("event %q is not an event name such as TIMER_STOPPED", e)
		}
	}
	return nil
}

func (m Match) matches(ev clockify.Event) bool {
	e := ev.Entry
	if len(m.Event) > 0 && !anyEqual(m.Event, string(ev.Type)) {
		return false
	}
	if len(m.Type) > 0 && !anyEqual(m.Type, string(e.Type)) {
		return false
	}
	if len(m.Project) > 0 && (e.Project == nil || !anyNamed(m.Project, e.Project.ID, e.Project.Name)) {
		return false
	}
	if len(m.Client) > 0 && (e.Project == nil || !anyNamed(m.Client, e.Project.ClientID, e.Project.ClientName)) {
		return false
	}
	if len(m.User) > 0 && (e.User == nil || !anyNamed(m.User, e.User.ID, e.User.Name)) {
		return false
	}
	if len(m.Tag) > 0 {
		found := false
		for _, tag := range e.Tags {
			if anyNamed(m.Tag, tag.ID, tag.Name) {
				found = true
				break
			}
		}
		if !found {
			return false
		}
	}
	return true
}

func anyEqual(values []string, s string) bool {
	for _, v := range values {
		if strings.EqualFold(v, s) {
			return true
		}
	}
	return false
}

// anyNamed matches a value against an id (exactly) or a name (any case).
func anyNamed(values []string, id, name string) bool {
	for _, v := range values {
		if (id != "" && v == id) || (name != "" && strings.EqualFold(strings.TrimSpace(v), strings.TrimSpace(name))) {
			return true
		}
	}
	return false
}

func quoted(name string) string {
	if name == "" {
		return ""
	}
	return fmt.Sprintf(" (%q)", name)
}

// describe names what is wrong in the JSON without echoing it: the input
// may hold webhook URLs.
func describe(err error) string {
	var syntax *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syntax):
		return fmt.Sprintf("invalid JSON at byte %d", syntax.Offset)
	case errors.As(err, &typ):
		return fmt.Sprintf("%s has the wrong type", strings.TrimPrefix(typ.Field, "."))
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		return "unknown field " + strings.TrimPrefix(err.Error(), "json: unknown field ")
	}
	return "invalid JSON"
}

// ParseWebhooks reads the routes' webhooks: a JSON object from rule name
// to webhook URL. Errors name the rule, never its URL.
func ParseWebhooks(data string, checkWebhook func(url string) error) (map[string]string, error) {
	hooks := map[string]string{}
	if strings.TrimSpace(data) == "" {
		return hooks, nil
	}
	if err := json.Unmarshal([]byte(data), &hooks); err != nil {
		return nil, fmt.Errorf("route webhooks: not a JSON object of rule name to webhook URL: %s", describe(err))
	}
	for name, url := range hooks {
		if err := checkWebhook(url); err != nil {
			return nil, fmt.Errorf("route webhooks: rule %q: %w", name, err)
		}
	}
	return hooks, nil
}

// WithWebhooks gives the rules their webhooks by name. A name that is
// no rule, a rule that drops, and a rule that has a webhook of its own
// already, are refused: each is a mistake that would send events
// elsewhere than meant.
func (t Table) WithWebhooks(hooks map[string]string) (Table, error) {
	if len(hooks) == 0 {
		return t, nil
	}
	rules := slices.Clone(t.rules)
	used := 0
	for i, r := range rules {
		url, ok := hooks[r.Name]
		switch {
		case !ok:
			continue
		case r.Drop:
			return Table{}, fmt.Errorf("route webhooks: rule %q drops its events, and has no webhook", r.Name)
		case r.Webhook != "":
			return Table{}, fmt.Errorf("route webhooks: rule %q has a webhook in ROUTES already; keep it in one place", r.Name)
		}
		rules[i].Webhook = url
		used++
	}
	if used < len(hooks) {
		for name := range hooks {
			if !slices.ContainsFunc(rules, func(r Rule) bool { return r.Name == name }) {
				return Table{}, fmt.Errorf("route webhooks: %q names no rule in ROUTES", name)
			}
		}
	}
	return Table{rules: rules}, nil
}

// Complete refuses a rule that neither drops nor has a webhook: the
// delivery side, which has them all, checks it.
func (t Table) Complete() error {
	for i, r := range t.rules {
		if !r.Drop && r.Webhook == "" {
			return fmt.Errorf("routes: rule %d%s needs a webhook (in ROUTE_WEBHOOKS, by its name) or drop: true", i+1, quoted(r.Name))
		}
	}
	return nil
}

// HoldsURLs reports whether a rule keeps its webhook URL in the rules
// themselves, which the accept half reads too.
func (t Table) HoldsURLs() bool {
	return slices.ContainsFunc(t.rules, func(r Rule) bool { return r.Webhook != "" })
}
