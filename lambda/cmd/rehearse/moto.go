package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// region and account are moto's, and the region the rehearsal deploys to.
const region = "ap-northeast-1"

// motoServer is the AWS emulator the rehearsal deploys to, and the AWS
// CLI pointed at it.
type motoServer struct {
	cmd      *exec.Cmd
	endpoint string
	work     string // its log, and the CLI's home
	log      *report
}

// start starts moto_server on a free loopback port.
func (r *motoServer) start() error {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	port := ln.Addr().(*net.TCPAddr).Port
	ln.Close()
	r.cmd = command("moto_server", "-H", "127.0.0.1", "-p", strconv.Itoa(port))
	log, err := os.Create(filepath.Join(r.work, "moto.log"))
	if err != nil {
		return err
	}
	r.cmd.Stdout, r.cmd.Stderr = log, log
	r.cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true} // its workers stop with it
	if err := r.cmd.Start(); err != nil {
		return err
	}
	r.endpoint = "http://127.0.0.1:" + strconv.Itoa(port)
	for deadline := time.Now().Add(30 * time.Second); ; time.Sleep(100 * time.Millisecond) {
		if c, err := net.Dial("tcp", "127.0.0.1:"+strconv.Itoa(port)); err == nil {
			c.Close()
			break
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("moto_server did not listen on %d", port)
		}
	}
	r.log.ok("moto_server (pid %d) on %s", r.cmd.Process.Pid, r.endpoint)
	return nil
}

// stop stops moto_server by its PID, and its process group.
func (r *motoServer) stop() {
	if r.cmd == nil || r.cmd.Process == nil {
		return
	}
	_ = syscall.Kill(-r.cmd.Process.Pid, syscall.SIGKILL)
	_ = r.cmd.Wait()
	fmt.Fprintf(r.log.out, "moto_server (pid %d) stopped\n", r.cmd.Process.Pid)
}

// env is the environment of every AWS command: moto's endpoint, test
// credentials, the region, and configuration files of the rehearsal's own,
// so nothing of the machine's AWS set-up is read or changed.
func (r *motoServer) env() []string {
	env := []string{
		"PATH=" + os.Getenv("PATH"),
		"HOME=" + r.work,
		"AWS_ENDPOINT_URL=" + r.endpoint,
		"AWS_ACCESS_KEY_ID=rehearsal",
		"AWS_SECRET_ACCESS_KEY=rehearsal",
		"AWS_REGION=" + region,
		"AWS_DEFAULT_REGION=" + region,
		"AWS_CONFIG_FILE=" + filepath.Join(r.work, "aws-config"),
		"AWS_SHARED_CREDENTIALS_FILE=" + filepath.Join(r.work, "aws-credentials"),
		"AWS_PAGER=",
	}
	if v := os.Getenv("PYENV_ROOT"); v != "" {
		env = append(env, "PYENV_ROOT="+v)
	}
	return env
}

// aws runs the AWS CLI against moto and decodes its JSON answer into out
// (when not nil).
func (r *motoServer) aws(out any, args ...string) error {
	cmd := command("aws", append(args, "--output", "json", "--endpoint-url", r.endpoint)...)
	cmd.Env = r.env()
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("aws %s: %v: %s", strings.Join(args, " "), err, strings.TrimSpace(stderr.String()))
	}
	if out == nil || stdout.Len() == 0 {
		return nil
	}
	return json.Unmarshal(stdout.Bytes(), out)
}
