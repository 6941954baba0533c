//go:build unix && !linux

package e2e_test

import "syscall"

// childSysProcAttr puts a server the tests start (Jaeger, Prometheus) in
// a process group of its own, so that stopping the group leaves nothing
// behind.
func childSysProcAttr() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Setpgid: true}
}
