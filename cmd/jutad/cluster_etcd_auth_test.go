//go:build cluster

package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	clientv3 "go.etcd.io/etcd/client/v3"
)

// secretFile writes a random password to dir/name and returns it and the file.
func secretFile(t testing.TB, dir, name string) (string, string) {
	t.Helper()
	b := make([]byte, 12)
	if _, err := rand.Read(b); err != nil {
		t.Fatal(err)
	}
	pw, path := hex.EncodeToString(b), filepath.Join(dir, name)
	if err := os.WriteFile(path, []byte(pw+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	return pw, path
}

// enableAuth creates root and a user juta whose role may read and write the
// keys under jutad's prefix (and nothing else), through the Go client's Auth
// API, turns authentication on and makes the test's client root. It returns
// juta's password file.
func (s *etcdServer) enableAuth(dir string) (password, file string) {
	t := s.t
	t.Helper()
	rootPW, rootFile := secretFile(t, dir, "etcd-root")
	password, file = secretFile(t, dir, "etcd-juta")
	cli := s.Client()
	defer cli.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	steps := []func() error{
		func() error { _, err := cli.UserAdd(ctx, "root", rootPW); return err },
		func() error { _, err := cli.UserGrantRole(ctx, "root", "root"); return err },
		func() error { _, err := cli.RoleAdd(ctx, "juta"); return err },
		func() error {
			_, err := cli.RoleGrantPermission(ctx, "juta", etcdPrefix+"/", clientv3.GetPrefixRangeEnd(etcdPrefix+"/"),
				clientv3.PermissionType(clientv3.PermReadWrite))
			return err
		},
		func() error { _, err := cli.UserAdd(ctx, "juta", password); return err },
		func() error { _, err := cli.UserGrantRole(ctx, "juta", "juta"); return err },
		func() error { _, err := cli.AuthEnable(ctx); return err },
	}
	for i, step := range steps {
		if err := step(); err != nil {
			t.Fatalf("etcd auth setup step %d: %v", i+1, err)
		}
	}
	s.Auth.Username, s.Auth.PasswordFile = "root", rootFile
	return password, file
}

// without is settings without those that start with one of prefixes.
func without(settings []string, prefixes ...string) []string {
	return slices.DeleteFunc(slices.Clone(settings), func(s string) bool {
		return slices.ContainsFunc(prefixes, func(p string) bool { return strings.HasPrefix(s, p) })
	})
}

// refusedNode starts a node with settings that etcd must refuse and checks
// that it exits with status 1, that its log holds every part of want (the
// setting to check, the reason) and none of secrets.
func (e *clusterEnv) refusedNode(name string, want, secrets []string, settings ...string) {
	t := e.t
	t.Helper()
	p := launchServer(t, e.dbURL, e.sim.addr, append([]string{"JUTA_NODE_ID=" + name,
		"JUTA_LEASE_TTL=" + clusterTTL.String()}, settings...)...)
	eventually(t, 30*time.Second, name+" to exit", func() bool {
		select {
		case <-p.done:
			return true
		default:
			return false
		}
	})
	logs := p.logs.String()
	if code := p.cmd.ProcessState.ExitCode(); code != 1 {
		t.Fatalf("%s exited with status %d, want 1; log:\n%s", name, code, logs)
	}
	for _, w := range want {
		if !strings.Contains(logs, w) {
			t.Fatalf("%s's log does not name %s:\n%s", name, w, logs)
		}
	}
	for _, s := range secrets {
		if strings.Contains(logs, s) {
			t.Fatalf("%s's log holds a password:\n%s", name, logs)
		}
	}
	t.Logf("%s refused: %s", name, strings.TrimSpace(logs))
}

// With JUTA_ETCD_TLS_* and JUTA_ETCD_USERNAME/JUTA_ETCD_PASSWORD_FILE the
// nodes reach an etcd that requires client certificates of its CA
// (--client-cert-auth) and authentication, as a user allowed only jutad's
// prefix: two nodes register and route a request to the user's holder. A
// node without the client certificate, without etcd's CA (the system's pool
// does not know it), without a user, with a wrong password or without its
// password file exits with status 1 and a message naming the settings, and no password is
// in any node's log.
func TestClusterEtcdTLSAndAuth(t *testing.T) {
	dir := t.TempDir()
	cert, key, ca := writeNodePKI(t, dir, "etcd")
	srv := newEtcdServer(t, &etcdTLS{Cert: cert, Key: key, CA: ca})
	password, pwFile := srv.enableAuth(dir)
	settings := []string{"JUTA_CLUSTER=etcd", "JUTA_ETCD_ENDPOINTS=" + srv.URL, "JUTA_ETCD_TLS_CA=" + ca,
		"JUTA_ETCD_TLS_CERT=" + cert, "JUTA_ETCD_TLS_KEY=" + key, "JUTA_ETCD_USERNAME=juta",
		"JUTA_ETCD_PASSWORD_FILE=" + pwFile}

	e := newClusterEnvWith(t, 2, 0, settings...)
	if n := srv.Members(); n != 2 {
		t.Fatalf("etcd lists %d members, want the 2 nodes", n)
	}
	first := register(t, "http://"+e.nodes["node-0"].addr, "+60123582001")
	var s session
	if code := call(t, "POST", first.base+"/api/sessions", first.token, map[string]string{"name": "shop"}, &s); code != 201 {
		t.Fatalf("create session: status %d", code)
	}
	owner := e.waitOwner(s.ID)
	url := fmt.Sprintf("http://%s/api/sessions/%d", e.node(e.otherNode(owner)).addr, s.ID)
	if code := call(t, "GET", url, first.token, nil, nil); code != 200 {
		t.Fatalf("through the node that does not hold the user: status %d, want 200", code)
	}

	wrongPW, wrongFile := secretFile(t, dir, "etcd-wrong")
	secrets := []string{password, wrongPW}
	// The TLS failures say why, as the handshake (or etcd's alert after it) told.
	e.refusedNode("node-nocert", []string{"JUTA_ETCD_TLS_CERT", "TLS: ", "certificate"}, secrets,
		without(settings, "JUTA_ETCD_TLS_CERT=", "JUTA_ETCD_TLS_KEY=")...)
	e.refusedNode("node-noca", []string{"JUTA_ETCD_TLS_CA", "TLS: ", "x509"}, secrets,
		without(settings, "JUTA_ETCD_TLS_CA=")...) // the system pool does not know the test's CA
	e.refusedNode("node-wrongpw", []string{"JUTA_ETCD_PASSWORD_FILE"}, secrets,
		append(without(settings, "JUTA_ETCD_PASSWORD_FILE="), "JUTA_ETCD_PASSWORD_FILE="+wrongFile)...)
	// With no user, etcd takes the client certificate's name for one, and
	// that user may not touch /juta/.
	e.refusedNode("node-nouser", []string{"permission denied", "set JUTA_ETCD_USERNAME"}, secrets,
		without(settings, "JUTA_ETCD_USERNAME=", "JUTA_ETCD_PASSWORD_FILE=")...)
	e.refusedNode("node-nofile", []string{"JUTA_ETCD_PASSWORD_FILE"}, secrets,
		append(without(settings, "JUTA_ETCD_PASSWORD_FILE="), "JUTA_ETCD_PASSWORD_FILE="+filepath.Join(dir, "missing"))...)
	if n := srv.Members(); n != 2 {
		t.Fatalf("etcd lists %d members after the refused nodes, want 2", n)
	}
	for name, p := range e.nodes {
		p.kill(syscall.SIGTERM) // its log is complete once it stopped
		if strings.Contains(p.logs.String(), password) {
			t.Fatalf("%s's log holds the password", name)
		}
	}
}
