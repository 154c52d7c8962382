package simulation

import (
	"fmt"
	"os"
	"strconv"
	"testing"
	"testing/synctest"
	"time"
)

// TestSimulate runs SEEDS seeds (default 300; 30 under the race
// detector), or replays SEED with its trace. make simulate runs 1,000.
func TestSimulate(t *testing.T) {
	seeds, first := defaultSeeds, uint64(1)
	if s := os.Getenv("SEEDS"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 {
			t.Fatalf("SEEDS=%q is not a count", s)
		}
		seeds = n
	}
	replay := os.Getenv("SEED") != ""
	if replay {
		s, err := strconv.ParseUint(os.Getenv("SEED"), 10, 64)
		if err != nil {
			t.Fatalf("SEED=%q is not a seed", os.Getenv("SEED"))
		}
		seeds, first = 1, s
	}
	dir := t.TempDir()
	if fi, err := os.Stat("/dev/shm"); err == nil && fi.IsDir() {
		if d, err := os.MkdirTemp("/dev/shm", "simulation"); err == nil {
			dir = d
			t.Cleanup(func() { os.RemoveAll(d) })
		}
	}
	start := time.Now()
	violations := 0
	var total Stats
	for seed := first; seed < first+uint64(seeds); seed++ {
		o := Options{Seed: seed, Changes: 40, FaultRate: 1, Dir: fmt.Sprintf("%s/%d", dir, seed)}
		if replay {
			o.Trace = os.Stdout
		}
		var res Result
		var err error
		synctest.Test(t, func(t *testing.T) { res, err = Run(o) })
		if err != nil {
			t.Fatalf("seed %d: %v", seed, err)
		}
		os.RemoveAll(o.Dir)
		os.RemoveAll(o.Dir + "-local")
		total.add(res.Stats)
		if len(res.Violations) > 0 {
			violations++
			again := ""
			if violations <= 3 { // the first few, to tell a flaky replay
				again = replayed(t, o, res)
			}
			t.Errorf("seed %d: %d violations:\n  %s\nreplay: make simulate SEED=%d%s", seed, len(res.Violations), join(res.Violations), seed, again)
		}
	}
	elapsed := time.Since(start)
	t.Logf("%d changes, %d deliveries, %d messages (%d lists), %d dead letters, %d invocations, %d timeouts, %d crashes, %d stray boards, %d reminders; %.0f seeds/s",
		total.Changes, total.Deliveries, total.Messages, total.Lists, total.DeadLetters, total.Invocations, total.Timeouts, total.Crashes, total.StrayBoards, total.Reminders, float64(seeds)/elapsed.Seconds())
	fmt.Printf("simulated %d seeds: %d violations\n", seeds, violations)
}

// replayed runs a failing seed again, at once, with its trace kept in a
// file, and says whether the replay met the same violations.
func replayed(t *testing.T, o Options, first Result) string {
	if o.Trace != nil {
		return ""
	}
	f, err := os.CreateTemp("", fmt.Sprintf("simulate-seed-%d-*.log", o.Seed))
	if err != nil {
		return ""
	}
	defer f.Close()
	o.Trace, o.Dir = f, o.Dir+"-replay"
	defer os.RemoveAll(o.Dir)
	defer os.RemoveAll(o.Dir + "-local")
	var again Result
	synctest.Test(t, func(t *testing.T) { again, err = Run(o) })
	same := "the same violations"
	if err != nil || join(again.Violations) != join(first.Violations) {
		same = fmt.Sprintf("other violations (%d)", len(again.Violations))
	}
	return fmt.Sprintf("\nreplayed at once: %s; trace in %s", same, f.Name())
}

func join(v []string) string {
	out := ""
	for i, s := range v {
		if i > 0 {
			out += "\n  "
		}
		out += s
	}
	return out
}

func (s *Stats) add(o Stats) {
	s.Changes += o.Changes
	s.Deliveries += o.Deliveries
	s.Acked += o.Acked
	s.Messages += o.Messages
	s.DeadLetters += o.DeadLetters
	s.Invocations += o.Invocations
	s.Timeouts += o.Timeouts
	s.Crashes += o.Crashes
	s.StrayBoards += o.StrayBoards
	s.Reminders += o.Reminders
	s.Lists += o.Lists
}
