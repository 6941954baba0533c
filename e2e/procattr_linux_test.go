//go:build linux

package e2e_test

import "syscall"

// childSysProcAttr puts a server the tests start (Jaeger, Prometheus) in
// a process group of its own, so that stopping the group leaves nothing
// behind, and has the kernel kill it if the test binary dies first (a test
// timeout skips the cleanups).
func childSysProcAttr() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGKILL}
}
