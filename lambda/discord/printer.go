package discord

import (
	"context"
	"fmt"
	"io"
	"strconv"
	"sync"
)

// Printer stands in for Discord when no webhook is configured: it writes
// each message, exactly as it would be sent, as one line of JSON. It also
// stands in for a channel, so that the relay keeps its memory and its
// board locally: a post names its message ("id"), an edit says which it
// changes ("edit"), a delete is a line of its own.
type Printer struct {
	mu    sync.Mutex
	w     io.Writer
	posts int
}

// PrintedChannel is the channel id the Printer stands for.
const PrintedChannel = "stdout"

// NewPrinter returns a Printer that writes to w.
func NewPrinter(w io.Writer) *Printer { return &Printer{w: w} }

// Send prints msg and ignores the URL, which is empty. Files are listed
// in the message's attachments, not printed.
func (p *Printer) Send(_ context.Context, _ string, msg Message) (Delivery, error) {
	return Delivery{Attempts: 1}, p.print("", "", msg)
}

// Post prints msg with the id it would have.
func (p *Printer) Post(_ context.Context, _ string, msg Message) (Posted, Delivery, error) {
	p.mu.Lock()
	p.posts++
	id := "printed-" + strconv.Itoa(p.posts)
	p.mu.Unlock()
	return Posted{ID: id, ChannelID: PrintedChannel}, Delivery{Attempts: 1}, p.print("id", id, msg)
}

// Edit prints msg as the new text of message id.
func (p *Printer) Edit(_ context.Context, _, id string, msg Message) (Delivery, error) {
	return Delivery{Attempts: 1}, p.print("edit", id, msg)
}

// Info names the printed channel.
func (p *Printer) Info(context.Context, string) (Webhook, error) {
	return Webhook{ID: "printer", GuildID: "local", ChannelID: PrintedChannel}, nil
}

// Delete prints that message id would go.
func (p *Printer) Delete(_ context.Context, _, id string) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	_, err := fmt.Fprintf(p.w, "{\"delete\":%q}\n", id)
	return err
}

// print writes msg as one line, with field set to id first when field is
// not empty.
func (p *Printer) print(field, id string, msg Message) error {
	body, err := encodePayload(msg)
	if err != nil {
		return err
	}
	if field != "" && len(body) > 1 {
		sep := ","
		if string(body) == "{}" {
			sep = ""
		}
		body = append([]byte(fmt.Sprintf("{%q:%q%s", field, id, sep)), body[1:]...)
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	_, err = p.w.Write(append(body, '\n'))
	return err
}
