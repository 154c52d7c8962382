package discord

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"net"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// Backoff for 5xx answers and connection failures: exponential from
// backoffBase, capped at backoffCap, with jitter so that many Lambda
// instances do not retry in step.
const (
	backoffBase = 250 * time.Millisecond
	backoffCap  = 4 * time.Second
	// rateLimitJitter spreads the instances that a 429 told to come back
	// at the same moment.
	rateLimitJitter = 100 * time.Millisecond
)

// Jitter draws a wait in [0, n): random, so that instances do not retry in
// step. The simulation makes it a function of n alone, to replay a seed
// exactly.
var Jitter = rand.N[time.Duration]

// verdict is what to do after one attempt. decide is the one place that
// makes that choice.
type verdict struct {
	done        bool          // Discord accepted the message
	permanent   error         // do not try again
	cause       error         // why another attempt is needed
	wait        time.Duration // before the next attempt
	rateLimited bool          // a 429
	global      bool          // the 429 is the global limit
}

// decide reads one attempt's answer or error:
//   - 2xx: accepted.
//   - 429: wait retry_after (or Retry-After), then again.
//   - 5xx, or a connection that could not be made: back off, then again.
//   - an error after the request may have reached Discord: not sent again,
//     so a message is never posted twice.
//   - any other 4xx: permanent.
func decide(a *answer, err error, attempt int) verdict {
	if err != nil {
		var maybe *MaybeSentError
		switch {
		case errors.As(err, &maybe):
			return verdict{permanent: err}
		case errors.Is(err, errInvalidURL):
			return verdict{permanent: err}
		case errors.Is(err, context.DeadlineExceeded), errors.Is(err, context.Canceled):
			return verdict{permanent: &OutOfTimeError{Cause: err}}
		case notSent(err):
			return verdict{cause: err, wait: backoff(attempt)}
		}
		return verdict{permanent: &MaybeSentError{Cause: err}}
	}
	switch {
	case a.StatusCode/100 == 2:
		return verdict{done: true}
	case a.StatusCode == http.StatusTooManyRequests:
		return decideRateLimited(a)
	case a.StatusCode == http.StatusGatewayTimeout:
		// The edge gave up waiting for Discord, which may still post it.
		return verdict{permanent: &MaybeSentError{Cause: readAPIError(a)}}
	case a.StatusCode >= 500:
		return verdict{cause: readAPIError(a), wait: backoff(attempt)}
	case a.StatusCode/100 == 3:
		return verdict{permanent: &APIError{StatusCode: a.StatusCode, Message: "Discord redirected the request; redirects are not followed"}}
	}
	return verdict{permanent: readAPIError(a)}
}

// rateLimitBody is Discord's 429 body; retry_after is in seconds.
type rateLimitBody struct {
	RetryAfter json.RawMessage `json:"retry_after"`
	Global     bool            `json:"global"`
}

const (
	// maxHold caps the wait Discord asks for: a longer one, or one past
	// what a time.Duration holds, holds the webhook this long.
	maxHold = time.Hour
	// unknownRetryAfter is the wait when Discord's is unreadable
	// (negative, not a number, infinite): back off, never burst.
	unknownRetryAfter = 2 * time.Second
)

func decideRateLimited(a *answer) verdict {
	var body rateLimitBody
	_ = json.Unmarshal(a.Body, &body)
	retryAfter, given := seconds(string(body.RetryAfter))
	if !given {
		retryAfter, given = seconds(a.Header.Get("Retry-After"))
	}
	if !given {
		// Cloudflare's bans answer 429 without either; retrying adds to them.
		return verdict{rateLimited: true, permanent: &APIError{StatusCode: a.StatusCode, Message: "blocked without a retry_after; not retried"}}
	}
	global := body.Global || strings.EqualFold(a.Header.Get("X-RateLimit-Global"), "true")
	return verdict{
		rateLimited: true,
		global:      global,
		cause:       fmt.Errorf("discord: rate limited for %s", retryAfter.Round(time.Millisecond)),
		wait:        retryAfter + Jitter(rateLimitJitter),
	}
}

// seconds reads a wait in seconds: a JSON number, a number in a JSON
// string, or a header's text. given is false when there is none; a value
// that is there but unusable (negative, NaN, infinite, not a number) is
// unknownRetryAfter, and a huge one maxHold.
func seconds(raw string) (wait time.Duration, given bool) {
	raw = strings.TrimSpace(raw)
	if unquoted, err := strconv.Unquote(raw); err == nil {
		raw = strings.TrimSpace(unquoted)
	}
	if raw == "" || raw == "null" {
		return 0, false
	}
	f, err := strconv.ParseFloat(raw, 64)
	switch {
	case err != nil && !errors.Is(err, strconv.ErrRange), math.IsNaN(f), f < 0:
		return unknownRetryAfter, true
	case math.IsInf(f, 1), f >= maxHold.Seconds():
		return maxHold, true
	}
	return time.Duration(f * float64(time.Second)), true
}

// notSent reports whether the request surely never reached Discord.
func notSent(err error) bool {
	var op *net.OpError
	return errors.As(err, &op) && op.Op == "dial"
}

// backoff is the wait before attempt+1: equal jitter over a capped
// exponential.
func backoff(attempt int) time.Duration {
	d := backoffBase << min(attempt-1, 8)
	d = min(d, backoffCap)
	return d/2 + Jitter(d/2+1)
}

// OutOfTimeError is returned when the message could not be delivered
// before the deadline: Discord asked to wait longer than the time left, or
// kept failing until then. The caller should answer so that Clockify logs a
// failure and the delivery can be resent.
type OutOfTimeError struct {
	Cause error         // the last reason to wait
	Wait  time.Duration // how long Discord asked to wait, when it did
}

func (e *OutOfTimeError) Error() string {
	msg := "discord: no time left to deliver the message"
	if e.Wait > 0 {
		msg += fmt.Sprintf(" (asked to wait %s)", e.Wait.Round(time.Millisecond))
	}
	if e.Cause != nil {
		msg += ": " + e.Cause.Error()
	}
	return msg
}

func (e *OutOfTimeError) Unwrap() error { return e.Cause }

// MaybeSentError is a failure after Discord may have taken the message:
// the connection broke, or the answer did not come, after the whole
// request went out, or the edge answered 504. The outcome is unknown: it
// is neither retried (a duplicate) nor reported as "not delivered".
type MaybeSentError struct{ Cause error }

func (e *MaybeSentError) Error() string {
	return e.Cause.Error() + " (the message may have reached Discord)"
}

func (e *MaybeSentError) Unwrap() error { return e.Cause }

// Failure is what a failed Send means for a queue.
type Failure int

const (
	// Retryable: Discord may accept the message later (5xx, 429, a
	// connection error, no time left).
	Retryable Failure = iota
	// Permanent: Discord will never accept this message (another 4xx).
	Permanent
	// WebhookGone: Discord will accept nothing for this webhook: it was
	// deleted, its token is wrong, or the URL is not a webhook. After a
	// 404, stop using the webhook (docs topics/rate-limits).
	WebhookGone
	// Unknown: Discord may have posted it (a MaybeSentError).
	Unknown
	// MessageGone: the message to edit was deleted (404, code 10008); the
	// webhook itself is fine.
	MessageGone
)

func (f Failure) String() string {
	return [...]string{"retryable", "permanent", "webhook gone", "unknown", "message gone"}[f]
}

// Classify tells a queue what a Send error means, and how long Discord
// asked to wait (0 when it did not say). It is the one place where queue
// failures are sorted; decide sorts the attempts within one Send.
func Classify(err error) (Failure, time.Duration) {
	var late *OutOfTimeError
	var api *APIError
	var maybe *MaybeSentError
	switch {
	case errors.As(err, &maybe):
		return Unknown, 0
	case errors.As(err, &late):
		return Retryable, late.Wait
	case errors.Is(err, ErrNoWebhookURL), errors.Is(err, errInvalidURL), errors.Is(err, errNotWebhook):
		return WebhookGone, 0
	case errors.Is(err, errEmptyMessage):
		return Permanent, 0
	case errors.As(err, &api):
		switch {
		case api.Code == CodeUnknownMessage, api.Code == CodeMessageTooOld:
			return MessageGone, 0
		case api.StatusCode == http.StatusNotFound, api.StatusCode == http.StatusUnauthorized,
			api.Code == CodeUnknownWebhook, api.Code == CodeInvalidWebhookToken:
			return WebhookGone, 0
		case api.StatusCode == http.StatusTooManyRequests, api.StatusCode >= 500:
			return Retryable, 0
		case api.StatusCode >= 300:
			return Permanent, 0 // another 4xx, or a redirect
		}
	}
	return Retryable, 0
}
