package local

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"clockify-discord-relay/lambda/store/choice"
)

// The relay that make run started holds DATA_DIR; a one-off command run
// beside it (digest, remind, dlq) asks it to run the command instead, on
// its own store and queue, over loopback.

// commandPath is where the running relay takes a one-off command.
const commandPath = "/local/command"

// commandRequest and commandAnswer travel over loopback.
type commandRequest struct {
	Args []string `json:"args"`
}

type commandAnswer struct {
	Output string `json:"output"`
	Error  string `json:"error,omitempty"`
}

// commandHandler runs, for another process on this machine, a one-off
// command on on, and answers with what it printed.
func (r Relay) commandHandler(on choice.Running) http.Handler {
	return http.HandlerFunc(func(rw http.ResponseWriter, req *http.Request) {
		answer := func(status int, a commandAnswer) {
			rw.Header().Set("Content-Type", "application/json")
			rw.WriteHeader(status)
			_ = json.NewEncoder(rw).Encode(a)
		}
		if status, reason := Local(req); status != 0 {
			answer(status, commandAnswer{Error: reason})
			return
		}
		var c commandRequest
		if req.Method != http.MethodPost || json.NewDecoder(io.LimitReader(req.Body, 1<<16)).Decode(&c) != nil || len(c.Args) == 0 || !slices.Contains(r.Beside, c.Args[0]) {
			answer(http.StatusBadRequest, commandAnswer{Error: `POST {"args": ["` + strings.Join(r.Beside, `"|"`) + `", …]}`})
			return
		}
		var out bytes.Buffer
		if err := r.Command(req.Context(), c.Args, &out, on); err != nil {
			answer(http.StatusOK, commandAnswer{Output: out.String(), Error: err.Error()})
			return
		}
		answer(http.StatusOK, commandAnswer{Output: out.String()})
	})
}

// portFile, in DATA_DIR, names the port the relay that holds it serves
// on, so that a command run without that relay's PORT finds it.
const portFile = "port"

// writePort records the serving relay's port in DATA_DIR; the returned
// func removes it.
func writePort(dataDir string, port int) func() {
	path := filepath.Join(dataDir, portFile)
	if err := os.WriteFile(path, []byte(strconv.Itoa(port)+"\n"), 0o600); err != nil {
		return func() {}
	}
	return func() { os.Remove(path) }
}

// runningPort is the port the relay holding dataDir serves on: its port
// file's, else port.
func runningPort(dataDir string, port int) int {
	raw, err := os.ReadFile(filepath.Join(dataDir, portFile))
	if p, perr := strconv.Atoi(strings.TrimSpace(string(raw))); err == nil && perr == nil && p > 0 {
		return p
	}
	return port
}

// Ask asks the relay that holds dataDir (serving on port, unless its port
// file says otherwise) to run args, and prints what it printed to out.
func Ask(ctx context.Context, dataDir string, port int, args []string, out io.Writer) error {
	body, _ := json.Marshal(commandRequest{Args: args})
	url := "http://127.0.0.1:" + strconv.Itoa(runningPort(dataDir, port)) + commandPath
	ctx, cancel := context.WithTimeout(ctx, 2*time.Minute)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return fmt.Errorf("%s is held by another relay, and none answers on %s (PORT): %w", dataDir, url, err)
	}
	defer resp.Body.Close()
	var a commandAnswer
	if err := json.NewDecoder(resp.Body).Decode(&a); err != nil {
		return fmt.Errorf("the running relay answered %s, not a command's output", resp.Status)
	}
	fmt.Fprint(out, a.Output)
	if a.Error != "" {
		return errors.New(a.Error)
	}
	return nil
}
