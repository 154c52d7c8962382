package clockify_test

import (
	"testing"

	"clockify-discord-relay/lambda/clockify"
)

func TestSecrets(t *testing.T) {
	secrets := clockify.ParseSecrets(" started-token ,\n\n stopped-token\r\n,, ,manual-token")
	if got := secrets.Len(); got != 3 {
		t.Fatalf("Len() = %d, want 3", got)
	}
	for _, sig := range []string{"started-token", "stopped-token", "manual-token"} {
		if !secrets.Verify(sig) {
			t.Errorf("Verify(%q) = false, want true", sig)
		}
	}
	for _, sig := range []string{"", "started", "started-token ", "STARTED-TOKEN", "started-tokenX", "stopped-token,manual-token"} {
		if secrets.Verify(sig) {
			t.Errorf("Verify(%q) = true, want false", sig)
		}
	}
}

func TestNoSecretsVerifiesNothing(t *testing.T) {
	for _, s := range []string{"", " , \n ,"} {
		secrets := clockify.ParseSecrets(s)
		if secrets.Len() != 0 {
			t.Errorf("ParseSecrets(%q).Len() = %d", s, secrets.Len())
		}
		if secrets.Verify("") || secrets.Verify("anything") {
			t.Errorf("an empty set verified a signature")
		}
	}
}
