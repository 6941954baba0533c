package fakeentra

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"
)

// AzureCLINotLoggedIn is what az prints, with exit status 1, when no
// account is logged in.
var AzureCLINotLoggedIn = Response{Status: 1, Body: "ERROR: Please run 'az login' to setup account."}

// AzureCLI installs a fake az executable for the rest of tb's test: it
// writes a shell script to a new directory and makes that directory the
// whole PATH, so that no other tool (azd, pwsh) is found either. The script
// answers every invocation with r: when r.Token is set it prints the JSON
// of "az account get-access-token"; otherwise it prints r.Body to stderr
// and exits with r.Status (1 when zero). The fake needs /bin/sh, so AzureCLI
// skips the test on Windows.
func AzureCLI(tb testing.TB, r Response) {
	tb.Helper()
	if runtime.GOOS == "windows" {
		tb.Skip("the fake az is a shell script")
	}
	if err := WriteAzureCLI(EmptyPath(tb), r); err != nil {
		tb.Fatal(err)
	}
}

// ErrNoShell is returned by WriteAzureCLI on Windows, where the fake az,
// a shell script, cannot run.
var ErrNoShell = errors.New("fakeentra: the fake az is a shell script, which needs /bin/sh")

// WriteAzureCLI writes the fake az executable of AzureCLI, answering with
// r, into dir. Put dir on PATH (alone, so that azd and pwsh are not found
// either) for azidentity to run it.
func WriteAzureCLI(dir string, r Response) error {
	if runtime.GOOS == "windows" {
		return ErrNoShell
	}
	var script string
	if r.Token != "" {
		exp := time.Now().Add(r.lifetime())
		out, err := json.Marshal(map[string]any{
			"accessToken":  r.Token,
			"expiresOn":    exp.Local().Format("2006-01-02 15:04:05.000000"),
			"expires_on":   exp.Unix(),
			"subscription": "00000000-0000-0000-0000-000000000000",
			"tenant":       "aaaabbbb-0000-cccc-1111-dddd2222eeee",
			"tokenType":    "Bearer",
		})
		if err != nil {
			return err
		}
		script = "printf '%s\\n' " + shellQuote(string(out)) + "\n"
	} else {
		status := r.Status
		if status == 0 {
			status = 1
		}
		script = "printf '%s\\n' " + shellQuote(r.Body) + " >&2\nexit " + strconv.Itoa(status) + "\n"
	}
	return os.WriteFile(filepath.Join(dir, "az"), []byte("#!/bin/sh\n"+script), 0o755)
}

// EmptyPath sets PATH to a new, empty directory for the rest of tb's test,
// so that no developer tool (az, azd, pwsh) is found, and returns the
// directory.
func EmptyPath(tb testing.TB) string {
	tb.Helper()
	dir := tb.TempDir()
	tb.Setenv("PATH", dir)
	return dir
}

func shellQuote(s string) string {
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
