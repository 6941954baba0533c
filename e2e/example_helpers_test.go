package e2e_test

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// binDir holds the programs the tests build once per test binary; TestMain
// removes it.
var binDir struct {
	once sync.Once
	path string
	err  error
}

func TestMain(m *testing.M) {
	code := m.Run()
	if binDir.path != "" {
		os.RemoveAll(binDir.path)
	}
	os.Exit(code)
}

// buildDir returns the directory for the programs the tests build.
func buildDir(t *testing.T) string {
	t.Helper()
	binDir.once.Do(func() {
		binDir.path, binDir.err = os.MkdirTemp("", "azauthtrace-e2e-")
	})
	if binDir.err != nil {
		t.Fatal(binDir.err)
	}
	return binDir.path
}

var exampleBuild struct {
	once sync.Once
	path string
	out  []byte
	err  error
}

// buildExample builds the library's example (go run ./example in the
// repository root, in the example's own module) once per test binary and returns the path of the
// executable.
func buildExample(t *testing.T) string {
	t.Helper()
	dir := buildDir(t)
	exampleBuild.once.Do(func() {
		path := filepath.Join(dir, "example")
		cmd := goCommand(context.Background(), "../example", "build", "-o", path, ".")
		exampleBuild.out, exampleBuild.err = cmd.CombinedOutput()
		exampleBuild.path = path
	})
	if exampleBuild.err != nil {
		t.Fatalf("go build ./example: %v\n%s", exampleBuild.err, exampleBuild.out)
	}
	return exampleBuild.path
}

// runExample runs the example with every scenario, as a user would, and
// returns its standard output. env ("KEY=value") is added to the test's
// environment, from which every OTEL_ variable has been removed, so that
// only env configures the example's exporters. The test fails if the
// example does not exit with status 0 within two minutes.
func runExample(t *testing.T, env ...string) (stdout string) {
	t.Helper()
	path := buildExample(t)
	ctx, cancel := context.WithTimeout(t.Context(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, path)
	cmd.Env = append(environWithout("OTEL_"), env...)
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	if err := cmd.Run(); err != nil {
		t.Fatalf("example with %q: %v\nstdout:\n%s\nstderr:\n%s", env, err, out.String(), errOut.String())
	}
	if errOut.Len() > 0 {
		t.Logf("example stderr:\n%s", errOut.String())
	}
	return out.String()
}

// environWithout returns the test's environment without the variables
// whose names start with prefix.
func environWithout(prefix string) []string {
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, prefix) {
			env = append(env, kv)
		}
	}
	return env
}

// goCommand returns the go command with args, run in dir in module mode:
// each of this repository's modules builds with its own go.mod, outside
// the workspace of the repository's root.
func goCommand(ctx context.Context, dir string, args ...string) *exec.Cmd {
	cmd := exec.CommandContext(ctx, "go", args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GOWORK=off")
	return cmd
}
