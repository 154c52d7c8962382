package clockify

import (
	"crypto/sha256"
	"crypto/subtle"
	"errors"
	"fmt"
	"strings"
)

// MinSecretLength is the shortest signing token accepted. Clockify's are
// far longer; a short one is a placeholder or a guessable word.
const MinSecretLength = 16

// Secrets are the signing tokens of the Clockify webhooks the relay accepts.
// Clockify gives each webhook (one per event type) its own static token and
// sends it in Clockify-Signature; it is not an HMAC of the body.
type Secrets struct {
	tokens []token
}

// token is one signing token, valid for one event or ("") for any.
type token struct {
	sum   [sha256.Size]byte
	event EventType
}

// ParseSecrets reads tokens separated by newlines or commas; blank entries
// and surrounding spaces are ignored. A token may be bound to its webhook's
// event, "NEW_TIMER_STARTED=token": it is then valid for that event only.
// Tokens shorter than MinSecretLength, or that look like a placeholder
// ("<secret>", "…"), are refused; the error never shows a token.
func ParseSecrets(s string) (Secrets, error) {
	var out Secrets
	var problems []string
	for i, f := range strings.FieldsFunc(s, func(r rune) bool { return r == '\n' || r == ',' }) {
		f = strings.TrimSpace(f)
		if f == "" {
			continue
		}
		var event EventType
		if name, value, ok := strings.Cut(f, "="); ok && isEventName(strings.TrimSpace(name)) {
			name = strings.TrimSpace(name)
			event, f = EventType(name), strings.TrimSpace(value)
		}
		switch {
		case strings.ContainsAny(f, "<>…") || strings.Contains(f, "..."):
			problems = append(problems, fmt.Sprintf("secret %d is a placeholder, not a Clockify signing secret", i+1))
		case len(f) < MinSecretLength:
			problems = append(problems, fmt.Sprintf("secret %d is %d characters; Clockify's are much longer (at least %d)", i+1, len(f), MinSecretLength))
		case strings.ContainsAny(f, " \t"):
			problems = append(problems, fmt.Sprintf("secret %d contains a space", i+1))
		default:
			out.tokens = append(out.tokens, token{sum: sha256.Sum256([]byte(f)), event: event})
		}
	}
	if len(problems) > 0 {
		return out, errors.New(strings.Join(problems, "; "))
	}
	return out, nil
}

// MustParseSecrets is ParseSecrets for values known to be good (tests).
func MustParseSecrets(s string) Secrets {
	out, err := ParseSecrets(s)
	if err != nil {
		panic(err)
	}
	return out
}

// isEventName reports whether s looks like an event type: NEW_TIMER_STARTED.
func isEventName(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if (r < 'A' || r > 'Z') && r != '_' {
			return false
		}
	}
	return true
}

// Len is how many tokens are configured.
func (s Secrets) Len() int { return len(s.tokens) }

// Verify reports whether signature is a token valid for event. It compares
// hashes in constant time and checks every token, so neither the position
// of a match nor a token's length shows in the timing.
func (s Secrets) Verify(event EventType, signature string) bool {
	if signature == "" {
		return false
	}
	got := sha256.Sum256([]byte(signature))
	match := 0
	for i := range s.tokens {
		same := subtle.ConstantTimeCompare(got[:], s.tokens[i].sum[:])
		if s.tokens[i].event != "" && s.tokens[i].event != event {
			same = 0
		}
		match |= same
	}
	return match == 1
}
