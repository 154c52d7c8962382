package localstore

import (
	"context"
	"testing"
	"time"

	"clockify-discord-relay/lambda/clockify"
	"clockify-discord-relay/lambda/queue/queuetest"
	"clockify-discord-relay/lambda/state"
	"clockify-discord-relay/lambda/state/statetest"
)

func TestStateConformance(t *testing.T) {
	s, err := Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	statetest.Conformance(t, s)
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
	if _, err := s.Apply(ctx, "a", "", statetest.Timer(clockify.NewTimerStarted, "e1", "Ada", now), now); err != nil {
		t.Fatal(err)
	}
	_ = s.SetBoard(ctx, "a", state.BoardMessage{ID: "1300000000000000001"})
	s.Close()
	if s, err = Open(dir); err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if got, _ := s.Running(ctx, "a", now); len(got) != 1 || got[0].User != "Ada" {
		t.Errorf("after reopening: %+v", got)
	}
	if b, _ := s.Board(ctx, "a"); b.ID != "1300000000000000001" {
		t.Errorf("board %+v", b)
	}
}

func TestLedgerConformance(t *testing.T) {
	s, err := Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	statetest.LedgerConformance(t, s)
}

func TestJournalConformance(t *testing.T) {
	s, err := Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	queuetest.JournalConformance(t, s)
}
