package clockify

import (
	"crypto/sha256"
	"crypto/subtle"
	"strings"
)

// Secrets are the signing tokens of the Clockify webhooks the relay accepts.
// Clockify gives each webhook (one per event type) its own static token and
// sends it in Clockify-Signature; it is not an HMAC of the body.
type Secrets struct {
	sums [][sha256.Size]byte
}

// ParseSecrets reads tokens separated by newlines or commas; blank entries
// and surrounding spaces are ignored.
func ParseSecrets(s string) Secrets {
	var out Secrets
	for _, f := range strings.FieldsFunc(s, func(r rune) bool { return r == '\n' || r == ',' }) {
		if f = strings.TrimSpace(f); f != "" {
			out.sums = append(out.sums, sha256.Sum256([]byte(f)))
		}
	}
	return out
}

// Len is how many tokens are configured.
func (s Secrets) Len() int { return len(s.sums) }

// Verify reports whether signature is one of the tokens. It compares hashes
// in constant time and checks every token, so neither the position of a
// match nor a token's length shows in the timing.
func (s Secrets) Verify(signature string) bool {
	if signature == "" {
		return false
	}
	got := sha256.Sum256([]byte(signature))
	match := 0
	for i := range s.sums {
		match |= subtle.ConstantTimeCompare(got[:], s.sums[i][:])
	}
	return match == 1
}
