package throttle

import "time"

// Refused is how many of a rush API Gateway's throttle refuses with 429:
// n requests spread evenly over a span, against a token bucket that
// holds burst tokens and refills rate a second (API Gateway's
// ThrottlingBurstLimit and ThrottlingRateLimit). Each refused request is
// one Clockify may not send again.
func Refused(rate, burst float64, n int, span time.Duration) int {
	tokens, refused := burst, 0
	last := time.Duration(0)
	for i := range n {
		at := span * time.Duration(i) / time.Duration(max(n, 1))
		tokens = min(burst, tokens+rate*(at-last).Seconds())
		last = at
		if tokens < 1-1e-6 { // a token, within rounding
			refused++
			continue
		}
		tokens--
	}
	return refused
}
