package main

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"os"
	"strings"
	"time"

	"go.etcd.io/etcd/api/v3/v3rpc/rpctypes"
	clientv3 "go.etcd.io/etcd/client/v3"
	"go.uber.org/zap"
	"google.golang.org/grpc"
	"google.golang.org/grpc/backoff"
)

// EtcdAuth is how the node proves itself to etcd and checks etcd's
// certificate: TLS files (PEM) and a user whose password is read from a file.
// The password itself never leaves clientConfig: no log line, error or
// event holds it.
type EtcdAuth struct {
	CA, Cert, Key string // JUTA_ETCD_TLS_CA, JUTA_ETCD_TLS_CERT, JUTA_ETCD_TLS_KEY
	Username      string // JUTA_ETCD_USERNAME
	PasswordFile  string // JUTA_ETCD_PASSWORD_FILE
}

func loadEtcdAuth(getenv func(string) string, endpoints []string, errs *[]error) EtcdAuth {
	a := EtcdAuth{CA: getenv("JUTA_ETCD_TLS_CA"), Cert: getenv("JUTA_ETCD_TLS_CERT"), Key: getenv("JUTA_ETCD_TLS_KEY"),
		Username: getenv("JUTA_ETCD_USERNAME"), PasswordFile: getenv("JUTA_ETCD_PASSWORD_FILE")}
	if (a.Cert == "") != (a.Key == "") {
		*errs = append(*errs, fmt.Errorf("JUTA_ETCD_TLS_CERT and JUTA_ETCD_TLS_KEY go together (a client certificate and its key)"))
	}
	if (a.Username == "") != (a.PasswordFile == "") {
		*errs = append(*errs, fmt.Errorf("JUTA_ETCD_USERNAME and JUTA_ETCD_PASSWORD_FILE go together"))
	}
	if a.CA != "" || a.Cert != "" {
		for _, e := range endpoints {
			if !strings.HasPrefix(e, "https://") {
				*errs = append(*errs, fmt.Errorf("JUTA_ETCD_TLS_* need https:// endpoints in JUTA_ETCD_ENDPOINTS, not %q", e))
			}
		}
	}
	return a
}

// etcdReconnect bounds the wait between two attempts to reach an etcd that
// went away (gRPC's default grows to two minutes): a node registers again
// soon after etcd is back.
var etcdReconnect = grpc.WithConnectParams(grpc.ConnectParams{Backoff: backoff.Config{
	BaseDelay: 250 * time.Millisecond, Multiplier: 1.6, Jitter: 0.2, MaxDelay: etcdTimeout / 5}})

// clientConfig is the etcd client's configuration: endpoints, TLS (any
// https:// endpoint uses TLS; without JUTA_ETCD_TLS_CA it verifies etcd with
// the system's pool) and the user. Errors name the setting, never a secret.
func (a EtcdAuth) clientConfig(endpoints []string) (clientv3.Config, error) {
	cfg := clientv3.Config{Endpoints: endpoints, DialTimeout: etcdTimeout, Logger: zap.NewNop(),
		DialOptions: []grpc.DialOption{etcdReconnect}}
	var err error
	if cfg.TLS, err = a.tlsConfig(endpoints); err != nil {
		return cfg, err
	}
	if a.Username == "" {
		return cfg, nil
	}
	b, err := os.ReadFile(a.PasswordFile)
	if err != nil {
		return cfg, fmt.Errorf("JUTA_ETCD_PASSWORD_FILE: %w", err)
	}
	if cfg.Password = strings.TrimRight(string(b), "\r\n"); cfg.Password == "" {
		return cfg, fmt.Errorf("JUTA_ETCD_PASSWORD_FILE %s holds no password", a.PasswordFile)
	}
	cfg.Username = a.Username
	return cfg, nil
}

// tlsConfig is nil (plain gRPC) unless the files are set or an endpoint is https://.
func (a EtcdAuth) tlsConfig(endpoints []string) (*tls.Config, error) {
	https := false
	for _, e := range endpoints {
		https = https || strings.HasPrefix(e, "https://")
	}
	if !https {
		return nil, nil
	}
	t := &tls.Config{MinVersion: tls.VersionTLS12}
	if a.CA == "" {
		pool, err := x509.SystemCertPool()
		if err != nil {
			return nil, fmt.Errorf("https:// etcd endpoints without JUTA_ETCD_TLS_CA need the system's CA pool: %w", err)
		}
		t.RootCAs = pool
	} else {
		pem, err := os.ReadFile(a.CA)
		if err != nil {
			return nil, fmt.Errorf("JUTA_ETCD_TLS_CA: %w", err)
		}
		t.RootCAs = x509.NewCertPool()
		if !t.RootCAs.AppendCertsFromPEM(pem) {
			return nil, fmt.Errorf("JUTA_ETCD_TLS_CA %s: no PEM certificate", a.CA)
		}
	}
	if a.Cert != "" {
		cert, err := tls.LoadX509KeyPair(a.Cert, a.Key)
		if err != nil {
			return nil, fmt.Errorf("JUTA_ETCD_TLS_CERT, JUTA_ETCD_TLS_KEY: %w", err)
		}
		t.Certificates = []tls.Certificate{cert}
	}
	return t, nil
}

// explain names the settings behind a failed first contact with etcd.
func (a EtcdAuth) explain(cfg clientv3.Config, err error) error {
	switch {
	case errors.Is(err, rpctypes.ErrAuthFailed):
		return fmt.Errorf("etcd refused user %q: check JUTA_ETCD_USERNAME and JUTA_ETCD_PASSWORD_FILE", a.Username)
	case errors.Is(err, rpctypes.ErrUserEmpty):
		return fmt.Errorf("etcd requires a user: set JUTA_ETCD_USERNAME and JUTA_ETCD_PASSWORD_FILE")
	case errors.Is(err, rpctypes.ErrPermissionDenied) && a.Username == "":
		// etcd with --client-cert-auth takes the certificate's common name
		// for the user when none authenticates.
		return fmt.Errorf("etcd refused the request (%w): set JUTA_ETCD_USERNAME and JUTA_ETCD_PASSWORD_FILE, "+
			"or let the user named by the client certificate's common name read and write %s/", err, etcdPrefix)
	case errors.Is(err, rpctypes.ErrPermissionDenied):
		return fmt.Errorf("etcd refused the request (%w): JUTA_ETCD_USERNAME needs read and write on %s/", err, etcdPrefix)
	case cfg.TLS != nil:
		if why := tlsReason(cfg); why != "" {
			err = fmt.Errorf("%w; TLS: %s", err, why)
		}
		return fmt.Errorf("unreachable (%w): check JUTA_ETCD_TLS_CA, JUTA_ETCD_TLS_CERT and JUTA_ETCD_TLS_KEY", err)
	}
	return fmt.Errorf("unreachable: %w", err)
}

// probeEtcd connects (authenticating when a user is set) and reads one key
// within etcdTimeout: protoactor's provider would wait for etcd without a
// deadline.
func (a EtcdAuth) probeEtcd(ctx context.Context, cfg clientv3.Config) error {
	cli, err := clientv3.New(cfg)
	if err != nil {
		return a.explain(cfg, err)
	}
	defer cli.Close()
	c, cancel := context.WithTimeout(ctx, etcdTimeout)
	defer cancel()
	if _, err := cli.Get(c, etcdPrefix+"/"); err != nil {
		return a.explain(cfg, err)
	}
	return nil
}
