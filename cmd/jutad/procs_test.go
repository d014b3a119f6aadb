package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/juta-app/juta/persistence/pgtest"
)

// Multi-process tests: real jutad processes on loopback against one Postgres
// database and one standalone simulator, killed for real.

var (
	buildOnce sync.Once
	binPath   string
	buildErr  error
)

// jutadBinary builds the command once per test run.
func jutadBinary(t testing.TB) string {
	t.Helper()
	buildOnce.Do(func() {
		dir, err := os.MkdirTemp("", "jutad-bin-")
		if err != nil {
			buildErr = err
			return
		}
		binPath = filepath.Join(dir, "jutad")
		out, err := exec.Command("go", "build", "-o", binPath, ".").CombinedOutput()
		if err != nil {
			buildErr = fmt.Errorf("go build: %v\n%s", err, out)
		}
	})
	if buildErr != nil {
		t.Fatal(buildErr)
	}
	return binPath
}

// proc is a running jutad (server or simulator).
type proc struct {
	t    testing.TB
	cmd  *exec.Cmd
	addr string
	logs *bytes.Buffer
	done chan struct{}
}

func freeAddr(t testing.TB) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

func startProc(t testing.TB, addr string, env []string, args ...string) *proc {
	t.Helper()
	p := &proc{t: t, addr: addr, logs: &bytes.Buffer{}, done: make(chan struct{})}
	p.cmd = exec.Command(jutadBinary(t), args...)
	p.cmd.Env = append(os.Environ(), env...)
	p.cmd.Stdout, p.cmd.Stderr = p.logs, p.logs
	if err := p.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { _ = p.cmd.Wait(); close(p.done) }()
	t.Cleanup(func() {
		p.kill(syscall.SIGKILL)
		if t.Failed() {
			t.Logf("logs of jutad %v:\n%s", args, p.logs.String())
		}
	})
	return p
}

// startSim runs `jutad sim` (with a few duplicate deliveries, to exercise
// idempotency) and waits until its phone API answers.
func startSim(t testing.TB) *proc { return startSimWith(t, "0.02") }

// startSimWith runs `jutad sim` with the given duplicate delivery rate.
func startSimWith(t testing.TB, duplicateRate string) *proc {
	addr := freeAddr(t)
	p := startProc(t, addr, []string{"JUTA_LOG_LEVEL=warn"}, "sim", "--addr", addr, "--duplicate-rate", duplicateRate)
	waitHTTP(t, "http://"+addr+"/sim/stats")
	return p
}

// startServer runs `jutad` in sim mode against the shared simulator; extra
// adds settings (JUTA_*=...).
func startServer(t testing.TB, dbURL, simAddr string, extra ...string) *proc {
	p := launchServer(t, dbURL, simAddr, extra...)
	waitHTTP(t, "http://"+p.addr+"/readyz")
	return p
}

// launchServer is startServer without waiting for the node to be ready (it
// may be meant to fail).
func launchServer(t testing.TB, dbURL, simAddr string, extra ...string) *proc {
	addr := freeAddr(t)
	env := []string{"DATABASE_URL=" + dbURL, "JUTA_ADDR=" + addr, "JUTA_WHATSAPP=sim",
		"JUTA_SIM_URL=http://" + simAddr, "JUTA_LOG_LEVEL=warn"}
	return startProc(t, addr, append(env, extra...))
}

func (p *proc) kill(sig syscall.Signal) {
	select {
	case <-p.done:
	default:
		_ = p.cmd.Process.Signal(sig)
		<-p.done
	}
}

func waitHTTP(t testing.TB, url string) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		res, err := http.Get(url)
		if err == nil {
			res.Body.Close()
			if res.StatusCode == 200 {
				return
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s not ready: %v", url, err)
		}
		time.Sleep(20 * time.Millisecond) // poll interval
	}
}

// call does one JSON request and decodes the answer into out (when non-nil).
func call(t testing.TB, method, url, token string, body, out any) int {
	t.Helper()
	var rd io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequest(method, url, rd)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, url, err)
	}
	defer res.Body.Close()
	data, _ := io.ReadAll(res.Body)
	if out != nil && len(data) > 0 && res.StatusCode < 300 {
		if err := json.Unmarshal(data, out); err != nil {
			t.Fatalf("%s %s: decode %q: %v", method, url, data, err)
		}
	}
	return res.StatusCode
}

// eventually is the one polling helper of the tests, with a deadline of its own.
var eventually = pgtest.EventuallyWithin

func phoneURL(simAddr, phone, action string) string {
	return "http://" + simAddr + "/sim/phones/" + strings.ReplaceAll(phone, "+", "%2B") + "/" + action
}

// queryRow runs one query on the database at dbURL (over a connection of
// its own, as another process would) and scans its one row into dest.
func queryRow(tb testing.TB, dbURL, sql string, args []any, dest ...any) error {
	tb.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, dbURL)
	if err != nil {
		tb.Fatal(err)
	}
	defer conn.Close(ctx)
	return conn.QueryRow(ctx, sql, args...).Scan(dest...)
}
