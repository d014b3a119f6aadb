package main

import (
	"crypto/tls"
	"errors"
	"net"
	"net/url"
	"os"
	"time"

	clientv3 "go.etcd.io/etcd/client/v3"
)

// tlsReason is why a TLS connection to etcd's first endpoint fails, for a
// first contact that timed out: gRPC retries a failed handshake until the
// deadline and reports only that, while the handshake (or etcd's alert right
// after it, as TLS 1.3 sends a refusal of the client's certificate) says
// what is wrong. Empty when a connection succeeds or no TCP connection is made.
func tlsReason(cfg clientv3.Config) string {
	if cfg.TLS == nil || len(cfg.Endpoints) == 0 {
		return ""
	}
	u, err := url.Parse(cfg.Endpoints[0])
	if err != nil || u.Host == "" {
		return ""
	}
	t := cfg.TLS.Clone()
	t.ServerName = u.Hostname()
	d := &net.Dialer{Timeout: etcdTimeout / 5}
	conn, err := tls.DialWithDialer(d, "tcp", u.Host, t)
	if err != nil {
		var op *net.OpError
		if errors.As(err, &op) && op.Op == "dial" {
			return ""
		}
		return err.Error()
	}
	defer conn.Close()
	_ = conn.SetReadDeadline(time.Now().Add(etcdTimeout / 10))
	if _, err := conn.Read(make([]byte, 1)); err != nil && !errors.Is(err, os.ErrDeadlineExceeded) {
		return err.Error()
	}
	return ""
}
