//go:build unix

package e2e_test

import (
	"os/exec"
	"syscall"
	"testing"
	"time"
)

// server is a server process a test started (Jaeger, Prometheus).
type server struct {
	name    string
	exited  chan struct{}
	waitErr error // valid once exited is closed
}

// startServer starts cmd, the server name, in a process group of its own
// (childSysProcAttr), and stops the group when the test ends: SIGTERM, and
// SIGKILL if it has not exited within stop. After it stopped, onFailure
// (which may be nil) runs if the test failed, to log what the server said.
func startServer(t *testing.T, name string, cmd *exec.Cmd, stop time.Duration, onFailure func()) *server {
	t.Helper()
	cmd.SysProcAttr = childSysProcAttr()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	s := &server{name: name, exited: make(chan struct{})}
	go func() {
		s.waitErr = cmd.Wait()
		close(s.exited)
	}()
	t.Cleanup(func() {
		pgid := cmd.Process.Pid
		_ = syscall.Kill(-pgid, syscall.SIGTERM)
		select {
		case <-s.exited:
		case <-time.After(stop):
			t.Errorf("%s did not stop within %v of SIGTERM; killing it", name, stop)
			_ = syscall.Kill(-pgid, syscall.SIGKILL)
			<-s.exited
		}
		if t.Failed() && onFailure != nil {
			onFailure()
		}
	})
	return s
}

// waitReady calls ready every 100ms until it returns true, for at most
// timeout; the test fails if the server exits or is not ready by then.
// ready returns what to report if it never is.
func (s *server) waitReady(t *testing.T, timeout time.Duration, ready func() (bool, string)) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for {
		select {
		case <-s.exited: // the cleanup logs the server's output
			t.Fatalf("%s exited before it was ready: %v", s.name, s.waitErr)
		default:
		}
		ok, why := ready()
		if ok {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s not ready after %v: %s", s.name, timeout, why)
		}
		time.Sleep(100 * time.Millisecond)
	}
}
