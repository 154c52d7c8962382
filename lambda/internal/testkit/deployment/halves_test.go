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
// has packages of its own (queue, secrets, route, clockify, state). The
// parts main wires know neither main nor one another's jobs, and the
// test kit stays out of the relay.
func TestTheHalvesAreApart(t *testing.T) {
	const mod = "clockify-discord-relay/lambda/"
	testkit := []string{"internal/testkit/samples", "internal/testkit/processtest", "internal/testkit/throttle", "internal/testkit/simulation"}
	for half, banned := range map[string][]string{
		"accept/relay":      {"discord", "message", "deliver/coalesce", "chart", "deliver", "store/localstore", "store/sqs", "store/dynamodb"},
		"accept/apigateway": {"deliver", "discord", "store/sqs", "store/dynamodb", "local"},
		"deliver":           {"accept/relay", "accept/apigateway", "accept/interactions", "invocation", "local", "command"},
		"cmdline":           {"settings", "queue", "state", "accept/relay", "deliver"},
		"settings":          {"local", "command", "store/choice", "store/awsclients", "store/localstore", "store/dynamodb"},
		"store/choice":      {"settings", "local", "command", "invocation", "accept/apigateway"},
		"local":             {"command", "invocation", "accept/apigateway", "store/sqs/sqstest"},
		"command":           {"local", "accept/apigateway", "store/awsclients"},
		"":                  testkit, // the bootstrap
	} {
		for _, b := range append([]string{half}, banned...) {
			// A name that names no package would pass unseen.
			if _, err := os.Stat(filepath.Join(repoRoot, "lambda", b)); err != nil {
				t.Fatalf("lambda/%s: %v", b, err)
			}
		}
		cmd := exec.Command("go", "list", "-deps", strings.TrimSuffix("./lambda/"+half, "/"))
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
