package simulation

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"sync"
	"time"

	"clockify-discord-relay/lambda/deliver"
	"clockify-discord-relay/lambda/discord"
	"clockify-discord-relay/lambda/message"
	"clockify-discord-relay/lambda/queue"
	"clockify-discord-relay/lambda/store/localstore"
)

// localRelay is local mode: one process with its store file, its worker
// and its Discord client. A crash kills the process at once: its calls
// fail, and its store is closed before it can commit anything more, as
// the file would be after kill -9 (bbolt's commits are atomic). The next
// process opens the same file.
type localRelay struct {
	w   *world
	dir string

	mu    sync.Mutex
	in    *instance
	store *localstore.Store
	q     *localstore.Queue
	stop  context.CancelFunc
	done  chan error
}

var _ queue.Queue = (*localRelay)(nil)

var errNoProcess = errors.New("simulation: the relay is restarting")

// start opens the store and runs a new process's worker.
func (l *localRelay) start() error {
	store, err := localstore.Open(l.dir)
	if err != nil {
		return err
	}
	in := &instance{}
	in.onKill = func() { store.Close() }
	fs := faultyStore{s: store, f: l.w.f, late: l.w.late}
	client := discord.NewClient(&http.Client{Transport: l.w.discord})
	client.MaxAttempts, client.MaxWait = 3, 5*time.Second
	d := deliver.New(l.w.op.deliver(), client, l.w.logger, deliver.Options{Language: l.w.lang, Style: message.StyleEmbed, State: fs, Board: true, Journal: fs})
	q := localstore.New(store, watched{d, l.w.live}, l.w.logger)
	d.RequeueBoardsTo(q)
	ctx, cancel := context.WithCancel(withInstance(context.Background(), in))
	done := make(chan error, 1)
	go func() { done <- q.Run(ctx) }()
	l.mu.Lock()
	l.in, l.store, l.q, l.stop, l.done = in, store, q, cancel, done
	l.mu.Unlock()
	return nil
}

// restartIfDead replaces a killed process with a new one.
func (l *localRelay) restartIfDead() error {
	l.mu.Lock()
	in, stop, done := l.in, l.stop, l.done
	l.mu.Unlock()
	if in.alive() {
		return nil
	}
	stop()
	<-done
	l.w.stats.Crashes++
	l.w.tracef("local: the process died; restarting")
	return l.start()
}

// Enqueue is the accept half's queue: the current process's store.
func (l *localRelay) Enqueue(ctx context.Context, job queue.Job) (queue.Receipt, error) {
	l.mu.Lock()
	q, in := l.q, l.in
	l.mu.Unlock()
	if !in.alive() {
		return queue.Receipt{}, &queue.NotStoredError{Err: errNoProcess}
	}
	return q.Enqueue(ctx, job)
}

// current is the live process's store, after a restart if need be.
func (l *localRelay) current() *localstore.Store {
	_ = l.restartIfDead()
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.store
}

// close stops the process for good.
func (l *localRelay) close() {
	l.mu.Lock()
	stop, done, store := l.stop, l.done, l.store
	l.mu.Unlock()
	stop()
	<-done
	store.Close()
}

// runLocal plays local mode until Clockify is done and the store is
// empty, then its schedule until the timers left running are long past
// LONG_TIMER_HOURS.
func (w *world) runLocal(l *localRelay, clockifyDone <-chan struct{}) {
	deadline := time.Now().Add(runFor)
	nextReminders := time.Now().Add(remindEvery)
	var quietUntil time.Time
	for time.Now().Before(deadline) {
		if err := l.restartIfDead(); err != nil {
			w.tracef("local: restart: %v", err)
		}
		if !time.Now().Before(nextReminders) {
			w.remindWith(faultyStore{s: l.current(), f: w.f, late: w.late}, l)
			nextReminders = nextReminders.Add(remindEvery)
		}
		select {
		case <-clockifyDone:
			if n, err := l.current().Waiting(); err == nil && n == 0 {
				if quietUntil.IsZero() {
					quietUntil = time.Now().Add(longTimer + 2*remindEvery)
				}
				if !time.Now().Before(quietUntil) {
					return
				}
				time.Sleep(time.Until(nextReminders)) // a quiet relay: only its schedule
				continue
			}
		default:
		}
		time.Sleep(time.Second)
	}
}

// deadLetterReasons reads the store's dead letters as the SQS model's.
func deadLettersOf(s *localstore.Store) []string {
	letters, _ := s.DeadLetters()
	var out []string
	for _, d := range letters {
		raw, _ := json.Marshal(d)
		out = append(out, string(raw))
	}
	return out
}
