package discordtest

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf8"

	"clockify-discord-relay/lambda/discord"
)

// Webhook id and token the server knows.
const (
	WebhookID = "112233445566778899"
	Token     = "stand-in-token-0123456789abcdefghijklmnopqrstuvwxyz-ABCDEFGHIJKLMNOP"
)

// Received is one message Discord accepted.
type Received struct {
	ID      string // the message id, as ?wait=true tells it
	Path    string
	Header  http.Header
	Body    []byte
	Message discord.Message
}

// Edit is one accepted edit of a message.
type Edit struct {
	ID      string
	Body    []byte
	Message discord.Message
}

// Guild and channel the stand-in's webhook belongs to.
const (
	GuildID   = "223344556677889900"
	ChannelID = "334455667788990011"
)

// Server behaves like Discord for one webhook.
type Server struct {
	*httptest.Server

	// Bucket is the rate limit: Limit requests per Window.
	Limit  int
	Window time.Duration
	// The channel's own limit: ChannelLimit messages per ChannelWindow
	// (30 a minute, discord-api-docs#367). Discord answers 429 with a long
	// retry_after while the bucket headers still show requests left. Zero
	// turns it off.
	ChannelLimit  int
	ChannelWindow time.Duration
	// A message older than OldAfter takes OldEdits more edits, then
	// answers 400, code 30046: Discord limits edits of messages older
	// than an hour and does not say how many it takes. Zero OldAfter
	// turns it off.
	OldAfter time.Duration
	OldEdits int

	mu            sync.Mutex
	received      []Received
	requests      int
	rateLimited   int
	bucketStart   time.Time
	bucketUsed    int
	posted        []time.Time                  // when each accepted message was posted, for the channel limit
	commands      map[string][]json.RawMessage // registered slash commands, by guild ("" global)
	commandWrites int
	down          bool
	edits         []Edit
	gone          map[string]bool      // messages deleted in Discord
	postedAt      map[string]time.Time // when each message was posted
	oldEdits      map[string]int       // edits each took once old
	failures      []int                // statuses to answer next, in order
	latency       time.Duration
	lateAnswer    time.Duration
	deleted       bool
	inMemory      bool   // NewInMemory: no socket
	channel       string // where the webhook posts; ChannelID until moved
}

// NewServer starts a stand-in with Discord's webhook bucket of 5 requests
// per 2 seconds and its channel limit of 30 messages a minute. It is
// closed when the test ends.
func NewServer(t testing.TB) *Server {
	s := &Server{Limit: 5, Window: 2 * time.Second, ChannelLimit: 30, ChannelWindow: time.Minute, OldAfter: time.Hour, OldEdits: 3}
	s.Server = httptest.NewServer(http.HandlerFunc(s.serve))
	t.Cleanup(s.Close)
	return s
}

// WebhookURL is the URL a user would copy from Discord, pointing here.
func (s *Server) WebhookURL() string {
	return s.URL + "/api/webhooks/" + WebhookID + "/" + Token
}

// HTTPSWebhookURL is WebhookURL with https, as routes require; send to it
// through a client whose transport is HTTPSToHTTP.
func (s *Server) HTTPSWebhookURL() string {
	return strings.Replace(s.WebhookURL(), "http://", "https://", 1)
}

// HTTPSToHTTP is a transport that sends https requests as http, so that a
// client can reach the stand-in at an https URL.
type HTTPSToHTTP struct{}

// RoundTrip sends r over plain HTTP.
func (HTTPSToHTTP) RoundTrip(r *http.Request) (*http.Response, error) {
	r = r.Clone(r.Context())
	r.URL.Scheme = "http"
	return http.DefaultTransport.RoundTrip(r)
}

// Received returns the messages accepted so far.
func (s *Server) Received() []Received {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Received(nil), s.received...)
}

// Requests counts every request, accepted or not.
func (s *Server) Requests() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.requests
}

// RateLimited counts the 429 answers given.
func (s *Server) RateLimited() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.rateLimited
}

// FailNext makes the next requests fail with these statuses, in order. A
// 429 here is a shared-resource limit; 5xx are server errors.
func (s *Server) FailNext(statuses ...int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.failures = append(s.failures, statuses...)
}

// SetLatency delays every answer.
func (s *Server) SetLatency(d time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.latency = d
}

// SetLateAnswer makes the server post each message at once and answer
// only d later: Discord took it, and the client may give up first.
func (s *Server) SetLateAnswer(d time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.lateAnswer = d
}

// Edits returns the edits accepted so far.
func (s *Server) Edits() []Edit {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Edit(nil), s.edits...)
}

// Message returns a message as it shows now, edits applied.
func (s *Server) Message(id string) (discord.Message, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, r := range s.received {
		if r.ID == id && !s.gone[id] {
			return r.Message, true
		}
	}
	return discord.Message{}, false
}

// Visible returns the messages the channel shows now, in order, edits
// applied.
func (s *Server) Visible() []Received {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []Received
	for _, r := range s.received {
		if !s.gone[r.ID] {
			out = append(out, r)
		}
	}
	return out
}

// DeleteMessage deletes a message, as a user can in Discord: editing it
// then answers 404, code 10008.
func (s *Server) DeleteMessage(id string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.delete(id)
}

func (s *Server) delete(id string) {
	if s.gone == nil {
		s.gone = map[string]bool{}
	}
	s.gone[id] = true
}

// SetDown makes every request fail with 503 until SetDown(false), as in a
// Discord outage.
func (s *Server) SetDown(down bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.down = down
}

// DeleteWebhook makes the webhook unknown, as when a user deletes it.
func (s *Server) DeleteWebhook() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.deleted = true
}

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	// Read the body first: only then does the server notice a client that
	// gives up, which ends the wait below.
	body, _ := io.ReadAll(io.LimitReader(r.Body, 10<<20))
	s.mu.Lock()
	latency := s.latency
	s.mu.Unlock()
	if latency > 0 {
		select {
		case <-time.After(latency):
		case <-r.Context().Done():
			return
		}
	}

	s.mu.Lock()
	defer s.mu.Unlock()
	s.requests++
	if s.down {
		writeError(w, http.StatusServiceUnavailable, 0, "upstream connect error")
		return
	}
	if strings.Contains(r.URL.Path, "/applications/") {
		s.application(w, r, body)
		return
	}

	id, token, messageID, ok := parseWebhookPath(r.URL.Path)
	switch {
	case !(r.Method == http.MethodPost && messageID == "") && !(r.Method == http.MethodPatch && messageID != "") &&
		!(r.Method == http.MethodDelete && messageID != "") && !(r.Method == http.MethodGet && messageID == ""):
		writeError(w, http.StatusMethodNotAllowed, 0, "405: Method Not Allowed")
		return
	case !ok || id != WebhookID || s.deleted:
		writeError(w, http.StatusNotFound, discord.CodeUnknownWebhook, "Unknown Webhook")
		return
	case token != Token:
		writeError(w, http.StatusUnauthorized, discord.CodeInvalidWebhookToken, "Invalid Webhook Token")
		return
	}

	if !s.take(w) {
		return
	}
	if r.Method == http.MethodDelete {
		s.deleteMessage(w, messageID)
		return
	}
	if r.Method == http.MethodGet {
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(map[string]any{"type": 1, "id": WebhookID, "guild_id": GuildID, "channel_id": s.channelID(), "name": "Clockify"})
		return
	}
	if len(s.failures) > 0 {
		status := s.failures[0]
		s.failures = s.failures[1:]
		if status == http.StatusTooManyRequests {
			s.rateLimited++
			writeRateLimited(w, 0.25, false, "shared")
			return
		}
		writeError(w, status, 0, http.StatusText(status))
		return
	}

	payload, files, ok := s.readBody(w, r.Header.Get("Content-Type"), body)
	if !ok {
		return
	}
	var msg discord.Message
	if err := json.Unmarshal(payload, &msg); err != nil {
		writeError(w, http.StatusBadRequest, 50109, "The request body contains invalid JSON.")
		return
	}
	msg.Files = files
	if field, problem := Validate(msg); field != "" {
		writeFormError(w, field, "BASE_TYPE_MAX_LENGTH", problem)
		return
	}
	if msg.Content == "" && len(msg.Embeds) == 0 {
		writeError(w, http.StatusBadRequest, 50006, "Cannot send an empty message")
		return
	}
	// An edit counts against the channel's limit as a post does: Discord
	// does not document edits as exempt.
	if !s.takeChannel(w) {
		return
	}
	if r.Method == http.MethodPatch {
		s.edit(w, messageID, body, msg)
		return
	}
	mid := strconv.Itoa(1300000000000000000 + len(s.received))
	s.received = append(s.received, Received{ID: mid, Path: r.URL.Path, Header: r.Header.Clone(), Body: body, Message: msg})
	if s.postedAt == nil {
		s.postedAt = map[string]time.Time{}
	}
	s.postedAt[mid] = time.Now()
	if late := s.lateAnswer; late > 0 {
		s.mu.Unlock()
		select {
		case <-time.After(late):
		case <-r.Context().Done():
		}
		s.mu.Lock()
	}
	if wait, _ := strconv.ParseBool(r.URL.Query().Get("wait")); wait {
		writeMessage(w, mid, s.channelID(), msg)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// edit replaces a message the webhook posted, unless it was deleted or
// is old and took its edits.
func (s *Server) edit(w http.ResponseWriter, id string, body []byte, msg discord.Message) {
	if at, ok := s.postedAt[id]; ok && !s.gone[id] && s.OldAfter > 0 && time.Since(at) >= s.OldAfter {
		if s.oldEdits[id] >= s.OldEdits {
			writeError(w, http.StatusBadRequest, discord.CodeMessageTooOld, "Maximum number of edits to messages older than 1 hour reached. Try again later")
			return
		}
		if s.oldEdits == nil {
			s.oldEdits = map[string]int{}
		}
		s.oldEdits[id]++
	}
	for i := range s.received {
		if s.received[i].ID == id && !s.gone[id] {
			s.received[i].Message = msg
			s.edits = append(s.edits, Edit{ID: id, Body: body, Message: msg})
			writeMessage(w, id, s.channelID(), msg)
			return
		}
	}
	writeError(w, http.StatusNotFound, discord.CodeUnknownMessage, "Unknown Message")
}

// deleteMessage deletes a message the webhook posted: 204, or 404 with
// code 10008 when there is none.
func (s *Server) deleteMessage(w http.ResponseWriter, id string) {
	if _, ok := s.postedAt[id]; !ok || s.gone[id] {
		writeError(w, http.StatusNotFound, discord.CodeUnknownMessage, "Unknown Message")
		return
	}
	s.delete(id)
	w.WriteHeader(http.StatusNoContent)
}

// Channel is the channel the webhook posts to.
func (s *Server) Channel() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.channelID()
}

// MoveTo moves the webhook to another channel, as Discord's settings can
// (its URL stays).
func (s *Server) MoveTo(channelID string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.channel = channelID
}

func (s *Server) channelID() string {
	if s.channel == "" {
		return ChannelID
	}
	return s.channel
}

func writeMessage(w http.ResponseWriter, id, channel string, msg discord.Message) {
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(map[string]any{"id": id, "channel_id": channel, "content": msg.Content, "embeds": msg.Embeds})
}

// take spends one request from the bucket and writes Discord's headers, or
// answers 429 when the bucket is empty.
func (s *Server) take(w http.ResponseWriter) bool {
	now := time.Now()
	if s.bucketStart.IsZero() || now.Sub(s.bucketStart) >= s.Window {
		s.bucketStart, s.bucketUsed = now, 0
	}
	resetAfter := s.Window - now.Sub(s.bucketStart)
	h := w.Header()
	h.Set("X-RateLimit-Bucket", "stand-in-webhook-bucket")
	h.Set("X-RateLimit-Limit", strconv.Itoa(s.Limit))
	h.Set("X-RateLimit-Reset", strconv.FormatFloat(float64(now.Add(resetAfter).UnixMilli())/1000, 'f', 3, 64))
	h.Set("X-RateLimit-Reset-After", strconv.FormatFloat(resetAfter.Seconds(), 'f', 3, 64))
	if s.bucketUsed >= s.Limit {
		h.Set("X-RateLimit-Remaining", "0")
		s.rateLimited++
		writeRateLimited(w, resetAfter.Seconds(), false, "user")
		return false
	}
	s.bucketUsed++
	h.Set("X-RateLimit-Remaining", strconv.Itoa(s.Limit-s.bucketUsed))
	return true
}

// takeChannel counts a message against the channel's limit, or answers
// 429 with the time until the oldest message of the window leaves it.
func (s *Server) takeChannel(w http.ResponseWriter) bool {
	if s.ChannelLimit <= 0 {
		return true
	}
	now := time.Now()
	for len(s.posted) > 0 && now.Sub(s.posted[0]) >= s.ChannelWindow {
		s.posted = s.posted[1:]
	}
	if len(s.posted) >= s.ChannelLimit {
		s.rateLimited++
		writeRateLimited(w, (s.ChannelWindow - now.Sub(s.posted[0])).Seconds(), false, "user")
		return false
	}
	s.posted = append(s.posted, now)
	return true
}

// Validate checks a message against Discord's length limits, counted in code
// points, and names the first field at fault ("" when the message is valid).
func Validate(m discord.Message) (field, problem string) {
	over := func(s string, n int) bool { return utf8.RuneCountInString(strings.TrimSpace(s)) > n }
	if over(m.Content, discord.MaxContentRunes) {
		return "content", fmt.Sprintf("Must be %d or fewer in length.", discord.MaxContentRunes)
	}
	if len(m.Embeds) > discord.MaxEmbeds {
		return "embeds", fmt.Sprintf("Must be %d or fewer in length.", discord.MaxEmbeds)
	}
	total := 0
	for i, e := range m.Embeds {
		p := "embeds." + strconv.Itoa(i) + "."
		if over(e.Title, discord.MaxTitleRunes) {
			return p + "title", fmt.Sprintf("Must be %d or fewer in length.", discord.MaxTitleRunes)
		}
		if over(e.Description, discord.MaxDescriptionRunes) {
			return p + "description", fmt.Sprintf("Must be %d or fewer in length.", discord.MaxDescriptionRunes)
		}
		if len(e.Fields) > discord.MaxFields {
			return p + "fields", fmt.Sprintf("Must be %d or fewer in length.", discord.MaxFields)
		}
		total += utf8.RuneCountInString(e.Title) + utf8.RuneCountInString(e.Description)
		for j, f := range e.Fields {
			if strings.TrimSpace(f.Name) == "" || strings.TrimSpace(f.Value) == "" {
				return p + "fields." + strconv.Itoa(j), "This field is required"
			}
			if over(f.Name, discord.MaxFieldNameRunes) || over(f.Value, discord.MaxFieldValueRunes) {
				return p + "fields." + strconv.Itoa(j), "Must be 1024 or fewer in length."
			}
			total += utf8.RuneCountInString(f.Name) + utf8.RuneCountInString(f.Value)
		}
		if e.Footer != nil {
			if over(e.Footer.Text, discord.MaxFooterRunes) {
				return p + "footer.text", fmt.Sprintf("Must be %d or fewer in length.", discord.MaxFooterRunes)
			}
			total += utf8.RuneCountInString(e.Footer.Text)
		}
		if e.Author != nil {
			if over(e.Author.Name, discord.MaxAuthorNameRunes) {
				return p + "author.name", fmt.Sprintf("Must be %d or fewer in length.", discord.MaxAuthorNameRunes)
			}
			total += utf8.RuneCountInString(e.Author.Name)
		}
	}
	if total > discord.MaxEmbedsTotalRunes {
		return "embeds", "Embed size exceeds maximum size of 6000"
	}
	return "", ""
}

// parseWebhookPath reads /webhooks/{id}/{token}[/messages/{message}].
func parseWebhookPath(path string) (id, token, message string, ok bool) {
	i := strings.Index(path, "/webhooks/")
	if i < 0 {
		return "", "", "", false
	}
	parts := strings.Split(path[i+len("/webhooks/"):], "/")
	switch {
	case len(parts) == 2:
		return parts[0], parts[1], "", true
	case len(parts) == 4 && parts[2] == "messages" && parts[3] != "":
		return parts[0], parts[1], parts[3], true
	}
	return "", "", "", false
}

func writeError(w http.ResponseWriter, status, code int, message string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(map[string]any{"message": message, "code": code})
}

func writeFormError(w http.ResponseWriter, field, code, message string) {
	tree := map[string]any{"_errors": []any{map[string]string{"code": code, "message": message}}}
	if field != "" {
		parts := strings.Split(field, ".")
		for i := len(parts) - 1; i >= 0; i-- {
			tree = map[string]any{parts[i]: tree}
		}
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(http.StatusBadRequest)
	_ = json.NewEncoder(w).Encode(map[string]any{"message": "Invalid Form Body", "code": discord.CodeInvalidFormBody, "errors": tree})
}

// writeRateLimited answers 429 as Discord does: Retry-After in whole
// seconds rounded up, retry_after as a float.
func writeRateLimited(w http.ResponseWriter, retryAfter float64, global bool, scope string) {
	h := w.Header()
	h.Set("Content-Type", "application/json")
	h.Set("Retry-After", strconv.Itoa(int(retryAfter+0.999)))
	h.Set("X-RateLimit-Scope", scope)
	h.Set("Via", "1.1 google")
	if global {
		h.Set("X-RateLimit-Global", "true")
	}
	w.WriteHeader(http.StatusTooManyRequests)
	_ = json.NewEncoder(w).Encode(map[string]any{"message": "You are being rate limited.", "retry_after": retryAfter, "global": global})
}
