package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"

	"clockify-discord-relay/lambda/apigateway"
	"clockify-discord-relay/lambda/discord"
	"clockify-discord-relay/lambda/discord/discordtest"
)

// functionTimeout is template.yaml's Timeout: each invocation's deadline.
const functionTimeout = 28 * time.Second

const burstSize = 50

// burstFloor is the least time Discord's bucket allows for the burst: the
// first 5 go at once, then 5 more every 2 s.
func burstFloor(dc *discordtest.Server) time.Duration {
	return time.Duration((burstSize+dc.Limit-1)/dc.Limit-1) * dc.Window
}

func newLambdaHandler(t *testing.T, dc *discordtest.Server) *apigateway.Handler {
	t.Helper()
	s := trustSettings(t, dc, trustSecret)
	return apigateway.NewHandler(newRelay(s, discord.NewClient(&http.Client{}), slog.New(slog.NewJSONHandler(io.Discard, nil)), false, nil))
}

// invokeBurstEvent is one Lambda invocation, with the function's deadline.
func invokeBurstEvent(t *testing.T, h *apigateway.Handler, i int) int {
	ctx, cancel := context.WithTimeout(context.Background(), functionTimeout)
	defer cancel()
	payload, _ := json.Marshal(events.APIGatewayProxyRequest{
		HTTPMethod: "POST",
		Headers:    signed("NEW_TIMER_STARTED"),
		Body:       entryBody(fmt.Sprintf("burst message %02d", i), "Ada"),
	})
	out, err := h.Invoke(ctx, payload)
	if err != nil {
		t.Errorf("invocation %d: %v", i, err)
		return 0
	}
	var resp events.APIGatewayProxyResponse
	_ = json.Unmarshal(out, &resp)
	if resp.StatusCode/100 != 2 {
		t.Errorf("invocation %d: %d %s", i, resp.StatusCode, resp.Body)
	}
	return resp.StatusCode
}

// checkDeliveredOnce asserts that each of the burst's messages reached
// Discord exactly once.
func checkDeliveredOnce(t *testing.T, dc *discordtest.Server) {
	t.Helper()
	counts := map[int]int{}
	for _, r := range dc.Received() {
		var i int
		body := string(r.Body)
		idx := strings.Index(body, "burst message ")
		if idx < 0 {
			t.Fatalf("unexpected message %s", body)
		}
		fmt.Sscanf(body[idx+len("burst message "):], "%d", &i)
		counts[i]++
	}
	for i := range burstSize {
		if counts[i] != 1 {
			t.Errorf("message %d delivered %d times", i, counts[i])
		}
	}
}

// TestBurstThroughOneWarmInstance: 9:00, the whole team starts its timers,
// and one warm Lambda instance takes the events one after another.
func TestBurstThroughOneWarmInstance(t *testing.T) {
	t.Parallel()
	dc := discordtest.NewServer(t)
	h := newLambdaHandler(t, dc)
	start := time.Now()
	for i := range burstSize {
		invokeBurstEvent(t, h, i)
	}
	elapsed := time.Since(start)
	checkDeliveredOnce(t, dc)

	floor := burstFloor(dc)
	windows := int(elapsed/dc.Window) + 1
	t.Logf("one warm instance: %d messages in %s (floor %s, %.2fx), %d requests, %d 429s over %d bucket windows",
		burstSize, elapsed.Round(time.Millisecond), floor, elapsed.Seconds()/floor.Seconds(), dc.Requests(), dc.RateLimited(), windows)
	if elapsed > floor*12/10 {
		t.Errorf("the burst took %s, more than 1.2x the floor of %s", elapsed, floor)
	}
	if dc.RateLimited() > windows {
		t.Errorf("%d 429s in %d bucket windows: more than one per window", dc.RateLimited(), windows)
	}
}

// TestBurstThroughManyInstances: the same burst through 50 Lambda
// instances at once, each with its own client and no shared state.
func TestBurstThroughManyInstances(t *testing.T) {
	t.Parallel()
	dc := discordtest.NewServer(t)
	start := time.Now()
	var wg sync.WaitGroup
	for i := range burstSize {
		h := newLambdaHandler(t, dc)
		wg.Go(func() { invokeBurstEvent(t, h, i) })
	}
	wg.Wait()
	elapsed := time.Since(start)
	checkDeliveredOnce(t, dc)
	t.Logf("%d instances at once: %d messages in %s (floor %s, %.2fx), %d requests, %d 429s",
		burstSize, burstSize, elapsed.Round(time.Millisecond), burstFloor(dc), elapsed.Seconds()/burstFloor(dc).Seconds(), dc.Requests(), dc.RateLimited())
}
