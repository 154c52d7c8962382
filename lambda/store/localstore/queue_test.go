package localstore

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"clockify-discord-relay/lambda/clockify"
	"clockify-discord-relay/lambda/queue"
	"clockify-discord-relay/lambda/queue/queuetest"
)

// fakeDeliverer records batches and answers with decide, which sees the
// batch's number (from 0) and the jobs.
type fakeDeliverer struct {
	mu      sync.Mutex
	batches [][]string // entry ids
	at      []time.Time
	decide  func(n int, jobs []queue.Job) []queue.Result
}

func (f *fakeDeliverer) Deliver(_ context.Context, jobs []queue.Job) []queue.Result {
	f.mu.Lock()
	n := len(f.batches)
	var ids []string
	for _, j := range jobs {
		ids = append(ids, j.Event.Entry.ID)
	}
	f.batches = append(f.batches, ids)
	f.at = append(f.at, time.Now())
	f.mu.Unlock()
	if f.decide != nil {
		return f.decide(n, jobs)
	}
	return all(len(jobs), queue.Result{State: queue.Delivered})
}

func (f *fakeDeliverer) delivered() [][]string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([][]string(nil), f.batches...)
}

func all(n int, r queue.Result) []queue.Result {
	out := make([]queue.Result, n)
	for i := range out {
		out[i] = r
	}
	return out
}

func job(group string, i int) queue.Job {
	ev := clockify.Event{Type: clockify.NewTimerStarted, Entry: clockify.TimeEntry{ID: fmt.Sprintf("%s-%02d", group, i)}}
	return queue.Job{Key: ev.Entry.ID, Group: group, Event: ev, AcceptedAt: time.Now()}
}

// harness runs a queue in a synctest bubble until stop is called.
type harness struct {
	*Queue
	store  *Store
	stop   func()
	cancel func()
	done   chan error
}

// start runs a queue that holds waiting before its worker starts.
func start(t *testing.T, d queue.Deliverer, waiting ...queue.Job) *harness {
	t.Helper()
	store, err := Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	q := New(store, d, slog.New(slog.NewTextHandler(io.Discard, nil)))
	for _, j := range waiting {
		enqueue(t, q, j, "queued")
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error)
	go func() { done <- q.Run(ctx) }()
	h := &harness{Queue: q, store: store, cancel: cancel, done: done}
	h.stop = func() {
		cancel()
		if err := <-done; err != nil {
			t.Error(err)
		}
		store.Close()
	}
	return h
}

func enqueue(t *testing.T, q *Queue, j queue.Job, want string) {
	t.Helper()
	r, err := q.Enqueue(context.Background(), j)
	if err != nil || r.Status != want {
		t.Fatalf("Enqueue %s: %q, %v; want %q", j.Key, r.Status, err, want)
	}
}

func TestDeliversEachGroupInOrderInFullBatches(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		d := &fakeDeliverer{}
		var waiting []queue.Job
		for i := range 2*maxBatch + 5 {
			waiting = append(waiting, job("a", i))
			if i < 3 {
				waiting = append(waiting, job("b", i))
			}
		}
		h := start(t, d, waiting...)
		defer h.stop()
		time.Sleep(time.Minute)
		synctest.Wait()
		next := map[byte]int{}
		for _, b := range d.delivered() {
			if len(b) > maxBatch {
				t.Errorf("batch of %d", len(b))
			}
			for _, id := range b {
				if id[0] != b[0][0] {
					t.Errorf("batch %v mixes groups", b)
				}
				if want := fmt.Sprintf("%c-%02d", id[0], next[id[0]]); id != want {
					t.Fatalf("delivered %s, want %s", id, want)
				}
				next[id[0]]++
			}
		}
		if next['a'] != 2*maxBatch+5 || next['b'] != 3 {
			t.Errorf("delivered %v", next)
		}
		if n, _ := h.store.Waiting(); n != 0 {
			t.Errorf("%d jobs still waiting", n)
		}
		// The jobs of a go out as two full batches and 5; the 3 of b as one.
		if n := len(d.delivered()); n != 4 {
			t.Errorf("%d batches, want 4: %v", n, d.delivered())
		}
	})
}

// TestGroupCommit: a job to an idle channel goes at once, with no wait
// for company; the jobs that arrive while its send is in flight gather: a
// full batch goes as it ends, the rest a pace after that batch; a job to
// a channel quiet for a pace goes at once again.
func TestGroupCommit(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		release := make(chan struct{})
		d := &fakeDeliverer{decide: func(n int, jobs []queue.Job) []queue.Result {
			if n == 0 {
				<-release // the first send is in flight
			}
			return all(len(jobs), queue.Result{State: queue.Delivered})
		}}
		h := start(t, d)
		defer h.stop()
		enqueue(t, h.Queue, job("a", 0), "queued")
		began := time.Now() // stored: the commit is on disk
		synctest.Wait()
		if got := d.delivered(); len(got) != 1 || !d.at[0].Equal(began) {
			t.Fatalf("the lone job: batches %v at %v, want one at once", got, d.at)
		}
		for i := 1; i <= maxBatch+5; i++ {
			enqueue(t, h.Queue, job("a", i), "queued")
		}
		time.Sleep(300 * time.Millisecond) // the send takes a while
		released := time.Now()
		close(release)
		time.Sleep(time.Minute)
		synctest.Wait()
		got := d.delivered()
		if len(got) != 3 || len(got[1]) != maxBatch || len(got[2]) != 5 {
			t.Fatalf("batches %v, want [a-00], then a full batch and 5 gathered", got)
		}
		if !d.at[1].Equal(released) || !d.at[2].Equal(released.Add(pace)) {
			t.Errorf("the full batch went %v after the first send ended, the rest %v after it; want at once, and a pace",
				d.at[1].Sub(released), d.at[2].Sub(d.at[1]))
		}
		enqueue(t, h.Queue, job("a", maxBatch+6), "queued")
		quiet := time.Now()
		synctest.Wait()
		if got := d.delivered(); len(got) != 4 || !d.at[3].Equal(quiet) {
			t.Errorf("a job to a quiet channel: batches %v, at %v", got, d.at[3].Sub(quiet))
		}
	})
}

// TestPartialFailureKeepsOrder: the Deliverer delivered the first three
// and was told to wait 40 s; the rest go out after that, in order.
func TestPartialFailureKeepsOrder(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		hold := 40 * time.Second
		d := &fakeDeliverer{decide: func(n int, jobs []queue.Job) []queue.Result {
			if n > 0 {
				return all(len(jobs), queue.Result{State: queue.Delivered})
			}
			out := all(len(jobs), queue.Result{State: queue.Retry, Hold: hold, Err: errors.New("429")})
			for i := range 3 {
				out[i] = queue.Result{State: queue.Delivered}
			}
			return out
		}}
		var waiting []queue.Job
		for i := range 8 {
			waiting = append(waiting, job("a", i))
		}
		h := start(t, d, waiting...)
		defer h.stop()
		time.Sleep(10 * time.Minute)
		synctest.Wait()
		got := d.delivered()
		if len(got) != 2 || fmt.Sprint(got[1]) != "[a-03 a-04 a-05 a-06 a-07]" {
			t.Fatalf("batches %v", got)
		}
		if gap := d.at[1].Sub(d.at[0]); gap < hold || gap > hold+2*time.Second {
			t.Errorf("retried after %s, want the 40 s Discord asked for", gap)
		}
	})
}

func TestRetriesWithBackoffThenDeadLettersAfterADay(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		d := &fakeDeliverer{decide: func(_ int, jobs []queue.Job) []queue.Result {
			return all(len(jobs), queue.Result{State: queue.Retry, Err: errors.New("discord: 503 Service Unavailable")})
		}}
		h := start(t, d)
		defer h.stop()
		enqueue(t, h.Queue, job("a", 0), "queued")
		time.Sleep(25 * time.Hour)
		synctest.Wait()
		dead, err := h.store.DeadLetters()
		if err != nil || len(dead) != 1 {
			t.Fatalf("dead letters %v, %v", dead, err)
		}
		if dead[0].Reason != "not delivered within 24h0m0s: discord: 503 Service Unavailable" {
			t.Errorf("reason %q", dead[0].Reason)
		}
		// Backoff: short gaps first, never more than 5 minutes, and few
		// requests in a day.
		at := d.at
		if gap := at[1].Sub(at[0]); gap > 2*time.Second {
			t.Errorf("first retry after %s", gap)
		}
		for i := 1; i < len(at); i++ {
			if gap := at[i].Sub(at[i-1]); gap > 5*time.Minute {
				t.Errorf("retry %d after %s", i, gap)
			}
		}
		if n := len(at); n < 100 || n > 600 {
			t.Errorf("%d attempts in a day", n)
		}
	})
}

func TestPermanentFailureDeadLettersAtOnceAndRedrives(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		gone := true
		d := &fakeDeliverer{decide: func(_ int, jobs []queue.Job) []queue.Result {
			if gone {
				return all(len(jobs), queue.Result{State: queue.Dead, Gone: true, Err: errors.New("discord: 404 Not Found: the webhook was deleted")})
			}
			return all(len(jobs), queue.Result{State: queue.Delivered})
		}}
		h := start(t, d, job("a", 0), job("a", 1))
		defer h.stop()
		time.Sleep(time.Minute)
		synctest.Wait()
		dead, _ := h.store.DeadLetters()
		if len(dead) != 2 || len(d.delivered()) != 1 || dead[0].Event.Entry.ID != "a-00" {
			t.Fatalf("dead %v after %d batches", dead, len(d.delivered()))
		}
		gone = false
		if n, err := h.store.Redrive(time.Now()); n != 2 || err != nil {
			t.Fatalf("Redrive: %d, %v", n, err)
		}
		h.signal()
		time.Sleep(time.Minute)
		synctest.Wait()
		if dead, _ := h.store.DeadLetters(); len(dead) != 0 {
			t.Errorf("%d dead letters after redrive", len(dead))
		}
		if got := d.delivered(); len(got) != 2 || fmt.Sprint(got[1]) != "[a-00 a-01]" {
			t.Errorf("batches %v", got)
		}
	})
}

func TestDedupeWithinADay(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		d := &fakeDeliverer{}
		h := start(t, d)
		defer h.stop()
		j := job("a", 0)
		enqueue(t, h.Queue, j, "queued")
		enqueue(t, h.Queue, j, "duplicate")
		time.Sleep(23 * time.Hour)
		enqueue(t, h.Queue, j, "duplicate")
		time.Sleep(2 * time.Hour)
		enqueue(t, h.Queue, j, "queued")
		time.Sleep(time.Minute)
		synctest.Wait()
		if n := len(d.delivered()); n != 2 {
			t.Errorf("%d deliveries, want 2", n)
		}
	})
}

func TestJobsSurviveAReopen(t *testing.T) {
	dir := t.TempDir()
	s, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Open(dir); err == nil {
		t.Error("a second process could open the store")
	}
	if _, err := s.add(job("a", 0), time.Now()); err != nil {
		t.Fatal(err)
	}
	s.Close()
	s, err = Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	_, recs, err := s.waiting()
	if err != nil || len(recs) != 1 || recs[0].Job.Event.Entry.ID != "a-00" {
		t.Errorf("after reopening: %v, %v", recs, err)
	}
}

// slowDeliverer takes 3 s to deliver, as a slow Discord; a send cut short
// by its context ends as the real client's does once its request was
// written: outcome unknown.
type slowDeliverer struct{ started chan struct{} }

func (s slowDeliverer) Deliver(ctx context.Context, jobs []queue.Job) []queue.Result {
	close(s.started)
	select {
	case <-ctx.Done():
		return all(len(jobs), queue.Result{State: queue.Unknown, Err: ctx.Err()})
	case <-time.After(3 * time.Second):
		return all(len(jobs), queue.Result{State: queue.Delivered})
	}
}

// TestStopFinishesTheSendInFlight: a graceful stop (SIGTERM) while Discord
// is slow lets the send in flight finish, instead of cutting it off and
// dead-lettering its job as "outcome unknown".
func TestStopFinishesTheSendInFlight(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		d := slowDeliverer{started: make(chan struct{})}
		h := start(t, d)
		enqueue(t, h.Queue, job("a", 0), "queued")
		<-d.started
		dead := h.store.DeadLetters
		h.stop = func() {} // closed below, after the checks
		cancel, done := h.cancel, h.done
		cancel()
		if err := <-done; err != nil {
			t.Fatal(err)
		}
		letters, err := dead()
		if err != nil || len(letters) != 0 {
			t.Errorf("dead letters after a graceful stop: %v, %v", letters, err)
		}
		if _, recs, _ := h.store.waiting(); len(recs) != 0 {
			t.Errorf("%d jobs still waiting after a delivered send", len(recs))
		}
		h.store.Close()
	})
}

// TestDedupeConformance: the local store drops redeliveries by the same
// rule as the API function over DynamoDB.
func TestDedupeConformance(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		h := start(t, &fakeDeliverer{})
		defer h.stop()
		queuetest.DedupeConformance(t, h.Queue, func(d time.Duration) { time.Sleep(d) })
	})
}

// TestABacklogLeavesInFullBatches: jobs of one channel wait before the
// worker starts (a restart after an outage); none leaves in a batch over
// maxBatch, and they leave in order (issue 24).
func TestABacklogLeavesInFullBatches(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		store, err := Open(t.TempDir())
		if err != nil {
			t.Fatal(err)
		}
		defer store.Close()
		for i := range 2*maxBatch + 5 {
			if _, err := store.add(job("a", i), time.Now()); err != nil {
				t.Fatal(err)
			}
		}
		d := &fakeDeliverer{}
		q := New(store, d, slog.New(slog.NewTextHandler(io.Discard, nil)))
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan error)
		go func() { done <- q.Run(ctx) }()
		time.Sleep(time.Minute)
		synctest.Wait()
		cancel()
		<-done
		next := 0
		for _, b := range d.delivered() {
			if len(b) > maxBatch {
				t.Errorf("a batch of %d", len(b))
			}
			for _, id := range b {
				if want := fmt.Sprintf("a-%02d", next); id != want {
					t.Fatalf("delivered %s, want %s", id, want)
				}
				next++
			}
		}
		if next != 2*maxBatch+5 {
			t.Errorf("%d delivered", next)
		}
	})
}

// TestEveryCommitIsSynced: Enqueue promises the job is on disk when it
// returns; the store never trades fsync for speed (issue 24).
func TestEveryCommitIsSynced(t *testing.T) {
	s, err := Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if s.db.NoSync {
		t.Errorf("the store commits without fsync: NoSync %v", s.db.NoSync)
	}
}

// TestBoardRefreshesRideAlongAndOnlyTheLatestIsSent: board refreshes do
// not take events' places in a batch; one with a later one behind it is
// dropped; and a batch says when more of its group wait behind it.
func TestBoardRefreshesRideAlongAndOnlyTheLatestIsSent(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var behind []bool
		d := &fakeDeliverer{decide: func(_ int, jobs []queue.Job) []queue.Result {
			behind = append(behind, jobs[len(jobs)-1].Behind)
			return all(len(jobs), queue.Result{State: queue.Delivered})
		}}
		board := func(i int) queue.Job {
			j := queue.NewBoard("a", "", time.Now().Add(time.Duration(i)))
			j.Group, j.Event.Entry.ID = "a", fmt.Sprintf("board-%d", i)
			return j
		}
		var waiting []queue.Job
		for i := range maxBatch + 2 {
			waiting = append(waiting, job("a", i))
			if i == 2 || i == 5 {
				waiting = append(waiting, board(i))
			}
		}
		waiting = append(waiting, board(maxBatch+2))
		h := start(t, d, waiting...)
		defer h.stop()
		time.Sleep(time.Minute)
		synctest.Wait()
		got := d.delivered()
		rest := fmt.Sprintf("[a-%d a-%d board-%d]", maxBatch, maxBatch+1, maxBatch+2)
		if len(got) != 2 || len(got[0]) != maxBatch || fmt.Sprint(got[1]) != rest {
			t.Errorf("batches %v: want a full batch of events (the two early refreshes dropped), then the rest with the last refresh", got)
		}
		if fmt.Sprint(behind) != "[true false]" {
			t.Errorf("behind %v, want [true false]", behind)
		}
		if n, _ := h.store.Waiting(); n != 0 {
			t.Errorf("%d jobs left", n)
		}
	})
}
