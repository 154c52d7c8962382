package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"
)

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: movedclock DIR (writes DIR/overlay.json for go -overlay, and prints the clocks to move to)")
		os.Exit(2)
	}
	if err := run(os.Args[1]); err != nil {
		fmt.Fprintln(os.Stderr, "movedclock:", err)
		os.Exit(1)
	}
	for _, c := range clocks(time.Now()) {
		fmt.Println(c.zone, c.at.Format(time.RFC3339))
	}
}

// nowHead is the start of time.Now in the standard library; the overlay
// renames it and puts a moved Now in its place.
const nowHead = "func Now() Time {\n"

// moved is added to package time. It reads the environment through
// syscall, as package time itself does for ZONEINFO (os imports time).
const moved = `package time

import (
	"syscall"
	_ "unsafe" // for go:linkname, which the original Now carried
)

// movedBy and bubbleMovedBy move the clock to RELAY_TEST_CLOCK: outside
// a synctest bubble from the real time at which the clock showed it,
// inside one from the bubble's epoch, 2000-01-01 UTC.
var movedBy, bubbleMovedBy = movedClock()

// movedClock reads RELAY_TEST_CLOCK, "INSTANT" or "INSTANT@UNIXNANO"
// (the real time at which the moved clock showed INSTANT). The first
// process to read it adds the @: the programs it starts inherit it, so
// that every clock of the run agrees.
func movedClock() (Duration, Duration) {
	v, ok := syscall.Getenv("RELAY_TEST_CLOCK")
	if !ok || v == "" {
		return 0, 0
	}
	instant, anchor := v, int64(0)
	for i := 0; i < len(v); i++ {
		if v[i] == '@' {
			instant = v[:i]
			for _, c := range v[i+1:] {
				if c < '0' || c > '9' {
					panic("RELAY_TEST_CLOCK: " + v + ": not INSTANT@UNIXNANO")
				}
				anchor = anchor*10 + int64(c-'0')
			}
		}
	}
	at, err := Parse(RFC3339, instant)
	if err != nil {
		panic("RELAY_TEST_CLOCK: " + err.Error())
	}
	if anchor == 0 {
		anchor = unmovedNow().UnixNano()
		digits := []byte{}
		for n := anchor; n > 0; n /= 10 {
			digits = append([]byte{byte('0' + n%10)}, digits...)
		}
		syscall.Setenv("RELAY_TEST_CLOCK", instant+"@"+string(digits))
	}
	return at.Sub(Unix(0, anchor)), at.Sub(Date(2000, 1, 1, 0, 0, 0, 0, UTC))
}

//go:linkname Now

// Now returns the current local time, moved by RELAY_TEST_CLOCK.
// Only the wall clock moves: the monotonic reading, which durations
// and timers use, stays as it was.
func Now() Time {
	t, by := unmovedNow(), movedBy
	if runtimeIsBubbled() {
		by = bubbleMovedBy
	}
	mono := t.ext
	if t = t.Add(by); t.wall&hasMonotonic != 0 {
		t.ext = mono
	}
	return t
}
`

func run(dir string) error {
	out, err := exec.Command("go", "env", "GOROOT").Output()
	if err != nil {
		return fmt.Errorf("go env GOROOT: %w", err)
	}
	src := filepath.Join(strings.TrimSpace(string(out)), "src", "time")
	orig, err := os.ReadFile(filepath.Join(src, "time.go"))
	if err != nil {
		return err
	}
	text := string(orig)
	if strings.Count(text, nowHead) != 1 || !strings.Contains(text, "func runtimeIsBubbled() bool") {
		return errors.New("this Go's time.go has no single time.Now, or no runtimeIsBubbled, to move: the overlay needs updating for it")
	}
	text = strings.Replace(text, "//go:linkname Now\n", "", 1)
	text = strings.Replace(text, nowHead, "func unmovedNow() Time {\n", 1)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		return err
	}
	files := map[string]string{
		filepath.Join(src, "time.go"):       filepath.Join(abs, "time.go"),
		filepath.Join(src, "time_moved.go"): filepath.Join(abs, "time_moved.go"),
	}
	if err := os.WriteFile(files[filepath.Join(src, "time.go")], []byte(text), 0o644); err != nil {
		return err
	}
	if err := os.WriteFile(files[filepath.Join(src, "time_moved.go")], []byte(moved), 0o644); err != nil {
		return err
	}
	raw, _ := json.MarshalIndent(map[string]any{"Replace": files}, "", "  ")
	return os.WriteFile(filepath.Join(abs, "overlay.json"), raw, 0o644)
}
