package deployment_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	awsdynamodb "github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/sivchari/kumo"

	"clockify-discord-relay/lambda/clockify"
	"clockify-discord-relay/lambda/deliver"
	"clockify-discord-relay/lambda/discord"
	"clockify-discord-relay/lambda/discord/discordtest"
	"clockify-discord-relay/lambda/message"
	"clockify-discord-relay/lambda/queue"
	"clockify-discord-relay/lambda/secrets"
	"clockify-discord-relay/lambda/store/dynamodb"
	"clockify-discord-relay/lambda/store/dynamodb/dynamodbtest"
)

// calls records, in order, each request to DynamoDB and to Discord.
type calls struct {
	mu  sync.Mutex
	all []string // "dynamodb GetItem", "discord PATCH", …
}

func (c *calls) add(s string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.all = append(c.all, s)
}

func (c *calls) take() []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	out := c.all
	c.all = nil
	return out
}

// recorded is a transport that notes each request before it goes.
type recorded struct {
	next http.RoundTripper
	note func(*http.Request) string
	c    *calls
}

func (r recorded) RoundTrip(req *http.Request) (*http.Response, error) {
	r.c.add(r.note(req))
	return r.next.RoundTrip(req)
}

// visits merges the calls in a row to one service: a round trip out of
// the deliver half and back.
func visits(all []string) []string {
	var out []string
	for _, c := range all {
		service, _, _ := strings.Cut(c, " ")
		if len(out) == 0 || out[len(out)-1] != service {
			out = append(out, service)
		}
	}
	return out
}

// TestOneStopsRoundTrips: a timer's stop, delivered in a channel that is
// warm (its start shown, its board posted), leaves the deliver half five
// times, never twice in a row for one service: to the state table (the
// journal, the message that announced the start, then "sending"), to
// Discord (the stop), to the table ("shown", the ledger, the timers, the
// board marked as being edited), to Discord (the board's edit), and to
// the table (the board as shown). The real adapter on kumo, and the
// stand-in Discord.
func TestOneStopsRoundTrips(t *testing.T) {
	log := &calls{}
	srv := kumo.NewServer()
	t.Cleanup(srv.Close)
	name := dynamodbtest.CreateTable(t, srv.URL)
	dbHTTP := &http.Client{Transport: recorded{next: http.DefaultTransport, c: log, note: func(r *http.Request) string {
		_, op, _ := strings.Cut(r.Header.Get("X-Amz-Target"), ".")
		return "dynamodb " + op
	}}}
	db := dynamodbtest.Client(srv.URL)
	db = awsdynamodb.New(db.Options(), func(o *awsdynamodb.Options) { o.HTTPClient = dbHTTP })
	table := dynamodb.New(func(context.Context) (*awsdynamodb.Client, error) { return db, nil }, name)

	dc := discordtest.NewServer(t)
	sender := discord.NewClient(&http.Client{Transport: recorded{next: http.DefaultTransport, c: log, note: func(r *http.Request) string {
		return "discord " + r.Method
	}}})
	ja, _ := message.LanguageFor("ja")
	d := deliver.New(secrets.Static{DiscordWebhookURL: dc.WebhookURL()}, sender, slog.New(slog.NewTextHandler(io.Discard, nil)),
		deliver.Options{Language: ja, Style: message.StyleEmbed, State: table.State, Journal: table.Journal, Board: true})

	start := time.Now().Add(-time.Hour).Truncate(time.Second)
	entry := clockify.TimeEntry{ID: "entry-a", Description: "design", User: &clockify.User{Name: "Ada"},
		TimeInterval: clockify.TimeInterval{Start: start}, CurrentlyRunning: true}
	deliverOne := func(ev clockify.Event) {
		t.Helper()
		rs := d.Deliver(context.Background(), []queue.Job{queue.NewJob(ev, "", "", time.Now())})
		if len(rs) != 1 || rs[0].State != queue.Delivered {
			t.Fatalf("%s: %+v", ev.Type, rs)
		}
	}
	deliverOne(clockify.Event{Type: clockify.NewTimerStarted, Entry: entry})
	log.take()

	end := start.Add(50 * time.Minute)
	entry.CurrentlyRunning, entry.TimeInterval.End = false, &end
	deliverOne(clockify.Event{Type: clockify.TimerStopped, Entry: entry})
	all := log.take()
	t.Logf("the stop's requests, in order:\n%s", strings.Join(all, "\n"))

	got := strings.Join(visits(all), " → ")
	want := "dynamodb → discord → dynamodb → discord → dynamodb"
	if got != want {
		t.Errorf("the stop went out as\n  %s\nwant\n  %s", got, want)
	}
	if posts := len(dc.Received()); posts != 3 {
		t.Errorf("%d messages posted (the start, the board, the stop), want 3", posts)
	}
	if edits := len(dc.Edits()); edits != 1 {
		t.Errorf("%d edits, want the board's one", edits)
	}
	// Five requests in all, the webhook's bucket: none waited for it.
	if n := dc.RateLimited(); n != 0 {
		t.Errorf("%d requests answered 429", n)
	}
}
