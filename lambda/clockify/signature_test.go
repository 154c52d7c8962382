package clockify_test

import (
	"strings"
	"testing"

	"clockify-discord-relay/lambda/clockify"
)

func TestSecrets(t *testing.T) {
	secrets, err := clockify.ParseSecrets(" started-token-0123456789 ,\n\n stopped-token-0123456789\r\n,, ,manual-token-0123456789")
	if err != nil || secrets.Len() != 3 {
		t.Fatalf("Len() = %d, %v; want 3", secrets.Len(), err)
	}
	for _, sig := range []string{"started-token-0123456789", "stopped-token-0123456789", "manual-token-0123456789"} {
		if !secrets.Verify(clockify.NewTimerStarted, sig) {
			t.Errorf("Verify(%q) = false, want true", sig)
		}
	}
	for _, sig := range []string{"", "started", "started-token-0123456789 ", "STARTED-TOKEN-0123456789", "started-token-0123456789X", "stopped-token-0123456789,manual-token-0123456789"} {
		if secrets.Verify(clockify.NewTimerStarted, sig) {
			t.Errorf("Verify(%q) = true, want false", sig)
		}
	}
}

// TestSecretsBoundToTheirEvent: the start webhook's token does not sign a
// deletion; a plain token signs any event.
func TestSecretsBoundToTheirEvent(t *testing.T) {
	secrets, err := clockify.ParseSecrets("NEW_TIMER_STARTED=start-token-0123456789,TIMER_STOPPED = stop-token-0123456789\nplain-token-0123456789")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		event clockify.EventType
		sig   string
		ok    bool
	}{
		{clockify.NewTimerStarted, "start-token-0123456789", true},
		{clockify.TimeEntryDeleted, "start-token-0123456789", false},
		{"", "start-token-0123456789", false},
		{clockify.TimerStopped, "stop-token-0123456789", true},
		{clockify.NewTimerStarted, "stop-token-0123456789", false},
		{clockify.TimeEntryDeleted, "plain-token-0123456789", true},
		{clockify.NewTimerStarted, "NEW_TIMER_STARTED=start-token-0123456789", false},
	}
	for _, tt := range tests {
		if got := secrets.Verify(tt.event, tt.sig); got != tt.ok {
			t.Errorf("Verify(%s, %s) = %v", tt.event, tt.sig, got)
		}
	}
}

// TestWeakSecretsAreRefused: a placeholder or a short word must not work
// as a credential; the error says which and why, never the value.
func TestWeakSecretsAreRefused(t *testing.T) {
	for _, s := range []string{"placeholder", "a-good-long-signing-secret,short", "<secret-of-started>", "NEW_TIMER_STARTED=…", "has a space in the middle"} {
		_, err := clockify.ParseSecrets(s)
		if err == nil {
			t.Errorf("ParseSecrets(%q) accepted it", s)
			continue
		}
		for _, part := range strings.FieldsFunc(s, func(r rune) bool { return r == ',' }) {
			if len(part) > 4 && strings.Contains(err.Error(), part) {
				t.Errorf("the error shows the secret: %v", err)
			}
		}
	}
}

func TestNoSecretsVerifiesNothing(t *testing.T) {
	for _, s := range []string{"", " , \n ,"} {
		secrets, err := clockify.ParseSecrets(s)
		if err != nil || secrets.Len() != 0 {
			t.Errorf("ParseSecrets(%q).Len() = %d, %v", s, secrets.Len(), err)
		}
		if secrets.Verify("", "") || secrets.Verify("", "anything") {
			t.Errorf("an empty set verified a signature")
		}
	}
}
