package local

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strconv"
	"syscall"
	"time"

	"clockify-discord-relay/lambda/accept/relay"
	"clockify-discord-relay/lambda/queue"
	"clockify-discord-relay/lambda/schedule"
	"clockify-discord-relay/lambda/state"
	"clockify-discord-relay/lambda/store/choice"
	"clockify-discord-relay/lambda/store/localstore"
)

// Relay is what local mode runs, each half built by main.
type Relay struct {
	Port    int
	DataDir string
	Logger  *slog.Logger
	// Start are the start line's attributes: what is on, where messages go.
	Start []any
	// Front is the accept half's HTTP handler, enqueueing into q and
	// answering interactions with ask (nil: off), behind ThisMachine.
	Front func(q queue.Queue, ask http.Handler) http.Handler
	// Asker answers interactions from st; nil when they are off.
	Asker func(st state.Store) http.Handler
	// Deliverer is the deliver half, keeping its state in st.
	Deliverer func(st state.Store) Deliverer
	// Scheduled are the reminders and digests on st, posting into q.
	Scheduled func(st state.Store, q queue.Queue) []schedule.Job
	// Beside names the commands another process may ask this one to
	// run, and Command runs one, printing to out.
	Beside  []string
	Command func(ctx context.Context, args []string, out io.Writer, on choice.Running) error
}

// Deliverer is the deliver half as the worker drives it: board refreshes
// go back into the queue it drains.
type Deliverer interface {
	queue.Deliverer
	RequeueBoardsTo(q queue.Queue)
}

// Serve runs local mode until ctx ends: the HTTP server, the queue's
// worker and the schedules.
func Serve(ctx context.Context, r Relay) error {
	// Listen first, and open the store meanwhile: the first request
	// waits for the store, not for the process.
	addr := net.JoinHostPort("127.0.0.1", strconv.Itoa(r.Port))
	ln, err := net.Listen("tcp", addr)
	if errors.Is(err, syscall.EADDRINUSE) {
		return fmt.Errorf("%s is in use (another relay?): stop it, or set PORT to another port (PORT=8081 make run)", addr)
	}
	if err != nil {
		return err
	}
	go warmUp()
	o := newOpening()
	front := r.Front(o, o.asker(r.Asker))
	srv := &http.Server{
		Handler: http.HandlerFunc(func(rw http.ResponseWriter, req *http.Request) {
			if req.URL.Path != commandPath {
				front.ServeHTTP(rw, req)
				return
			}
			if err := o.wait(req.Context()); err != nil {
				http.Error(rw, err.Error(), http.StatusServiceUnavailable)
				return
			}
			r.commandHandler(choice.Running{Store: o.store, Queue: o.queue}).ServeHTTP(rw, req)
		}),
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      40 * time.Second,
		IdleTimeout:       2 * time.Minute,
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	store, err := localstore.Open(r.DataDir)
	if err != nil {
		o.opened(nil, nil, err)
		_ = srv.Close()
		return err
	}
	defer store.Close()
	d := r.Deliverer(store.State)
	q := localstore.New(store, d, r.Logger)
	d.RequeueBoardsTo(q)
	o.opened(store, q, nil)
	defer writePort(r.DataDir, ln.Addr().(*net.TCPAddr).Port)()
	r.Logger.Info("listening", append([]any{"url", "http://" + ln.Addr().String() + relay.Path, "dataDir", r.DataDir}, r.Start...)...)
	workerCtx, stopWorker := context.WithCancel(context.Background())
	workerDone := make(chan error, 1)
	go func() { workerDone <- q.Run(workerCtx) }()
	scheduleDone := make(chan struct{})
	go func() {
		defer close(scheduleDone)
		schedule.Local(workerCtx, r.Logger, r.Scheduled(store.State, q)...)
	}()
	select {
	case err = <-errc:
	case <-ctx.Done():
		r.Logger.Info("stopping: asked to (SIGTERM or Ctrl-C); deliveries in flight finish first")
		shutdownCtx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		err = srv.Shutdown(shutdownCtx)
		cancel()
	}
	// Requests are answered before the worker stops, so every job they
	// acknowledged is in the store.
	stopWorker()
	<-scheduleDone
	err = errors.Join(err, <-workerDone)
	if ctx.Err() != nil {
		r.Logger.Info("stopped", "queued", queuedCount(store))
	}
	return err
}

// queuedCount is how many jobs wait in store, for the last line; -1 when
// it cannot tell.
func queuedCount(store *localstore.Store) int {
	n, err := store.Waiting()
	if err != nil {
		return -1
	}
	return n
}
