package main

import (
	"fmt"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"
)

// clockTicks is the unit of /proc's CPU times (USER_HZ, 100 on Linux).
const clockTicks = 100

// cpuMeter reads the CPU time spent by the server process and by the
// database's processes (every child of its postmaster: the backends of the
// server's pool among them). Divided by the requests of a run, it prices a
// request on both sides whatever else the machine runs, which latency and
// rates on a shared machine cannot.
type cpuMeter struct{ server, postmaster int }

func newCPUMeter(tb testing.TB, serverPID int, dbURL string) cpuMeter {
	tb.Helper()
	// The checkpointer outlives the query's connection (a backend would not)
	// and its parent is the postmaster.
	var child int
	if err := queryRow(tb, dbURL, `SELECT pid FROM pg_stat_activity WHERE backend_type = 'checkpointer'`, nil, &child); err != nil {
		tb.Fatal(err)
	}
	stat, err := procStat(child)
	if err != nil {
		tb.Fatal(err)
	}
	return cpuMeter{server: serverPID, postmaster: stat.ppid}
}

// read returns the CPU time spent so far by the server and the database.
func (m cpuMeter) read() (server, db time.Duration) {
	if s, err := procStat(m.server); err == nil {
		server = s.cpu
	}
	entries, _ := os.ReadDir("/proc")
	for _, e := range entries {
		pid, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		if s, err := procStat(pid); err == nil && s.ppid == m.postmaster {
			db += s.cpu
		}
	}
	return server, db
}

type procInfo struct {
	ppid int
	cpu  time.Duration // user + system
}

// procStat reads /proc/pid/stat (proc(5)): after the command name in
// parentheses come state, ppid (4th field), ..., utime (14th) and stime (15th).
func procStat(pid int) (procInfo, error) {
	raw, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return procInfo{}, err
	}
	s := string(raw)
	i := strings.LastIndexByte(s, ')')
	if i < 0 {
		return procInfo{}, fmt.Errorf("malformed stat of %d", pid)
	}
	f := strings.Fields(s[i+1:]) // f[0] is field 3 (state)
	if len(f) < 13 {
		return procInfo{}, fmt.Errorf("short stat of %d", pid)
	}
	ppid, _ := strconv.Atoi(f[1])
	utime, _ := strconv.ParseInt(f[11], 10, 64)
	stime, _ := strconv.ParseInt(f[12], 10, 64)
	return procInfo{ppid: ppid, cpu: time.Duration(utime+stime) * time.Second / clockTicks}, nil
}
