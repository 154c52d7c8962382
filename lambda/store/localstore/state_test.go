package localstore

import (
	"context"
	"slices"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"clockify-discord-relay/lambda/clockify"
	"clockify-discord-relay/lambda/queue"
	"clockify-discord-relay/lambda/queue/queuetest"
	"clockify-discord-relay/lambda/state"
	"clockify-discord-relay/lambda/state/statetest"
)

func TestStateConformance(t *testing.T) {
	s := openTemp(t)
	statetest.Conformance(t, s.State)
}

// TestStateSurvivesAReopen: the running timers and the board are in the
// file.
func TestStateSurvivesAReopen(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	s, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	if _, err := s.State.Apply(ctx, "a", "", statetest.Timer(clockify.NewTimerStarted, "e1", "Ada", now), now); err != nil {
		t.Fatal(err)
	}
	_ = s.State.SetBoard(ctx, "a", state.BoardMessage{ID: "1300000000000000001"})
	s.Close()
	if s, err = Open(dir); err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if got, _ := s.State.Running(ctx, "a", now); len(got) != 1 || got[0].User != "Ada" {
		t.Errorf("after reopening: %+v", got)
	}
	if b, _ := s.State.Board(ctx, "a"); b.ID != "1300000000000000001" {
		t.Errorf("board %+v", b)
	}
}

func TestLedgerConformance(t *testing.T) {
	s := openTemp(t)
	statetest.LedgerConformance(t, s.State)
}

func TestPlacesConformance(t *testing.T) {
	s := openTemp(t)
	statetest.PlacesConformance(t, s.State)
}

func TestJournalConformance(t *testing.T) {
	s := openTemp(t)
	queuetest.JournalConformance(t, s.Journal)
}

// TestPruneForgetsWhatExpired: sessions, claims and journal marks go
// once expired, whether or not the board ever reads them (BOARD=off);
// what has not expired stays.
func TestPruneForgetsWhatExpired(t *testing.T) {
	s := openTemp(t)
	ctx, now := context.Background(), time.Now()
	if _, err := s.State.Apply(ctx, "d", "", statetest.Timer(clockify.NewTimerStarted, "e1", "Ada", now.Add(-time.Hour)), now); err != nil {
		t.Fatal(err)
	}
	_, _ = s.State.Claim(ctx, "d", "old", now.Add(time.Hour))
	_, _ = s.State.Claim(ctx, "d", "new", now.Add(3*time.Hour))
	_ = s.Journal.SetMarks(ctx, []string{"old"}, queue.Shown, now.Add(-queue.JournalTTL))
	_ = s.Journal.SetMarks(ctx, []string{"new"}, queue.Shown, now)
	keys := func(bucket string) []string {
		var got []string
		_ = s.db.View(func(tx *bolt.Tx) error {
			return tx.Bucket([]byte(bucket)).ForEach(func(k, _ []byte) error { got = append(got, string(k)); return nil })
		})
		return got
	}
	if err := s.prune(now.Add(2 * time.Hour)); err != nil {
		t.Fatal(err)
	}
	for bucket, want := range map[string][]string{"sessions": {"d/e1"}, "claims": {"d/new"}, "journal": {"new"}} {
		if got := keys(bucket); !slices.Equal(got, want) {
			t.Errorf("%s after pruning: %q, want %q", bucket, got, want)
		}
	}
	if err := s.prune(now.Add(state.MaxAge)); err != nil {
		t.Fatal(err)
	}
	if got := keys("sessions"); len(got) != 0 {
		t.Errorf("a session outlived its week: %q", got)
	}
}

func TestOutboxConformance(t *testing.T) {
	s := openTemp(t)
	queuetest.OutboxConformance(t, s.Outbox)
}

// openTemp opens a store in a directory of the test's own, closed at its
// end.
func openTemp(t *testing.T) *Store {
	t.Helper()
	s, err := Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}
