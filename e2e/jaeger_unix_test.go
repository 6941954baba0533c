//go:build unix && !linux

package e2e_test

import "syscall"

// jaegerSysProcAttr puts Jaeger in a process group of its own, so that
// stopping the group leaves nothing behind.
func jaegerSysProcAttr() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Setpgid: true}
}
