package route_test

import (
	"strings"
	"testing"

	"clockify-discord-relay/lambda/clockify"
	"clockify-discord-relay/lambda/discord"
	"clockify-discord-relay/lambda/route"
)

const routes = `[
  {"name": "no breaks", "match": {"type": ["BREAK"]}, "drop": true},
  {"name": "quiet bot", "match": {"user": ["Build Bot"]}, "drop": true},
  {"name": "acme", "match": {"client": ["acme"]}, "webhook": "https://discord.com/api/webhooks/1/acme-token"},
  {"name": "website stops", "match": {"project": ["p-web"], "event": ["TIMER_STOPPED"]}, "webhook": "https://discord.com/api/webhooks/2/web-token"},
  {"name": "urgent", "match": {"tag": ["Urgent", "t-fire"]}, "webhook": "https://discord.com/api/webhooks/3/urgent-token"},
  {"match": {"event": ["TIME_ENTRY_DELETED", "TIME_ENTRY_UPDATED"]}, "drop": true}
]`

func ev(event clockify.EventType, opts ...func(*clockify.TimeEntry)) clockify.Event {
	e := clockify.TimeEntry{
		ID:      "e1",
		Type:    clockify.EntryRegular,
		Project: &clockify.Project{ID: "p-web", Name: "Website", ClientID: "c-1", ClientName: "Globex"},
		User:    &clockify.User{ID: "u-1", Name: "Ada"},
	}
	for _, o := range opts {
		o(&e)
	}
	return clockify.Event{Type: event, Entry: e}
}

func TestRoute(t *testing.T) {
	table, err := route.Parse(routes, discord.CheckWebhookURL)
	if err != nil {
		t.Fatal(err)
	}
	brk := func(e *clockify.TimeEntry) { e.Type = clockify.EntryBreak }
	bot := func(e *clockify.TimeEntry) { e.User.Name = "build bot" }
	acme := func(e *clockify.TimeEntry) { e.Project.ClientName = "ACME" }
	noProject := func(e *clockify.TimeEntry) { e.Project = nil }
	noUser := func(e *clockify.TimeEntry) { e.User = nil }
	tags := func(names ...string) func(*clockify.TimeEntry) {
		return func(e *clockify.TimeEntry) {
			for i, n := range names {
				e.Tags = append(e.Tags, clockify.Tag{ID: "t-" + string(rune('a'+i)), Name: n})
			}
		}
	}
	fire := func(e *clockify.TimeEntry) { e.Tags = []clockify.Tag{{ID: "t-fire", Name: "Fire"}} }
	tests := []struct {
		name string
		ev   clockify.Event
		want route.Decision
	}{
		{"break dropped", ev(clockify.NewTimerStarted, brk, acme), route.Decision{Rule: "no breaks", Drop: true}},
		{"user by name, any case", ev(clockify.NewTimerStarted, bot, acme), route.Decision{Rule: "quiet bot", Drop: true}},
		{"client by name", ev(clockify.NewTimerStarted, acme), route.Decision{Rule: "acme", Webhook: "https://discord.com/api/webhooks/1/acme-token"}},
		{"project by id and event", ev(clockify.TimerStopped), route.Decision{Rule: "website stops", Webhook: "https://discord.com/api/webhooks/2/web-token"}},
		{"project, other event: default", ev(clockify.NewTimerStarted), route.Decision{}},
		{"tag by name", ev(clockify.NewTimerStarted, tags("backend", "urgent")), route.Decision{Rule: "urgent", Webhook: "https://discord.com/api/webhooks/3/urgent-token"}},
		{"tag by id", ev(clockify.NewTimerStarted, fire), route.Decision{Rule: "urgent", Webhook: "https://discord.com/api/webhooks/3/urgent-token"}},
		{"event only, unnamed", ev(clockify.TimeEntryDeleted), route.Decision{Rule: "rule 6", Drop: true}},
		{"no project, no user: default", ev(clockify.NewTimerStarted, noProject, noUser), route.Decision{}},
		{"first match wins", ev(clockify.TimerStopped, acme, brk), route.Decision{Rule: "no breaks", Drop: true}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := table.Route(tt.ev); got != tt.want {
				t.Errorf("Route = %+v, want %+v", got, tt.want)
			}
		})
	}
}

func TestEmptyTableRoutesToDefault(t *testing.T) {
	for _, s := range []string{"", "  ", "[]"} {
		table, err := route.Parse(s, discord.CheckWebhookURL)
		if err != nil || table.Len() != 0 {
			t.Fatalf("Parse(%q) = %d rules, %v", s, table.Len(), err)
		}
		if d := table.Route(ev(clockify.NewTimerStarted)); d != (route.Decision{}) {
			t.Errorf("Route = %+v", d)
		}
	}
}

func TestParseRefusesBadRules(t *testing.T) {
	tests := []struct{ json, want string }{
		{`{"match":{}}`, "routes: not a JSON list of rules"},
		{`[{"name":"x","match":{"event":["TIMER_STOPPED"]}, "webhook":"https://discord.com/api/webhooks/1/secret-tok"},]`, "routes: not a JSON list of rules: invalid JSON"},
		{`[{"name":"typo","match":{"projct":["Website"]},"drop":true}]`, `routes: rule 1 ("typo"): unknown field "projct"`},
		{`[{"match":{"project":"Website"},"drop":true}]`, "routes: rule 1: match.project has the wrong type"},
		{`[{"name":"empty","match":{},"drop":true}]`, `routes: rule 1 ("empty"): matches nothing`},
		{`[{"match":{"user":["a"]},"drop":true},{"name":"both","match":{"user":["b"]},"drop":true,"webhook":"https://discord.com/api/webhooks/1/secret-tok"}]`, `routes: rule 2 ("both"): has both drop and webhook`},
		{`[{"name":"http","match":{"user":["b"]},"webhook":"http://discord.com/api/webhooks/1/secret-tok"}]`, `routes: rule 1 ("http"): webhook: discord: the webhook URL must be https`},
		{`[{"name":"case","match":{"event":["timer_stopped"]},"drop":true}]`, `routes: rule 1 ("case"): event "timer_stopped" is not an event name`},
		{`[{"name":"web","match":{"user":["a"]},"drop":true},{"name":"ops","match":{"user":["b"]},"drop":true},{"name":" Web","match":{"user":["c"]},"drop":true}]`,
			`routes: rules 1 ("web") and 3 (" Web") have the same name " Web": give each rule a name of its own`},
		{`[{"name":"rule 2","match":{"user":["a"]},"drop":true},{"match":{"user":["b"]},"drop":true}]`,
			`routes: rules 1 ("rule 2") and 2 have the same name "rule 2"`},
	}
	for _, tt := range tests {
		_, err := route.Parse(tt.json, discord.CheckWebhookURL)
		if err == nil || !strings.HasPrefix(err.Error(), tt.want) {
			t.Errorf("Parse(%s)\n err %v\nwant %s…", tt.json, err, tt.want)
		}
		if err != nil && strings.Contains(err.Error(), "secret-tok") {
			t.Errorf("error leaks a webhook URL: %v", err)
		}
	}
}

func TestWebhookByRuleName(t *testing.T) {
	table, err := route.Parse(routes, discord.CheckWebhookURL)
	if err != nil {
		t.Fatal(err)
	}
	if url, ok := table.Webhook("urgent"); !ok || url != "https://discord.com/api/webhooks/3/urgent-token" {
		t.Errorf("urgent: %q %v", url, ok)
	}
	for _, name := range []string{"no breaks", "rule 6", "gone", ""} {
		if url, ok := table.Webhook(name); ok {
			t.Errorf("%q has webhook %q", name, url)
		}
	}
}

// TestWebhooksByName: the rules may name no URL, and the delivery side
// gives them their webhooks by rule name; a name that is no rule, a rule
// that drops or has a webhook already, and a rule left without one, are
// refused, naming the rule and never its URL.
func TestWebhooksByName(t *testing.T) {
	const rules = `[{"name":"web","match":{"project":["Website"]}},{"name":"quiet","match":{"user":["bot"]},"drop":true},` +
		`{"name":"ops","match":{"project":["Ops"]},"webhook":"https://discord.com/api/webhooks/3/secret-ops"}]`
	table, err := route.Parse(rules, discord.CheckWebhookURL)
	if err != nil {
		t.Fatal(err)
	}
	if err := table.Complete(); err == nil || !strings.Contains(err.Error(), `rule 1 ("web") needs a webhook`) {
		t.Errorf("a rule without a webhook: %v", err)
	}
	hooks, err := route.ParseWebhooks(`{"web":"https://discord.com/api/webhooks/1/secret-web"}`, discord.CheckWebhookURL)
	if err != nil {
		t.Fatal(err)
	}
	full, err := table.WithWebhooks(hooks)
	if err != nil || full.Complete() != nil {
		t.Fatalf("with its webhooks: %v, %v", err, full.Complete())
	}
	if url, ok := full.Webhook("web"); !ok || url != hooks["web"] {
		t.Errorf("web's webhook %q, %v", url, ok)
	}
	if _, ok := table.Webhook("web"); ok {
		t.Error("WithWebhooks changed the table it was given")
	}
	for _, tt := range []struct{ hooks, want string }{
		{`{"wbe":"https://discord.com/api/webhooks/1/secret-a"}`, `"wbe" names no rule`},
		{`{"quiet":"https://discord.com/api/webhooks/1/secret-a"}`, `rule "quiet" drops`},
		{`{"ops":"https://discord.com/api/webhooks/1/secret-a"}`, `rule "ops" has a webhook in ROUTES already`},
		{`{"web":"http://discord.com/api/webhooks/1/secret-a"}`, `rule "web": discord: the webhook URL must be https`},
		{`["https://discord.com/api/webhooks/1/secret-a"]`, `not a JSON object`},
	} {
		h, err := route.ParseWebhooks(tt.hooks, discord.CheckWebhookURL)
		if err == nil {
			_, err = table.WithWebhooks(h)
		}
		if err == nil || !strings.Contains(err.Error(), tt.want) || strings.Contains(err.Error(), "secret") {
			t.Errorf("%s: %v, want …%s…", tt.hooks, err, tt.want)
		}
	}
	if !table.HoldsURLs() {
		t.Error("a rule with its URL in ROUTES is not seen")
	}
	if onlyNames, _ := route.Parse(`[{"name":"web","match":{"project":["Website"]}}]`, discord.CheckWebhookURL); onlyNames.HoldsURLs() {
		t.Error("rules without URLs hold URLs")
	}
}
