//go:build cluster

package main

import (
	"bytes"
	"context"
	"os/exec"
	"sync"
	"syscall"
	"testing"
	"time"

	clientv3 "go.etcd.io/etcd/client/v3"
)

// etcdServer is a one-member etcd (Debian's etcd-server, which make
// test-cluster installs when missing) on free loopback ports with a
// temporary data directory, killed when the test ends. It can be killed and
// started again on the same ports and data.
type etcdServer struct {
	t    testing.TB
	URL  string   // client URL
	args []string // the command line, the same at every start
	// Auth is what the test's own client uses: TLS files and, once
	// enableAuth ran, root's user.
	Auth EtcdAuth

	mu   sync.Mutex
	logs bytes.Buffer // of every run
	cmd  *exec.Cmd
	done chan struct{}
}

// etcdTLS are the server's certificate, key and the CA its clients'
// certificates must come from (--client-cert-auth).
type etcdTLS struct{ Cert, Key, CA string }

// newEtcdServer starts etcd, plain or with tls, and waits until it answers.
func newEtcdServer(t testing.TB, tls *etcdTLS) *etcdServer {
	t.Helper()
	scheme := "http://"
	s := &etcdServer{t: t}
	if tls != nil {
		scheme, s.Auth = "https://", EtcdAuth{CA: tls.CA, Cert: tls.Cert, Key: tls.Key}
	}
	client, peer := scheme+freeAddr(t), "http://"+freeAddr(t)
	s.URL = client
	s.args = []string{"--name", "juta-test", "--data-dir", t.TempDir(),
		"--listen-client-urls", client, "--advertise-client-urls", client,
		"--listen-peer-urls", peer, "--initial-advertise-peer-urls", peer,
		"--initial-cluster", "juta-test=" + peer, "--log-level", "warn"}
	if tls != nil {
		s.args = append(s.args, "--cert-file", tls.Cert, "--key-file", tls.Key, "--trusted-ca-file", tls.CA,
			"--client-cert-auth")
	}
	s.Start()
	t.Cleanup(func() {
		s.Kill()
		if t.Failed() {
			s.mu.Lock()
			t.Logf("logs of etcd:\n%s", s.logs.String())
			s.mu.Unlock()
		}
	})
	return s
}

// Start runs etcd (again) and waits until it answers.
func (s *etcdServer) Start() {
	s.t.Helper()
	bin, err := exec.LookPath("etcd")
	if err != nil {
		s.t.Fatalf("etcd not found (apt-get install etcd-server; make test-cluster does): %v", err)
	}
	cmd := exec.Command(bin, s.args...)
	cmd.Stdout, cmd.Stderr = &lockedWriter{mu: &s.mu, w: &s.logs}, &lockedWriter{mu: &s.mu, w: &s.logs}
	if err := cmd.Start(); err != nil {
		s.t.Fatal(err)
	}
	done := make(chan struct{})
	go func() { _ = cmd.Wait(); close(done) }()
	s.mu.Lock()
	s.cmd, s.done = cmd, done
	s.mu.Unlock()
	cli := s.Client()
	defer cli.Close()
	eventually(s.t, 30*time.Second, "etcd to answer", func() bool {
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		defer cancel()
		_, err := cli.Status(ctx, s.URL)
		return err == nil
	})
}

// Kill stops etcd with SIGKILL and waits until it is gone.
func (s *etcdServer) Kill() {
	s.mu.Lock()
	cmd, done := s.cmd, s.done
	s.mu.Unlock()
	if cmd == nil {
		return
	}
	_ = cmd.Process.Signal(syscall.SIGKILL)
	<-done
}

// Client is a client of etcd with the test's own credentials.
func (s *etcdServer) Client() *clientv3.Client {
	s.t.Helper()
	cfg, err := s.Auth.clientConfig([]string{s.URL})
	if err != nil {
		s.t.Fatal(err)
	}
	cli, err := clientv3.New(cfg)
	if err != nil {
		s.t.Fatal(err)
	}
	return cli
}

// Members counts the cluster members registered in etcd (under the prefix
// jutad uses); -1 when etcd did not answer.
func (s *etcdServer) Members() int {
	res, err := s.countPrefix()
	if err != nil {
		return -1
	}
	return int(res.Count)
}

// revision is etcd's current revision.
func (s *etcdServer) revision() int64 {
	s.t.Helper()
	res, err := s.countPrefix()
	if err != nil {
		s.t.Fatal(err)
	}
	return res.Header.Revision
}

// countPrefix counts the keys under etcdPrefix (the answer's header holds
// etcd's revision).
func (s *etcdServer) countPrefix() (*clientv3.GetResponse, error) {
	cli := s.Client()
	defer cli.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	return cli.Get(ctx, etcdPrefix+"/", clientv3.WithPrefix(), clientv3.WithCountOnly())
}

// deletedSince lists, from etcd's history, the keys under etcdPrefix deleted
// (their etcd lease revoked or expired) after revision rev and before the
// last change of a key there now.
func (s *etcdServer) deletedSince(rev int64) map[string]bool {
	s.t.Helper()
	cli := s.Client()
	defer cli.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	now, err := cli.Get(ctx, etcdPrefix+"/", clientv3.WithPrefix())
	if err != nil {
		s.t.Fatal(err)
	}
	end := rev
	for _, kv := range now.Kvs {
		end = max(end, kv.ModRevision)
	}
	deleted := map[string]bool{}
	if end == rev {
		return deleted
	}
	for res := range cli.Watch(ctx, etcdPrefix+"/", clientv3.WithPrefix(), clientv3.WithRev(rev+1)) {
		if err := res.Err(); err != nil {
			s.t.Fatal(err)
		}
		for _, ev := range res.Events {
			if ev.Type == clientv3.EventTypeDelete {
				deleted[string(ev.Kv.Key)] = true
			}
			if ev.Kv.ModRevision >= end {
				return deleted
			}
		}
	}
	s.t.Fatalf("etcd's history after revision %d ended before revision %d", rev, end)
	return nil
}

// lockedWriter serialises writes to w under mu (etcd's two output streams
// and the test's reads share one buffer).
type lockedWriter struct {
	mu *sync.Mutex
	w  *bytes.Buffer
}

func (l *lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}

// startEtcd runs a plain etcd and returns its client URL and the function
// that kills it.
func startEtcd(t testing.TB) (string, func()) {
	t.Helper()
	s := newEtcdServer(t, nil)
	return s.URL, s.Kill
}
