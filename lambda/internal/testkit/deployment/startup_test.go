package deployment_test

import (
	"os/exec"
	"strings"
	"testing"
)

// TestNoSchemaInitAtStart: go.mod holds the AWS SDK's services (ssm, sqs,
// and through config sts, sso, ssooidc and signin) at their last versions
// before schema-based serialization, whose packages build every
// operation's schema at process start: about 0.7 ms of each cold start
// on the development machine. A `go get -u` that brings them back fails
// here.
func TestNoSchemaInitAtStart(t *testing.T) {
	cmd := exec.Command("go", "list", "-deps", "-tags", lambdaTags, "./lambda")
	cmd.Dir = repoRoot
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("go list: %v\n%s", err, out)
	}
	for _, p := range strings.Fields(string(out)) {
		if strings.HasPrefix(p, "github.com/aws/") && strings.HasSuffix(p, "/schemas") {
			t.Errorf("the bootstrap links %s", p)
		}
	}
}
