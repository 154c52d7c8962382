package main

import (
	"bytes"
	"cmp"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"time"

	"clockify-discord-relay/lambda/internal/testkit/samples"
)

func main() {
	err := run(os.Args[1:], os.Getenv, os.Stdout, time.Now())
	if errors.Is(err, flag.ErrHelp) {
		return // the usage was printed
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "send:", err)
		os.Exit(1)
	}
}

// lastFile keeps the last delivery sent, for -again; startFile, the last
// start sent, which a later stop, update or delete ends.
var (
	lastFile  = filepath.Join(os.TempDir(), "clockify-discord-relay-last-send.json")
	startFile = filepath.Join(os.TempDir(), "clockify-discord-relay-last-start.json")
)

type delivery struct {
	Headers map[string]string `json:"headers"`
	Body    string            `json:"body"`
	Sent    time.Time         `json:"sent"` // when it was first sent
}

const usage = `usage: make send [EVENT=events/<file>.json] [NEW=1] [AGAIN=1] [URL=…]
       go run ./lambda/cmd/send [-url URL] [-new] EVENT_FILE | -again

Posts a sample Clockify delivery to the local relay (127.0.0.1:$PORT,
8080 by default) as a new event, its times moved to now. A start begins a
new entry; a stop, update or delete then ends or changes the entry the
last start began (its id, times that follow it), unless -new (NEW=1).
-again (AGAIN=1) resends the last delivery exactly: a redelivery, which
the relay drops as a duplicate. It is signed with the samples' secret, or
with CLOCKIFY_SIGNING_SECRET from the environment (never an argument: it
would show in ps). It fails unless the relay answers queued or duplicate.

Flags:
`

func run(args []string, getenv func(string) string, stdout io.Writer, now time.Time) error {
	fs := flag.NewFlagSet("send", flag.ContinueOnError)
	port := cmp.Or(getenv("PORT"), "8080")
	url := fs.String("url", "http://127.0.0.1:"+port+"/clockify", "where the relay listens (URL=)")
	again := fs.Bool("again", false, "send the last delivery again, exactly (a redelivery: the relay answers duplicate)")
	isNew := fs.Bool("new", false, "a stop, update or delete of a new entry, not of the last start's (NEW=1)")
	fs.SetOutput(stdout)
	fs.Usage = func() { fmt.Fprint(stdout, usage); fs.PrintDefaults() }
	if len(args) == 1 && args[0] == "help" {
		fs.Usage()
		return flag.ErrHelp
	}
	if err := fs.Parse(args); err != nil {
		return err
	}
	var d delivery
	switch {
	case *again:
		raw, err := os.ReadFile(lastFile)
		if err != nil {
			return errors.New("nothing was sent yet: send an event first")
		}
		if err := json.Unmarshal(raw, &d); err != nil {
			return err
		}
	case fs.NArg() == 1:
		var err error
		if d, err = fresh(fs.Arg(0), now, !*isNew); err != nil {
			return err
		}
		d.Sent = now
		if secret := getenv("CLOCKIFY_SIGNING_SECRET"); secret != "" {
			d.Headers["Clockify-Signature"] = secret
		}
	default:
		return errors.New("usage: send [-url URL] [-new] EVENT_FILE | send -again")
	}
	raw, _ := json.Marshal(d)
	_ = os.WriteFile(lastFile, raw, 0o600)
	req, err := http.NewRequest(http.MethodPost, *url, bytes.NewReader([]byte(d.Body)))
	if err != nil {
		return err
	}
	for k, v := range d.Headers {
		req.Header.Set(k, v)
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return fmt.Errorf("%w (is the relay running? make run; another port: PORT=… make send, or URL=…)", err)
	}
	defer resp.Body.Close()
	answer, _ := io.ReadAll(resp.Body)
	fmt.Fprintf(stdout, "%d %s\n", resp.StatusCode, bytes.TrimSpace(answer))
	var status struct{ Status string }
	_ = json.Unmarshal(answer, &status)
	switch {
	case resp.StatusCode != http.StatusOK:
		return fmt.Errorf("the relay answered %d, not queued", resp.StatusCode)
	case status.Status == "duplicate":
		fmt.Fprintf(stdout, "duplicate: the relay took this very delivery at %s (a redelivery), so it posts nothing; make send without AGAIN=1 (-again) sends a new event\n",
			d.Sent.Local().Format("15:04:05"))
	case status.Status != "queued":
		return fmt.Errorf("the relay answered %q, not queued", status.Status)
	}
	return nil
}

// fresh is the sample's delivery as a new event, its times moved so that
// it happens now: a start gets a new entry id, and is remembered; with
// follow, any other event gets the last start's id and start, so that it
// ends or changes that entry. Without a start to follow, it is a new
// entry too.
func fresh(file string, now time.Time, follow bool) (delivery, error) {
	ev, err := samples.Moved(file, now)
	if err != nil {
		return delivery{}, err
	}
	var body map[string]any
	if err := json.Unmarshal([]byte(ev.Body), &body); err != nil {
		return delivery{}, fmt.Errorf("%s: the body is not JSON", file)
	}
	headers := map[string]string{}
	for _, h := range []string{"Clockify-Webhook-Event-Type", "Clockify-Signature"} {
		for k, v := range ev.Headers {
			if http.CanonicalHeaderKey(k) == h {
				headers[h] = v
			}
		}
	}
	ti, _ := body["timeInterval"].(map[string]any)
	running := ti != nil && ti["end"] == nil
	var last start
	switch raw, err := os.ReadFile(startFile); {
	case running:
		id := make([]byte, 12)
		_, _ = rand.Read(id)
		body["id"] = hex.EncodeToString(id)
		st, _ := time.Parse(time.RFC3339, fmt.Sprint(ti["start"]))
		if raw, err := json.Marshal(start{ID: body["id"].(string), Start: st}); err == nil {
			_ = os.WriteFile(startFile, raw, 0o600)
		}
	case follow && err == nil && json.Unmarshal(raw, &last) == nil && last.ID != "":
		body["id"] = last.ID
		if ti != nil {
			ti["start"] = last.Start.UTC().Format(time.RFC3339)
			if ti["end"] != nil {
				end := now
				if !end.After(last.Start) {
					end = last.Start.Add(time.Second)
				}
				ti["end"] = end.UTC().Format(time.RFC3339)
				ti["duration"] = isoDuration(end.Sub(last.Start))
			}
		}
	default:
		id := make([]byte, 12)
		_, _ = rand.Read(id)
		body["id"] = hex.EncodeToString(id)
	}
	out, _ := json.Marshal(body)
	return delivery{Headers: headers, Body: string(out)}, nil
}

// start is the last start sent: its entry and when it began.
type start struct {
	ID    string    `json:"id"`
	Start time.Time `json:"start"`
}

// isoDuration writes d as Clockify does: PT1H2M3S.
func isoDuration(d time.Duration) string {
	d = d.Round(time.Second)
	h, m, s := int(d.Hours()), int(d.Minutes())%60, int(d.Seconds())%60
	return fmt.Sprintf("PT%dH%dM%dS", h, m, s)
}
