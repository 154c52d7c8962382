package deployment_test

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"clockify-discord-relay/lambda/internal/testkit/processtest"
)

// repoRoot is where go.mod is, seen from this folder.
const repoRoot = "../../../.."

// lambdaTags are the Makefile's LAMBDA_TAGS (TestTemplateFunction checks).
const lambdaTags = "lambda.norpc,nethttpomithttp2"

var built struct {
	once      sync.Once
	dir       string
	bootstrap string
	rie       string
	err       error
}

func TestMain(m *testing.M) {
	code := m.Run()
	for _, dir := range []string{built.dir, others.dir} {
		if dir != "" {
			os.RemoveAll(dir)
		}
	}
	os.Exit(code)
}

// binaries builds the bootstrap for this machine, as the Makefile builds it
// for Lambda, and the Runtime Interface Emulator pinned in go.mod.
func binaries(t testing.TB) (bootstrap, rie string) {
	t.Helper()
	built.once.Do(func() {
		built.dir, built.err = os.MkdirTemp("", "relay-deployment")
		if built.err != nil {
			return
		}
		built.bootstrap = filepath.Join(built.dir, "bootstrap")
		cmd := exec.Command("go", "build", "-trimpath", "-tags", lambdaTags, "-ldflags", "-s -w", "-o", built.bootstrap, "./lambda")
		cmd.Dir = repoRoot
		cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
		if out, err := cmd.CombinedOutput(); err != nil {
			built.err = fmt.Errorf("go build ./lambda: %v\n%s", err, out)
			return
		}
		cmd = exec.Command("go", "tool", "-n", "aws-lambda-rie")
		cmd.Dir = repoRoot
		out, err := cmd.Output()
		if err != nil {
			built.err = fmt.Errorf("go tool -n aws-lambda-rie: %v", err)
			return
		}
		built.rie = strings.TrimSpace(string(out))
	})
	if built.err != nil {
		t.Fatal(built.err)
	}
	return built.bootstrap, built.rie
}

// baseEnv is a clean environment: no AWS settings of the machine's leak in.
func baseEnv(vars map[string]string) []string {
	env := []string{"PATH=" + os.Getenv("PATH"), "HOME=" + os.TempDir(), "AWS_CONFIG_FILE=" + os.DevNull, "AWS_SHARED_CREDENTIALS_FILE=" + os.DevNull}
	// make anyday moves the clock (and the zone) of the programs too.
	for _, k := range []string{"RELAY_TEST_CLOCK", "TZ"} {
		if v, ok := os.LookupEnv(k); ok {
			env = append(env, k+"="+v)
		}
	}
	for k, v := range vars {
		env = append(env, k+"="+v)
	}
	return env
}

// process is a running program under test.
type process struct {
	cmd    *exec.Cmd
	output *processtest.Buffer
	base   string
}

// start runs a program and waits until it accepts connections on port.
func start(t testing.TB, port int, env []string, name string, args ...string) *process {
	t.Helper()
	p := &process{output: &processtest.Buffer{}, base: "http://127.0.0.1:" + strconv.Itoa(port)}
	p.cmd = exec.Command(name, args...)
	p.cmd.Env = env
	p.cmd.Stdout, p.cmd.Stderr = p.output, p.output
	if err := p.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(p.stop)
	if err := processtest.WaitForPort(port, 10*time.Second); err != nil {
		t.Fatalf("%s did not start: %v\n%s", filepath.Base(name), err, p.output)
	}
	return p
}

// waitForOutput reports whether the process printed s within limit. Its
// output is copied from a pipe, so it may lag behind an answer.
func (p *process) waitForOutput(s string, limit time.Duration) bool {
	for deadline := time.Now().Add(limit); ; time.Sleep(10 * time.Millisecond) {
		if strings.Contains(p.output.String(), s) {
			return true
		}
		if time.Now().After(deadline) {
			return false
		}
	}
}

func (p *process) stop() {
	if p.cmd.ProcessState == nil {
		_ = p.cmd.Process.Kill()
		_ = p.cmd.Wait()
	}
}

// post sends body and returns the answer.
func post(ctx context.Context, client *http.Client, url string, body []byte, headers map[string]string) (int, []byte, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		return 0, nil, err
	}
	for k, v := range headers {
		req.Header.Set(k, v)
	}
	resp, err := client.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer resp.Body.Close()
	var out bytes.Buffer
	_, err = out.ReadFrom(resp.Body)
	return resp.StatusCode, out.Bytes(), err
}
