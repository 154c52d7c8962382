package deployment_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"clockify-discord-relay/lambda/discord/discordtest"
	"clockify-discord-relay/lambda/store/sqs/sqstest"
)

// The Lambda-mode benchmarks (make bench) run the template's two
// functions, each under a Runtime Interface Emulator of its own, over
// kumo's SQS and DynamoDB, against the Discord stand-in with Discord's
// limits. Lambda's SQS trigger is played by a poller that hands each
// batch to the delivery function, one at a time, as a FIFO trigger does
// for one group. Each runs once; its figures go to BENCHMARKS.md beside
// local mode's.

// lambdaStack is the deployed stack, on this machine.
type lambdaStack struct {
	api, delivery *lambdaUnderRIE
	sqs           *sqstest.Emulator
	dc            *discordtest.Server
	stop          func()
}

func startLambdaStack(b testing.TB) *lambdaStack {
	b.Helper()
	dc, emu, q, vars := stackWorld(b)
	s := &lambdaStack{api: startLambda(b, emu, 28, vars), delivery: startLambda(b, emu, 30, vars), sqs: q, dc: dc}
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	wg.Go(func() {
		for ctx.Err() == nil {
			n, err := q.Poll(ctx, s.delivery.deliver)
			if err != nil && ctx.Err() == nil {
				b.Errorf("the trigger: %v", err)
				return
			}
			if n == 0 {
				time.Sleep(100 * time.Millisecond) // Lambda polls
			}
		}
	})
	s.stop = func() { cancel(); wg.Wait() }
	b.Cleanup(s.stop)
	return s
}

// accept sends event i to the API function; it must be queued.
func (s *lambdaStack) accept(b testing.TB, i int) {
	if r := s.api.invoke(b, timerStarted(b, i)); r.StatusCode != 200 {
		b.Errorf("event %d: %d %s", i, r.StatusCode, r.Body)
	}
}

// BenchmarkLambdaIdle: one event at a time to an idle stack, from the
// API function's invocation to the message in Discord, through SQS.
func BenchmarkLambdaIdle(b *testing.B) {
	for range b.N {
		s := startLambdaStack(b)
		var took []time.Duration
		for i := range 5 {
			start := time.Now()
			s.accept(b, i)
			took = append(took, waitDelivered(b, s.dc, i+1).Sub(start))
			time.Sleep(3 * time.Second) // idle again: the bucket refilled, the board settled
		}
		b.ReportMetric(float64(percentile(took, 50).Microseconds())/1000, "ms-accepted-to-shown")
		s.stop()
	}
}

// BenchmarkLambdaRush300: 300 timer starts within 10 s to one channel.
func BenchmarkLambdaRush300(b *testing.B) {
	const n, spread = 300, 10 * time.Second
	for range b.N {
		s := startLambdaStack(b)
		start := time.Now()
		for i := range n {
			s.accept(b, i)
			time.Sleep(time.Until(start.Add(time.Duration(i+1) * spread / n)))
		}
		done := waitDelivered(b, s.dc, n)
		checkInOrderOnce(b, deliveredEntries(s.dc), n)
		b.ReportMetric(done.Sub(start).Seconds(), "s-to-all-delivered")
		b.ReportMetric(float64(len(s.dc.Received())), "messages")
		b.ReportMetric(float64(s.dc.RateLimited()), "429s")
		s.stop()
	}
}

// BenchmarkLambdaOutage40s: Discord is down for 40 s while 10 events
// come in within 2 s; the figure is the time from Discord's recovery to
// the last of them shown.
func BenchmarkLambdaOutage40s(b *testing.B) {
	const n, outage = 10, 40 * time.Second
	for range b.N {
		s := startLambdaStack(b)
		s.dc.SetDown(true)
		start := time.Now()
		for i := range n {
			s.accept(b, i)
			time.Sleep(time.Until(start.Add(time.Duration(i+1) * 2 * time.Second / n)))
		}
		time.Sleep(time.Until(start.Add(outage)))
		s.dc.SetDown(false)
		back := time.Now()
		done := waitDelivered(b, s.dc, n)
		checkInOrderOnce(b, deliveredEntries(s.dc), n)
		b.ReportMetric(done.Sub(back).Seconds(), "s-after-recovery")
		s.stop()
	}
}
