package deployment_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestTheHalvesAreApart: the accept half knows nothing of Discord or of
// delivering, and the deliver half nothing of accepting; what both need
// has packages of its own (queue, secrets, route, clockify, state).
func TestTheHalvesAreApart(t *testing.T) {
	const mod = "clockify-discord-relay/lambda/"
	for half, banned := range map[string][]string{
		"accept/relay": {"discord", "message", "deliver/coalesce", "chart", "deliver", "store/localstore", "store/sqs", "store/dynamodb"},
		"deliver":      {"accept/relay", "accept/apigateway", "accept/httpserver", "accept/interactions", "invocation"},
	} {
		for _, b := range append([]string{half}, banned...) {
			// A name that names no package would pass unseen.
			if _, err := os.Stat(filepath.Join(repoRoot, "lambda", b)); err != nil {
				t.Fatalf("lambda/%s: %v", b, err)
			}
		}
		cmd := exec.Command("go", "list", "-deps", "./lambda/"+half)
		cmd.Dir = repoRoot
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("go list %s: %v\n%s", half, err, out)
		}
		deps := map[string]bool{}
		for _, p := range strings.Fields(string(out)) {
			deps[strings.TrimPrefix(p, mod)] = true
		}
		for _, b := range banned {
			if deps[b] {
				t.Errorf("%s depends on %s", half, b)
			}
		}
	}
}
