package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
)

func main() {
	if len(os.Args) > 1 {
		if os.Args[1] == "-h" || os.Args[1] == "--help" || os.Args[1] == "help" {
			fmt.Print(usage)
			return
		}
		fmt.Fprintf(os.Stderr, "rehearse: unknown argument %q\n%s", os.Args[1], usage)
		os.Exit(2)
	}
	// Ctrl-C, a kill or a closed pipe still stop moto_server (it runs in a
	// process group of its own) and remove the temporary folder.
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM, syscall.SIGHUP, syscall.SIGPIPE)
	go func() {
		s := <-sigs
		cleanup.run()
		fmt.Fprintln(os.Stderr, "rehearse: stopped by", s)
		os.Exit(1)
	}()
	if err := run(os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "rehearse:", err)
		os.Exit(1)
	}
}

// run rehearses, printing one line per step and check.
func run(out io.Writer) error {
	if missing := missingTools(); len(missing) > 0 {
		return fmt.Errorf("missing: %s. The rehearsal needs Python 3 with moto and aws-sam-translator, the AWS CLI, cfn-lint and moto_server (make test does not)", strings.Join(missing, ", "))
	}
	root, err := repoRoot()
	if err != nil {
		return err
	}
	work, err := os.MkdirTemp("", "rehearse")
	if err != nil {
		return err
	}
	cleanup.add(func() { os.RemoveAll(work) })
	cleanup.add(killChildren)
	defer cleanup.run()
	log := &report{out: out}
	r := &rehearsal{root: root, work: work, log: log, moto: &motoServer{work: work, log: log}}
	if err := r.loadTemplate(); err != nil {
		return err
	}
	steps := []struct {
		name string
		do   func() error
	}{
		{"build as sam build does", r.build},
		{"start moto", r.moto.start},
		{"run the deploy guide's commands", r.readmeCommands},
		{"transform and lint", r.transform},
		{"deploy the stack", r.deploy},
		{"check what was created", r.check},
	}
	cleanup.add(r.moto.stop)
	for _, s := range steps {
		fmt.Fprintf(out, "== %s\n", s.name)
		if err := s.do(); err != nil {
			if log, _ := os.ReadFile(filepath.Join(work, "moto.log")); len(log) > 0 {
				lines := strings.Split(strings.TrimSpace(string(log)), "\n")
				fmt.Fprintf(out, "moto's log ends:\n%s\n", indent(strings.Join(lines[max(len(lines)-15, 0):], "\n")))
			}
			return fmt.Errorf("%s: %w", s.name, err)
		}
	}
	if r.log.failures > 0 {
		return fmt.Errorf("%d checks failed", r.log.failures)
	}
	fmt.Fprintln(out, "rehearsal passed")
	return nil
}

const usage = `usage: make rehearse (go run ./lambda/cmd/rehearse)

Rehearses the deploy: builds the bootstrap as sam build does, starts
moto_server, runs the AWS commands of docs/deploy.md's "Deploy to AWS" and
docs/interactions.md's "Set it up", transforms and lints template.yaml,
deploys it to moto and checks what was created. Needs Python 3 with moto
and aws-sam-translator, the AWS CLI, cfn-lint and moto_server. It takes no
arguments; moto_server and its temporary folder are removed however it
ends (Ctrl-C, SIGTERM, a closed pipe).
`

// cleanup is what the rehearsal leaves behind until it ends: run once,
// by the end of run or by a signal, whichever comes first.
var cleanup cleanups

type cleanups struct {
	mu   sync.Mutex
	fns  []func()
	done bool
}

func (c *cleanups) add(f func()) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.fns = append(c.fns, f)
}

// run calls them, last added first, once.
func (c *cleanups) run() {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.done {
		return
	}
	c.done = true
	for i := len(c.fns) - 1; i >= 0; i-- {
		c.fns[i]()
	}
}

// rehearsal is one run's state.
type rehearsal struct {
	root, work string
	log        *report
	moto       *motoServer

	template   map[string]any // template.yaml, decoded
	functions  []string       // functions built with BuildMethod makefile
	parameters map[string]string
	stack      string
	cfn        map[string]any // the transformed template
}

// report prints one line per check, and counts the failures.
type report struct {
	out      io.Writer
	failures int
}

// ok and fail print one check's result.
func (r *report) ok(format string, args ...any) {
	fmt.Fprintf(r.out, "ok    "+format+"\n", args...)
}

func (r *report) fail(format string, args ...any) {
	r.failures++
	fmt.Fprintf(r.out, "FAIL  "+format+"\n", args...)
}

// expect checks one value; numbers compare by value, whatever their type.
func (r *report) expect(what string, got, want any) {
	got, want = number(got), number(want)
	if fmt.Sprint(got) == fmt.Sprint(want) {
		r.ok("%s: %v", what, got)
		return
	}
	r.fail("%s: %v, want %v", what, got, want)
}

func missingTools() []string {
	var missing []string
	for _, tool := range []string{"python3", "aws", "cfn-lint", "moto_server", "make"} {
		if _, err := exec.LookPath(tool); err != nil {
			missing = append(missing, tool)
		}
	}
	if len(missing) == 0 {
		for _, mod := range []string{"moto", "samtranslator"} {
			if exec.Command("python3", "-c", "import "+mod).Run() != nil {
				missing = append(missing, "the Python module "+mod)
			}
		}
	}
	return missing
}

func repoRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("no go.mod above the working directory")
		}
		dir = parent
	}
}

// number writes whole numbers without an exponent, as strings carry them.
func number(v any) any {
	if f, ok := v.(float64); ok && f == float64(int64(f)) {
		return strconv.FormatInt(int64(f), 10)
	}
	return v
}
