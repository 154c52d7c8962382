package main

import (
	"bytes"
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

	"clockify-discord-relay/lambda/samples"
)

func main() {
	err := run(os.Args[1:], os.Stdout, time.Now())
	if errors.Is(err, flag.ErrHelp) {
		return // the usage was printed
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "send:", err)
		os.Exit(1)
	}
}

// lastFile keeps the last delivery sent, for -again.
var lastFile = filepath.Join(os.TempDir(), "clockify-discord-relay-last-send.json")

type delivery struct {
	Headers map[string]string `json:"headers"`
	Body    string            `json:"body"`
	Sent    time.Time         `json:"sent"` // when it was first sent
}

const usage = `usage: make send [EVENT=events/<file>.json] [AGAIN=1] [URL=…] [SECRET=…]
       go run ./lambda/cmd/send [-url URL] EVENT_FILE | -again

Posts a sample Clockify delivery to the local relay as a new event: a new
entry id, its times moved to now, so each send shows a message. -again
(AGAIN=1) resends the last delivery exactly: a redelivery, which the relay
drops as a duplicate. Signed with the samples' secret when the file is.

Flags:
`

func run(args []string, stdout io.Writer, now time.Time) error {
	fs := flag.NewFlagSet("send", flag.ContinueOnError)
	url := fs.String("url", "http://127.0.0.1:8080/clockify", "where the relay listens")
	again := fs.Bool("again", false, "send the last delivery again, exactly (a redelivery: the relay answers duplicate)")
	secret := fs.String("secret", "", "sign with this secret instead of the samples' (SECRET=): the deployed relay's webhook secret for the event")
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
		if d, err = fresh(fs.Arg(0), now); err != nil {
			return err
		}
		d.Sent = now
		if *secret != "" {
			d.Headers["Clockify-Signature"] = *secret
		}
	default:
		return errors.New("usage: send [-url URL] EVENT_FILE | send -again")
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
		return fmt.Errorf("%w (is the relay running? make run)", err)
	}
	defer resp.Body.Close()
	answer, _ := io.ReadAll(resp.Body)
	fmt.Fprintf(stdout, "%d %s\n", resp.StatusCode, bytes.TrimSpace(answer))
	if bytes.Contains(answer, []byte(`"duplicate"`)) {
		fmt.Fprintf(stdout, "duplicate: the relay took this very delivery at %s (a redelivery), so it posts nothing; make send without AGAIN=1 (-again) sends a new event\n",
			d.Sent.Local().Format("15:04:05"))
	}
	return nil
}

// fresh is the sample's delivery as a new event: a new entry id, and its
// times moved so that it happens now.
func fresh(file string, now time.Time) (delivery, error) {
	ev, err := samples.Moved(file, now)
	if err != nil {
		return delivery{}, err
	}
	var body map[string]any
	if err := json.Unmarshal([]byte(ev.Body), &body); err != nil {
		return delivery{}, fmt.Errorf("%s: the body is not JSON", file)
	}
	id := make([]byte, 12)
	_, _ = rand.Read(id)
	body["id"] = hex.EncodeToString(id)
	out, _ := json.Marshal(body)
	headers := map[string]string{}
	for _, h := range []string{"Clockify-Webhook-Event-Type", "Clockify-Signature"} {
		for k, v := range ev.Headers {
			if http.CanonicalHeaderKey(k) == h {
				headers[h] = v
			}
		}
	}
	return delivery{Headers: headers, Body: string(out)}, nil
}
