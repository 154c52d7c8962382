package local

import (
	"context"
	"net/http"
	"sync"

	"clockify-discord-relay/lambda/accept/relay"
	"clockify-discord-relay/lambda/queue"
	"clockify-discord-relay/lambda/state"
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
	ask     http.Handler
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

// asker answers interactions once the store is open, with the asker
// made of its state; nil when they are off.
func (o *opening) asker(build func(st state.Store) http.Handler) http.Handler {
	if build == nil {
		return nil
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if err := o.wait(r.Context()); err != nil {
			relay.Refuse(w, r, http.StatusServiceUnavailable, "the relay's store is not open")
			return
		}
		o.askOnce.Do(func() { o.ask = build(o.store.State) })
		if o.ask == nil {
			relay.Refuse(w, r, http.StatusNotFound, "interactions are off")
			return
		}
		o.ask.ServeHTTP(w, r)
	})
}
