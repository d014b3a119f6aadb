package main

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/juta-app/juta/persistence/pgtest"
)

// readmeDefaultBase is the address the README's examples talk to; the test
// points them at its own server instead.
const readmeDefaultBase = "http://127.0.0.1:8080"

// readmeBlock returns the fenced block that follows the marker
// "<!-- kind: name -->" in the README.
func readmeBlock(t *testing.T, readme, kind, name string) string {
	t.Helper()
	re := regexp.MustCompile("(?s)<!-- " + kind + ": " + regexp.QuoteMeta(name) + " -->\\s*```[a-z]*\\n(.*?)```")
	m := re.FindStringSubmatch(readme)
	if m == nil {
		t.Fatalf("README has no %s block %q", kind, name)
	}
	return m[1]
}

// The README's first session runs as written against a fresh demo node (its
// own database, the in-process simulator) and prints what the README says it
// prints; a second run on the same database logs in instead of registering.
// The node migrates its empty database itself, and every line it logs is in
// the one configured format.
func TestReadmeFirstSession(t *testing.T) {
	if testing.Short() {
		t.Skip("runs jutad")
	}
	for _, tool := range []string{"bash", "curl", "jq"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Fatalf("the README's example needs %s (Debian: apt-get install %s)", tool, tool)
		}
	}
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	script := readmeBlock(t, string(readme), "example", "first-session")
	want := strings.TrimSpace(readmeBlock(t, string(readme), "output", "first-session"))
	if !strings.Contains(script, "make demo") || !strings.Contains(script, readmeDefaultBase) {
		t.Fatalf("the example no longer starts `make demo` on %s; update this test with it", readmeDefaultBase)
	}
	addr := freeAddr(t)
	script = strings.ReplaceAll(script, readmeDefaultBase, "http://"+addr)
	// `make demo` is jutad in simulator mode on a database of its own.
	prelude := fmt.Sprintf("make() { [ \"$1\" = demo ] || return 2; exec %q; }\n", jutadBinary(t))
	dir := t.TempDir()
	env := append(os.Environ(), "DATABASE_URL="+pgtest.MustEmptyURL(t), "JUTA_ADDR="+addr, "JUTA_WHATSAPP=sim",
		"JUTA_SIM_DUPLICATE_RATE=0")

	var pgid int
	t.Cleanup(func() {
		if pgid != 0 {
			_ = syscall.Kill(-pgid, syscall.SIGTERM) // the demo node the script left running
		}
		if t.Failed() {
			logs, _ := os.ReadFile(filepath.Join(dir, "demo.log"))
			t.Logf("demo.log:\n%s", logs)
		}
	})
	for run := 1; run <= 2; run++ {
		cmd := exec.Command("bash", "-c", prelude+script)
		cmd.Dir, cmd.Env = dir, env
		cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
		var stdout, stderr bytes.Buffer
		cmd.Stdout, cmd.Stderr = &stdout, &stderr
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		if pgid == 0 {
			pgid = cmd.Process.Pid // the group the demo node stays in
		}
		done := make(chan error, 1)
		go func() { done <- cmd.Wait() }()
		select {
		case err = <-done:
		case <-time.After(3 * time.Minute):
			_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
			t.Fatalf("run %d: the example did not finish", run)
		}
		if err != nil {
			t.Fatalf("run %d: %v\nstdout:\n%s\nstderr:\n%s", run, err, stdout.String(), stderr.String())
		}
		lines := strings.Split(strings.TrimSpace(stdout.String()), "\n")
		if got := lines[len(lines)-1]; got != want {
			t.Fatalf("run %d: the example ends with %q, the README says %q\nstdout:\n%s", run, got, want, stdout.String())
		}
	}
	checkLogFormat(t, filepath.Join(dir, "demo.log"))
}

// checkLogFormat fails on any line that is not in slog's text format.
func checkLogFormat(t *testing.T, path string) {
	t.Helper()
	logs, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	text := regexp.MustCompile(`^time=\S+ level=(DEBUG|INFO|WARN|ERROR) msg=`)
	migrated := false
	for _, line := range strings.Split(strings.TrimSpace(string(logs)), "\n") {
		if !text.MatchString(line) {
			t.Errorf("log line in another format: %q", line)
		}
		migrated = migrated || strings.Contains(line, "migration applied")
	}
	if !migrated {
		t.Errorf("the node did not log its migrations; the format check saw none of them")
	}
}
