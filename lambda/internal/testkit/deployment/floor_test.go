package deployment_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"sync"
	"testing"

	"clockify-discord-relay/lambda/internal/testkit/processtest"
)

// The benchmarks measure the relay beside two others, in the same run:
// the floor, the least a Go relay can do (testdata/floor: posts inline,
// and under the Lambda runtime the minimal aws-lambda-go function), and
// the seed, the article's Node relay (testdata/seed).

var others struct {
	once       sync.Once
	dir        string // removed by TestMain
	floor      string
	seed       string // the folder with node_modules installed
	floorErr   error
	seedReason string // why the seed cannot run here
}

func buildOthers(b *testing.B) {
	others.once.Do(func() {
		dir, err := os.MkdirTemp("", "relay-others")
		if err != nil {
			others.floorErr = err
			return
		}
		others.dir = dir
		others.floor = filepath.Join(dir, "floor")
		cmd := exec.Command("go", "build", "-trimpath", "-ldflags", "-s -w", "-o", others.floor, "./lambda/internal/testkit/deployment/testdata/floor")
		cmd.Dir = repoRoot
		cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
		if out, err := cmd.CombinedOutput(); err != nil {
			others.floorErr = err
			b.Logf("%s", out)
		}
		if _, err := exec.LookPath("node"); err != nil {
			others.seedReason = "node is not installed"
			return
		}
		others.seed = filepath.Join(dir, "seed")
		if err := os.CopyFS(others.seed, os.DirFS("testdata/seed")); err != nil {
			others.seedReason = err.Error()
			return
		}
		install := exec.Command("npm", "ci", "--no-audit", "--no-fund", "--loglevel=error")
		install.Dir = others.seed
		if out, err := install.CombinedOutput(); err != nil {
			others.seedReason = "npm ci: " + err.Error() + ": " + string(out)
		}
	})
}

// prepared builds or installs which before a benchmark's clock runs; it
// is false for the seed where Node is missing (it is then not measured).
func prepared(b *testing.B, which string) bool {
	switch which {
	case "relay":
		binaries(b)
	case "floor":
		floorBinary(b)
	default:
		buildOthers(b)
		if others.seedReason != "" {
			b.Logf("the seed cannot run here: %s", others.seedReason)
			return false
		}
	}
	return true
}

// floorBinary is the floor relay, built once.
func floorBinary(b *testing.B) string {
	buildOthers(b)
	if others.floorErr != nil {
		b.Fatal(others.floorErr)
	}
	return others.floor
}

// startRelay starts one of "relay", "floor" or "seed" in local mode,
// posting to discordURL, and returns its URL and port.
func startRelay(b *testing.B, which, discordURL string, extra ...string) (*exec.Cmd, string, int) {
	switch which {
	case "relay":
		bootstrap, _ := binaries(b)
		return startLocal(b, bootstrap, discordURL, extra...)
	case "floor":
		return startProgram(b, exec.Command(floorBinary(b)), discordURL)
	}
	buildOthers(b)
	if others.seedReason != "" {
		b.Skipf("the seed cannot run here: %s", others.seedReason)
	}
	cmd := exec.Command("node", "index.js")
	cmd.Dir = others.seed
	return startProgram(b, cmd, discordURL)
}

func startProgram(b *testing.B, cmd *exec.Cmd, discordURL string) (*exec.Cmd, string, int) {
	port := processtest.FreePort(b)
	cmd.Env = baseEnv(map[string]string{"PORT": strconv.Itoa(port), "DISCORD_WEBHOOK_URL": discordURL, "CLOCKIFY_SIGNING_SECRETS": sampleSignature})
	if err := cmd.Start(); err != nil {
		b.Fatal(err)
	}
	return cmd, "http://127.0.0.1:" + strconv.Itoa(port) + "/clockify", port
}
