package interactions

import (
	"clockify-discord-relay/lambda/secrets"
	"context"
	"crypto/ed25519"
	"encoding/hex"
	"errors"
	"net/http"
	"strconv"
	"time"
)

// Discord's signature headers.
const (
	SignatureHeader = "X-Signature-Ed25519"
	TimestampHeader = "X-Signature-Timestamp"
)

// MaxSkew is how far from now a request's timestamp may be: older is a
// replay, newer a forgery or a clock to fix.
const MaxSkew = 5 * time.Minute

// ErrUnverified is a request that is not Discord's: a signature missing,
// malformed or wrong, or a timestamp out of MaxSkew. Discord sends such
// requests on purpose when the URL is saved, and wants 401 for them.
var ErrUnverified = errors.New("interactions: invalid request signature")

// ErrStale is a request whose timestamp is out of MaxSkew: a replay, or a
// clock (Discord's or this machine's) to fix. It is an ErrUnverified.
var ErrStale error = staleError{}

type staleError struct{}

func (staleError) Error() string {
	return "interactions: the request's timestamp is more than 5 minutes from this machine's clock (a replay, or a clock to fix)"
}

func (staleError) Is(target error) bool { return target == ErrUnverified }

// ParseKey reads the application's public key, as the Developer Portal
// shows it (hex).
func ParseKey(s string) (ed25519.PublicKey, error) {
	b, err := hex.DecodeString(s)
	if err != nil || len(b) != ed25519.PublicKeySize {
		return nil, errors.New("not an Ed25519 public key in hex (64 hex digits, the application's PUBLIC KEY in the Developer Portal)")
	}
	return ed25519.PublicKey(b), nil
}

// Verify checks the request's signature over its timestamp and raw body.
func Verify(key ed25519.PublicKey, h http.Header, body []byte, now time.Time) error {
	sig, err := hex.DecodeString(h.Get(SignatureHeader))
	ts := h.Get(TimestampHeader)
	if err != nil || len(sig) != ed25519.SignatureSize || ts == "" {
		return ErrUnverified
	}
	secs, err := strconv.ParseInt(ts, 10, 64)
	if err != nil {
		return ErrUnverified
	}
	if skew := now.Sub(time.Unix(secs, 0)); skew > MaxSkew || skew < -MaxSkew {
		return ErrStale
	}
	msg := make([]byte, 0, len(ts)+len(body))
	if !ed25519.Verify(key, append(append(msg, ts...), body...), sig) {
		return ErrUnverified
	}
	return nil
}

// KeyFrom reads the public key from the relay's secrets at each use, so
// that a key rotated in SSM takes effect with the other secrets.
func KeyFrom(src secrets.Source) func(ctx context.Context) (ed25519.PublicKey, error) {
	return func(ctx context.Context) (ed25519.PublicKey, error) {
		v, err := src.Secrets(ctx)
		if err != nil {
			return nil, err
		}
		if v.DiscordPublicKey == "" {
			return nil, errors.New("the public key's parameter is empty")
		}
		return ParseKey(v.DiscordPublicKey)
	}
}
