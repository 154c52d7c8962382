package deployment_test

import (
	"net/http"
	"slices"
	"sync"
	"testing"
	"time"

	"clockify-discord-relay/lambda/discord/discordtest"
)

// The rush benchmarks (make rush) play a morning at 9:00 and an outage
// against a Discord stand-in with Discord's limits: 5 requests per 2 s
// per webhook, and 30 messages a minute per channel. Each runs once; its
// figures go to BENCHMARKS.md.

// rush sends n timer starts spread evenly over spread, each on its own
// connection as Clockify sends them, and reports the answers.
func rush(b *testing.B, r *localRelay, first, n int, spread time.Duration) (answers []time.Duration) {
	client := &http.Client{Timeout: 30 * time.Second}
	var mu sync.Mutex
	var wg sync.WaitGroup
	gap := spread / time.Duration(n)
	for i := range n {
		wg.Go(func() {
			status, took := r.send(b, client, first+i)
			if status != "queued" {
				b.Errorf("event %d: %s", first+i, status)
			}
			mu.Lock()
			answers = append(answers, took)
			mu.Unlock()
		})
		time.Sleep(gap)
	}
	wg.Wait()
	return answers
}

func percentile(ds []time.Duration, p int) time.Duration {
	ds = slices.Sorted(slices.Values(ds))
	return ds[min(len(ds)*p/100, len(ds)-1)]
}

func benchmarkRush(b *testing.B, n int, spread time.Duration, board string) {
	for range b.N {
		dc := discordtest.NewServer(b)
		r := startLocalRelay(b, dc, b.TempDir(), "BOARD", board)
		start := time.Now()
		answers := rush(b, r, 0, n, spread)
		done := waitDelivered(b, dc, n)
		checkOnce(b, dc, n)
		b.ReportMetric(done.Sub(start).Seconds(), "s-to-all-delivered")
		b.ReportMetric(float64(percentile(answers, 50).Microseconds())/1000, "ms-answer-p50")
		b.ReportMetric(float64(percentile(answers, 100).Microseconds())/1000, "ms-answer-max")
		b.ReportMetric(float64(len(dc.Received())), "messages")
		b.ReportMetric(float64(dc.RateLimited()), "429s")
		r.stop()
	}
}

// BenchmarkRush60: a team starts 60 timers within 5 s (the queue alone,
// BOARD=off).
func BenchmarkRush60(b *testing.B) { benchmarkRush(b, 60, 5*time.Second, "off") }

// BenchmarkRush300: a company starts 300 timers within 10 s (the queue
// alone, BOARD=off).
func BenchmarkRush300(b *testing.B) { benchmarkRush(b, 300, 10*time.Second, "off") }

// BenchmarkRush300Board: the same with the board, posted for the first
// time during the rush: its post and edits count against the channel's
// 30 messages a minute, and share the webhook's 5-per-2-seconds bucket.
func BenchmarkRush300Board(b *testing.B) { benchmarkRush(b, 300, 10*time.Second, "on") }

// benchmarkOutage: Discord is down for 60 s while 20 events come in, one
// every 3 s; with kill, the relay is killed (kill -9) 12 s in and
// restarted.
func benchmarkOutage(b *testing.B, kill bool) {
	const n, outage = 20, 60 * time.Second
	for range b.N {
		dc := discordtest.NewServer(b)
		r := startLocalRelay(b, dc, b.TempDir())
		dc.SetDown(true)
		start := time.Now()
		client := &http.Client{Timeout: 30 * time.Second}
		for i := range n {
			if kill && i == 4 {
				time.Sleep(time.Until(start.Add(12 * time.Second)))
				r.kill9(b)
				r.start(b)
			}
			if status, _ := r.send(b, client, i); status != "queued" {
				b.Fatalf("event %d: %s", i, status)
			}
			time.Sleep(time.Until(start.Add(time.Duration(i+1) * outage / n)))
		}
		time.Sleep(time.Until(start.Add(outage)))
		dc.SetDown(false)
		back := time.Now()
		done := waitDelivered(b, dc, n)
		checkInOrderOnce(b, deliveredEntries(dc), n)
		b.ReportMetric(done.Sub(back).Seconds(), "s-after-recovery")
		b.ReportMetric(float64(len(dc.Received())), "messages")
		r.stop()
	}
}

// BenchmarkOutage60s: Discord down for 60 s, 20 events meanwhile.
func BenchmarkOutage60s(b *testing.B) { benchmarkOutage(b, false) }

// BenchmarkOutageKilled: the same, and the relay killed and restarted at
// 12 s.
func BenchmarkOutageKilled(b *testing.B) { benchmarkOutage(b, true) }
