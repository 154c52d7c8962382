package main

import (
	"testing"
	"time"
)

// TestClocks: from a day in December 2026, a year and a month ahead; the
// spring change in Berlin (2027-03-28 02:00 CET); 2028-02-29.
func TestClocks(t *testing.T) {
	now := time.Date(2026, 12, 6, 12, 0, 0, 0, time.UTC)
	got := clocks(now)
	want := []string{"2028-01-06T10:00:00+09:00", "2027-03-28T01:58:30+01:00", "2028-02-29T10:00:00+09:00"}
	for i, c := range got {
		if s := c.at.Format(time.RFC3339); s != want[i] {
			t.Errorf("clock %d: %s (%s), want %s", i, s, c.zone, want[i])
		}
	}
	// Just after a leap day, the next is four years on.
	if d := nextLeapDay(time.Date(2028, 3, 1, 0, 0, 0, 0, time.UTC), time.UTC); d.Year() != 2032 {
		t.Errorf("after 2028-02-29: %v", d)
	}
}
