package discord

import (
	"context"
	"io"
	"sync"
)

// Printer stands in for Discord when no webhook is configured: it writes
// each message, exactly as it would be sent, as one line of JSON.
type Printer struct {
	mu sync.Mutex
	w  io.Writer
}

// NewPrinter returns a Printer that writes to w.
func NewPrinter(w io.Writer) *Printer { return &Printer{w: w} }

// Send prints msg and ignores the URL, which is empty. Files are listed
// in the message's attachments, not printed.
func (p *Printer) Send(_ context.Context, _ string, msg Message) (Delivery, error) {
	body, err := encodePayload(msg)
	if err != nil {
		return Delivery{}, err
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	_, err = p.w.Write(append(body, '\n'))
	return Delivery{Attempts: 1}, err
}
