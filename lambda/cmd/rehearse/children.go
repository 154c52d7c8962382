package main

import (
	"os/exec"
	"sync"
	"syscall"
	"time"
)

// children are the commands the rehearsal started, each in a process
// group of its own, so that a signal to the rehearsal ends them too, and
// none writes into the temporary folder after it is removed.
var children struct {
	mu   sync.Mutex
	cmds []*exec.Cmd
}

// command is exec.Command, remembered for killChildren.
func command(name string, args ...string) *exec.Cmd {
	cmd := exec.Command(name, args...)
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	children.mu.Lock()
	children.cmds = append(children.cmds, cmd)
	children.mu.Unlock()
	return cmd
}

// killChildren ends every command's process group, and gives the kernel a
// moment to take them down.
func killChildren() {
	children.mu.Lock()
	defer children.mu.Unlock()
	killed := false
	for _, c := range children.cmds {
		if c.Process != nil && c.ProcessState == nil {
			_ = syscall.Kill(-c.Process.Pid, syscall.SIGKILL)
			killed = true
		}
	}
	if killed {
		time.Sleep(100 * time.Millisecond)
	}
}
