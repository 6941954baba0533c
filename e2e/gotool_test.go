package e2e_test

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"strings"
	"sync"
	"testing"
	"time"
)

type toolBuild struct {
	once sync.Once
	path string
	err  error
}

// toolBuilds holds one *toolBuild per tools-only module and tool.
var toolBuilds sync.Map

// goToolBinary returns the path of the executable of the tool name of the
// tools-only module in the directory dir (go.mod's tool directive), built
// by "go tool -n name" once per test binary.
//
// The build is cached by the Go build cache: the first "go tool -n" on a
// cold cache builds and links the tool (minutes for Jaeger or Prometheus),
// stores the executable in the build cache and prints the path of a work
// directory it then removes; the next prints the executable the build
// cache kept, at once. test.sh runs it before the tests so that the cold
// build does not count against the test's timeout.
func goToolBinary(t *testing.T, dir, name string) string {
	t.Helper()
	v, _ := toolBuilds.LoadOrStore(dir+"\x00"+name, new(toolBuild))
	b := v.(*toolBuild)
	b.once.Do(func() {
		// A cold build can outlast the test's timeout: stop it shortly
		// before, and say how to build the tool beforehand.
		ctx := context.Background()
		if d, ok := t.Deadline(); ok {
			margin := min(time.Minute, time.Until(d)/4)
			var cancel context.CancelFunc
			ctx, cancel = context.WithDeadline(ctx, d.Add(-margin))
			defer cancel()
		}
		for range 2 {
			cmd := goCommand(ctx, dir, "tool", "-n", name)
			var stderr bytes.Buffer
			cmd.Stderr = &stderr
			out, err := cmd.Output()
			if ctx.Err() != nil {
				b.err = fmt.Errorf("building %s did not finish within the test's timeout; build it first with: cd e2e/%s && GOWORK=off go tool -n %s (test.sh does)", name, dir, name)
				return
			}
			if err != nil {
				b.err = fmt.Errorf("go tool -n %s in %s: %v\n%s", name, dir, err, stderr.Bytes())
				return
			}
			b.path = strings.TrimSpace(string(out))
			if _, err := os.Stat(b.path); err == nil {
				return
			}
		}
		b.err = fmt.Errorf("go tool -n %s in %s printed %s, which does not exist", name, dir, b.path)
	})
	if b.err != nil {
		t.Fatal(b.err)
	}
	return b.path
}
