package simulation

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptrace"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"clockify-discord-relay/lambda/discord"
)

// Discord's limits as the model enforces them: a webhook's bucket of 5
// requests per 2 s, and a channel's 30 messages a minute, edits included.
const (
	bucketLimit   = 5
	bucketWindow  = 2 * time.Second
	channelLimit  = 30
	channelWindow = time.Minute
	// slowAnswer is how long a slow answer takes: past any deadline.
	slowAnswer = 2 * time.Minute
	goneAfter  = 30 * time.Minute
	outageFrom = 10 * time.Minute
	outageFor  = 25 * time.Hour // past queue.MaxAge: jobs are dead-lettered
)

// Fault probabilities per request, before faults.rate scales them.
const (
	pServerError  = 0.04 // 500: not posted
	pGatewayTime  = 0.01 // 504: posted, the edge gave up
	pStale        = 0.03 // a kept-alive connection dead before the write: not posted
	pDropAfter    = 0.02 // the connection dropped after the write: posted
	pSlow         = 0.02 // posted, answered after every deadline
	pRateLimited  = 0.03 // a 429 the headers did not foresee
	pDeleteBoard  = 0.05 // a person deletes the board (per edit)
	pGone         = 0.03 // per run: the webhook is deleted after goneAfter
	pOutage       = 0.05 // per run: Discord answers 503 for outageFor
	pBoardTooOld  = 0.05 // an edit refused: the message is too old (30046), and every edit after
	pAtDeadline   = 0.01 // posted, answered just as the caller's deadline passes
	pBriefOutage  = 0.1  // per run: Discord answers 503 for a few minutes, then recovers
	gatewayPosted = 0.5  // of 504s, how many posted first
)

// posted is one message on a channel.
type posted struct {
	ID      string
	Channel string
	At      time.Time
	Msg     discord.Message
	Edits   int
	Deleted bool
	// TooOld: Discord refused an edit as too old (30046); it refuses
	// every later one too.
	TooOld bool
	// Answered: the relay had Discord's answer to the post in time;
	// MaybeAnswered: the answer came as the relay's deadline passed.
	Answered, MaybeAnswered bool
	// by is the instance that had the answer: one that died may not
	// have recorded it anywhere.
	by *instance
	// Hook is the webhook that posted it.
	Hook string
}

// discordModel is Discord for the relay's webhooks, as an
// http.RoundTripper: the real discord.Client talks to it.
type discordModel struct {
	f *faults

	mu       sync.Mutex
	hooks    map[string]string // webhook id → channel
	gone     map[string]bool   // deleted webhooks
	messages []*posted         // every message, in the order posted
	byID     map[string]*posted
	nextID   int64
	bucket   map[string][]time.Time // webhook → its requests in the window
	channel  map[string][]time.Time // channel → its messages and edits in the window
	conns    map[*instance]bool     // instances with a kept-alive connection
	requests int
	start    time.Time
	goneAt   time.Time // when the webhook is deleted; zero: never
	outage   bool      // Discord is down from outageFrom for outageFor
	// A brief outage: down from briefFrom until briefTo (zero: none).
	briefFrom, briefTo time.Time
	// refusedOld are the messages refused as too old, with the instance
	// that was refused; deleteAsked, the messages the relay asked to
	// delete.
	refusedOld  map[string]*instance
	deleteAsked map[string]bool
	// trace, when set, gets the model's side of the run.
	trace func(format string, args ...any)
}

func newDiscordModel(f *faults) *discordModel {
	return &discordModel{f: f, hooks: map[string]string{}, gone: map[string]bool{}, byID: map[string]*posted{},
		nextID: 1_000_000_000_000_000_000, bucket: map[string][]time.Time{}, channel: map[string][]time.Time{}, conns: map[*instance]bool{},
		start: time.Now(), outage: f.hit("outage", "", pOutage), refusedOld: map[string]*instance{}, deleteAsked: map[string]bool{}}
}

// briefOutageLater makes Discord answer 503 for 2 to 20 minutes, starting
// 5 to 25 minutes into the day, in some runs.
func (m *discordModel) briefOutageLater() {
	if !m.f.hit("brief-outage", "", pBriefOutage) {
		return
	}
	from := m.start.Add(5*time.Minute + time.Duration(m.f.roll("brief-from", "")*float64(20*time.Minute)))
	m.briefFrom, m.briefTo = from, from.Add(2*time.Minute+time.Duration(m.f.roll("brief-for", "")*float64(18*time.Minute)))
}

// recovered is when Discord came back from a brief outage; zero when
// there was none, or the long outage went on past it.
func (m *discordModel) recovered() time.Time {
	if m.outage {
		return time.Time{}
	}
	return m.briefTo
}

// deleteWebhookLater deletes the webhook after goneAfter, in some runs.
func (m *discordModel) deleteWebhookLater() {
	if m.f.hit("gone", "", pGone) {
		m.goneAt = m.start.Add(goneAfter)
	}
}

// webhookGone reports whether the webhook was deleted by the end.
func (m *discordModel) webhookGone() bool { return !m.goneAt.IsZero() }

// webhook adds a webhook on channel and returns its URL.
func (m *discordModel) webhook(id, channel string) string {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.hooks[id] = channel
	return "https://discord.com/api/webhooks/" + id + "/token-" + id
}

// channelOf is the channel a webhook URL posts to ("" for none).
func (m *discordModel) channelOf(url string) string {
	id, _, _ := strings.Cut(strings.TrimPrefix(url, "https://discord.com/api/webhooks/"), "/")
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.hooks[id]
}

// RoundTrip plays one request: the connection (reused or not, dead
// before or after the write), the limits, the faults, and the effect.
func (m *discordModel) RoundTrip(req *http.Request) (*http.Response, error) {
	ctx := req.Context()
	in := instanceOf(ctx)
	if in != nil && !in.alive() {
		return nil, errKilled
	}
	var body []byte
	if req.Body != nil {
		body, _ = io.ReadAll(req.Body)
	}
	trace := httptrace.ContextClientTrace(ctx)
	_, path, _ := strings.Cut(req.URL.Path, "/webhooks/") // after /api/v10
	parts := strings.Split(path, "/")
	hookID := parts[0]
	m.mu.Lock()
	m.requests++
	if req.Method == http.MethodDelete && len(parts) == 4 {
		m.deleteAsked[parts[3]] = true
	}
	reqID := hookID + "/" + req.Method
	reused := m.conns[in]
	m.conns[in] = true
	m.mu.Unlock()
	if trace != nil && trace.GotConn != nil {
		trace.GotConn(httptrace.GotConnInfo{Reused: reused})
	}
	wrote := func(err error) {
		if trace != nil && trace.WroteRequest != nil {
			trace.WroteRequest(httptrace.WroteRequestInfo{Err: err})
		}
	}
	if reused && m.f.hit("stale", reqID, pStale) {
		wrote(syscall.EPIPE)
		m.mu.Lock()
		delete(m.conns, in)
		m.mu.Unlock()
		return nil, &net.OpError{Op: "write", Net: "tcp", Err: syscall.EPIPE}
	}
	wrote(nil)
	status, answer, header, effect := m.serve(req.Method, parts, req.URL.Query().Get("wait") == "true", body)
	if status == http.StatusBadRequest && req.Method == http.MethodPatch {
		m.mu.Lock()
		m.refusedOld[parts[3]] = in
		m.mu.Unlock()
	}
	if boardCall := len(parts) == 4 || strings.Contains(string(body), "Working now"); m.trace != nil && boardCall {
		m.trace("discord: %s %s → %d", req.Method, strings.Join(parts[1:], "/"), status)
	}
	_, hasDeadline := ctx.Deadline()
	applied := false
	switch {
	case effect && hasDeadline && m.f.hit("at-deadline", reqID, pAtDeadline):
		answer, applied = m.apply(effect, parts, req.Method, body), true
		if req.Method == http.MethodPost {
			m.answered(answer, false, in) // the relay may read it, or not
		}
		<-ctx.Done() // the answer comes as the deadline passes
	case effect && m.f.hit("drop", reqID, pDropAfter):
		m.apply(effect, parts, req.Method, body)
		m.mu.Lock()
		delete(m.conns, in)
		m.mu.Unlock()
		return nil, io.ErrUnexpectedEOF
	case effect && m.f.hit("slow", reqID, pSlow):
		answer, applied = m.apply(effect, parts, req.Method, body), true
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-time.After(slowAnswer):
		}
	case effect && m.f.hit("504", reqID, pGatewayTime):
		if m.f.roll("504posted", reqID) < gatewayPosted {
			m.apply(effect, parts, req.Method, body)
		}
		return response(req, http.StatusGatewayTimeout, nil, nil), nil
	}
	if in != nil && !in.alive() {
		return nil, errKilled
	}
	if effect && !applied {
		answer = m.apply(effect, parts, req.Method, body)
		if req.Method == http.MethodPost {
			m.answered(answer, true, in)
		}
	}
	if effect && req.Method == http.MethodPatch {
		m.deleteSometimes(parts[3])
	}
	if trace != nil && trace.GotFirstResponseByte != nil {
		trace.GotFirstResponseByte()
	}
	return response(req, status, answer, header), nil
}

// serve decides the answer to a request, before any effect: effect is
// true when Discord would act on it.
func (m *discordModel) serve(method string, parts []string, wait bool, body []byte) (status int, answer []byte, h http.Header, effect bool) {
	m.mu.Lock()
	defer m.mu.Unlock()
	hookID := parts[0]
	channel, known := m.hooks[hookID]
	h = http.Header{}
	now := time.Now()
	if !known || m.gone[hookID] || !m.goneAt.IsZero() && !now.Before(m.goneAt) {
		return http.StatusNotFound, []byte(`{"message": "Unknown Webhook", "code": 10015}`), h, false
	}
	if m.outage && !now.Before(m.start.Add(outageFrom)) && now.Before(m.start.Add(outageFrom+outageFor)) ||
		!now.Before(m.briefFrom) && now.Before(m.briefTo) {
		return http.StatusServiceUnavailable, []byte(`{"message": "Service Unavailable", "code": 0}`), h, false
	}
	// The webhook's bucket.
	reqs := window(m.bucket[hookID], now, bucketWindow)
	if len(reqs) >= bucketLimit {
		wait := reqs[0].Add(bucketWindow).Sub(now)
		return http.StatusTooManyRequests, retryAfter(wait), rateHeaders(h, 0, wait), false
	}
	m.bucket[hookID] = append(reqs, now)
	reset := m.bucket[hookID][0].Add(bucketWindow).Sub(now)
	rateHeaders(h, bucketLimit-len(m.bucket[hookID]), reset)
	if m.f.hit("429", hookID, pRateLimited) {
		return http.StatusTooManyRequests, retryAfter(time.Second), h, false
	}
	if m.f.hit("500", hookID+method, pServerError) {
		return http.StatusInternalServerError, []byte(`{"message": "Internal Server Error", "code": 0}`), h, false
	}
	switch {
	case method == http.MethodGet && len(parts) == 2:
		return http.StatusOK, fmt.Appendf(nil, `{"id":%q,"guild_id":"1","channel_id":%q}`, hookID, channel), h, false
	case method == http.MethodPatch && len(parts) == 4:
		msg := m.byID[parts[3]]
		if msg == nil || msg.Deleted || msg.Channel != channel {
			return http.StatusNotFound, []byte(`{"message": "Unknown Message", "code": 10008}`), h, false
		}
		if msg.TooOld || msg.Edits >= 2 && m.f.hit("old", parts[3], pBoardTooOld) {
			msg.TooOld = true
			return http.StatusBadRequest, []byte(`{"message": "This message is too old to edit", "code": 30046}`), h, false
		}
	case method == http.MethodDelete && len(parts) == 4:
		msg := m.byID[parts[3]]
		if msg == nil || msg.Deleted || msg.Channel != channel {
			return http.StatusNotFound, []byte(`{"message": "Unknown Message", "code": 10008}`), h, false
		}
		return http.StatusNoContent, nil, h, true
	case method == http.MethodPost && len(parts) == 2:
	default:
		return http.StatusMethodNotAllowed, nil, h, false
	}
	// The channel's own limit counts messages and edits.
	sent := window(m.channel[channel], now, channelWindow)
	if len(sent) >= channelLimit {
		m.channel[channel] = sent
		return http.StatusTooManyRequests, retryAfter(sent[0].Add(channelWindow).Sub(now)), h, false
	}
	m.channel[channel] = append(sent, now)
	if method == http.MethodPost && wait {
		return http.StatusOK, nil, h, true
	}
	if method == http.MethodPost {
		return http.StatusNoContent, nil, h, true
	}
	return http.StatusOK, nil, h, true
}

// apply posts or edits, and returns the ?wait=true answer.
func (m *discordModel) apply(effect bool, parts []string, method string, body []byte) []byte {
	m.mu.Lock()
	defer m.mu.Unlock()
	var msg discord.Message
	_ = json.Unmarshal(body, &msg)
	channel := m.hooks[parts[0]]
	if method == http.MethodDelete {
		m.byID[parts[3]].Deleted = true
		return nil
	}
	if method == http.MethodPatch {
		p := m.byID[parts[3]]
		p.Msg, p.Edits = msg, p.Edits+1
		return fmt.Appendf(nil, `{"id":%q,"channel_id":%q}`, p.ID, channel)
	}
	m.nextID++
	p := &posted{ID: strconv.FormatInt(m.nextID, 10), Channel: channel, At: time.Now(), Msg: msg, Hook: parts[0]}
	m.messages = append(m.messages, p)
	m.byID[p.ID] = p
	return fmt.Appendf(nil, `{"id":%q,"channel_id":%q}`, p.ID, channel)
}

// answered marks the post that answer names as answered: surely in
// time, or maybe (as the caller's deadline passed).
func (m *discordModel) answered(answer []byte, surely bool, by *instance) {
	var a struct{ ID string }
	_ = json.Unmarshal(answer, &a)
	m.mu.Lock()
	defer m.mu.Unlock()
	if p := m.byID[a.ID]; p != nil {
		p.Answered, p.MaybeAnswered, p.by = surely, !surely, by
	}
}

// deleteSometimes deletes a board message, as a person tidying the
// channel would.
func (m *discordModel) deleteSometimes(id string) {
	if !m.f.hit("delete", id, pDeleteBoard) {
		return
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if p := m.byID[id]; p != nil {
		p.Deleted = true
	}
}

// undeletedTooOld are the messages refused as too old that are still in
// the channel and that the relay never asked to delete, though the
// instance refused lived on.
func (m *discordModel) undeletedTooOld() []string {
	m.mu.Lock()
	defer m.mu.Unlock()
	var out []string
	for id, in := range m.refusedOld {
		if !m.byID[id].Deleted && !m.deleteAsked[id] && (in == nil || in.alive()) {
			out = append(out, id)
		}
	}
	slices.Sort(out)
	return out
}

// posts are the messages posted so far, in order.
func (m *discordModel) posts() []posted {
	m.mu.Lock()
	defer m.mu.Unlock()
	out := make([]posted, len(m.messages))
	for i, p := range m.messages {
		out[i] = *p
	}
	return out
}

// answeredAfter is the first post to channel made after t whose answer
// the relay had in time, and lived to record, nil for none.
func (m *discordModel) answeredAfter(channel string, t time.Time) *posted {
	m.mu.Lock()
	defer m.mu.Unlock()
	for _, p := range m.messages {
		if p.Channel == channel && p.Answered && (p.by == nil || p.by.alive()) && p.At.After(t) {
			c := *p
			return &c
		}
	}
	return nil
}

func window(ts []time.Time, now time.Time, w time.Duration) []time.Time {
	i := 0
	for i < len(ts) && !ts[i].After(now.Add(-w)) {
		i++
	}
	return ts[i:]
}

func retryAfter(d time.Duration) []byte {
	return fmt.Appendf(nil, `{"message": "You are being rate limited.", "retry_after": %.3f, "global": false}`, d.Seconds())
}

func rateHeaders(h http.Header, remaining int, reset time.Duration) http.Header {
	h.Set("X-RateLimit-Limit", strconv.Itoa(bucketLimit))
	h.Set("X-RateLimit-Remaining", strconv.Itoa(remaining))
	h.Set("X-RateLimit-Reset-After", strconv.FormatFloat(reset.Seconds(), 'f', 3, 64))
	h.Set("X-RateLimit-Bucket", "webhook")
	return h
}

func response(req *http.Request, status int, body []byte, h http.Header) *http.Response {
	if h == nil {
		h = http.Header{}
	}
	if body != nil {
		h.Set("Content-Type", "application/json")
	}
	return &http.Response{StatusCode: status, Status: http.StatusText(status), Header: h, Body: io.NopCloser(bytes.NewReader(body)), Request: req, ContentLength: int64(len(body))}
}
