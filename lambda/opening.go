package main

import (
	"context"
	"net/http"
	"sync"

	"clockify-discord-relay/lambda/accept/relay"
	"clockify-discord-relay/lambda/queue"
	"clockify-discord-relay/lambda/store/localstore"
)

// opening is local mode's queue while its store opens: the port listens
// from the start, and a request that comes first waits for the store
// rather than for the process.
type opening struct {
	done  chan struct{}
	queue *localstore.Queue
	store *localstore.Store
	err   error

	askOnce sync.Once
	ask     relay.Asker
}

var _ queue.Queue = (*opening)(nil)

func newOpening() *opening { return &opening{done: make(chan struct{})} }

// opened hands over the store and its queue, or why there is none.
func (o *opening) opened(store *localstore.Store, q *localstore.Queue, err error) {
	o.store, o.queue, o.err = store, q, err
	close(o.done)
}

func (o *opening) wait(ctx context.Context) error {
	select {
	case <-o.done:
		return o.err
	case <-ctx.Done():
		return ctx.Err()
	}
}

// Enqueue stores the job once the store is open.
func (o *opening) Enqueue(ctx context.Context, job queue.Job) (queue.Receipt, error) {
	if err := o.wait(ctx); err != nil {
		return queue.Receipt{}, &queue.NotStoredError{Err: err}
	}
	return o.queue.Enqueue(ctx, job)
}

// asker answers interactions once the store is open; nil when w has none
// configured.
func (o *opening) asker(w *wiring) relay.Asker {
	if !w.s.InteractionsConfigured() {
		return nil
	}
	return askWhenOpen{o, w}
}

type askWhenOpen struct {
	o *opening
	w *wiring
}

func (a askWhenOpen) Handle(ctx context.Context, header http.Header, body []byte) (int, []byte) {
	if err := a.o.wait(ctx); err != nil {
		return http.StatusServiceUnavailable, []byte(`{"error":"the relay's store is not open"}`)
	}
	a.o.askOnce.Do(func() { a.o.ask = a.w.localAsker(a.o.store.State) })
	return a.o.ask.Handle(ctx, header, body)
}
