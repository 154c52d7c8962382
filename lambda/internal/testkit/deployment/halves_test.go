package deployment_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// mustNot is the line of a doc.go that names the packages its package
// must not import, as paths under lambda/, up to the full stop.
var mustNot = regexp.MustCompile(`(?s)Must not import: ([^.]*)\.`)

// TestTheHalvesAreApart: every package's doc.go says what the package
// must not import, and it does not, directly or through another: the
// accept half knows nothing of Discord or of delivering, the deliver half
// nothing of accepting, the stores neither half, and the parts main wires
// know neither main nor one another's jobs. What both halves need has
// packages of its own (queue, secrets, route, clockify, state).
func TestTheHalvesAreApart(t *testing.T) {
	const mod = "clockify-discord-relay/lambda"
	cmd := exec.Command("go", "list", "-f", "{{.ImportPath}} {{.Dir}} {{join .Deps \" \"}}", "./lambda/...")
	cmd.Dir = repoRoot
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("go list: %v\n%s", err, out)
	}
	checked := 0
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		fields := strings.Fields(line)
		pkg, dir := strings.TrimPrefix(strings.TrimPrefix(fields[0], mod), "/"), fields[1]
		doc, err := os.ReadFile(filepath.Join(dir, "doc.go"))
		if os.IsNotExist(err) {
			if _, terr := os.Stat(filepath.Join(dir, "doc_test.go")); terr == nil {
				continue // a package of tests alone says what it checks
			}
		}
		if err != nil {
			t.Errorf("lambda/%s has no doc.go: %v", pkg, err)
			continue
		}
		m := mustNot.FindSubmatch(doc)
		if m == nil {
			t.Errorf("lambda/%s/doc.go does not say what the package must not import (\"Must not import: a, b.\")", pkg)
			continue
		}
		deps := map[string]bool{}
		for _, d := range fields[2:] {
			deps[strings.TrimPrefix(d, mod+"/")] = true
		}
		for _, b := range strings.Split(strings.Join(strings.Fields(strings.ReplaceAll(string(m[1]), "//", "")), " "), ", ") {
			// A name that names no package would pass unseen.
			if _, err := os.Stat(filepath.Join(repoRoot, "lambda", b, "doc.go")); err != nil || b == pkg {
				t.Errorf("lambda/%s/doc.go: %q names no other package of the relay", pkg, b)
			}
			if deps[b] {
				t.Errorf("lambda/%s imports lambda/%s, which its doc.go says it must not", pkg, b)
			}
		}
		checked++
	}
	if checked < 40 {
		t.Errorf("only %d packages checked", checked)
	}
}
