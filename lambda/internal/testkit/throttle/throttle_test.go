package throttle_test

import (
	"testing"
	"time"

	"clockify-discord-relay/lambda/internal/testkit/throttle"
)

// TestRefused: the bucket arithmetic of issue 23. At 10 a second with 50
// at once, half of a rush of 300 in 10 s is refused; at 50 with 500,
// none is; a burst larger than the bucket is refused beyond it.
func TestRefused(t *testing.T) {
	for _, c := range []struct {
		rate, burst float64
		n           int
		span        time.Duration
		lo, hi      int
	}{
		{10, 50, 300, 10 * time.Second, 140, 160},
		{50, 500, 300, 10 * time.Second, 0, 0},
		{50, 500, 600, 0, 100, 100},
		{30, 1, 300, 10 * time.Second, 0, 0}, // exactly the rate
	} {
		if got := throttle.Refused(c.rate, c.burst, c.n, c.span); got < c.lo || got > c.hi {
			t.Errorf("rate %g burst %g, %d in %s: %d refused, want %d..%d", c.rate, c.burst, c.n, c.span, got, c.lo, c.hi)
		}
	}
}
