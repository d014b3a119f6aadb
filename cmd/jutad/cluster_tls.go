package main

import (
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"os"

	"github.com/asynkron/protoactor-go/remote"
	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials"
)

// ClusterTLS are the files that make nodes authenticate each other (mutual
// TLS on protoactor remote's gRPC): the node's certificate and key, and the
// CA that signs every node's certificate. All three or none.
type ClusterTLS struct {
	Cert, Key, CA string // JUTA_CLUSTER_TLS_CERT, JUTA_CLUSTER_TLS_KEY, JUTA_CLUSTER_TLS_CA
}

func loadClusterTLS(getenv func(string) string, errs *[]error) ClusterTLS {
	t := ClusterTLS{Cert: getenv("JUTA_CLUSTER_TLS_CERT"), Key: getenv("JUTA_CLUSTER_TLS_KEY"), CA: getenv("JUTA_CLUSTER_TLS_CA")}
	if set := t.Cert != "" || t.Key != "" || t.CA != ""; set && (t.Cert == "" || t.Key == "" || t.CA == "") {
		*errs = append(*errs, fmt.Errorf("JUTA_CLUSTER_TLS_CERT, JUTA_CLUSTER_TLS_KEY and JUTA_CLUSTER_TLS_CA go together"))
	}
	return t
}

// remoteOptions are remote's transport options: mutual TLS 1.3 when the
// files are set (a peer whose certificate the CA did not sign is refused in
// the handshake, both ways), none otherwise (plain gRPC).
func (t ClusterTLS) remoteOptions() ([]remote.ConfigOption, error) {
	if t.Cert == "" {
		return nil, nil
	}
	cert, err := tls.LoadX509KeyPair(t.Cert, t.Key)
	if err != nil {
		return nil, fmt.Errorf("cluster TLS certificate: %w", err)
	}
	pem, err := os.ReadFile(t.CA)
	if err != nil {
		return nil, fmt.Errorf("cluster TLS CA: %w", err)
	}
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(pem) {
		return nil, fmt.Errorf("cluster TLS CA %s: no PEM certificate", t.CA)
	}
	creds := credentials.NewTLS(&tls.Config{Certificates: []tls.Certificate{cert}, RootCAs: pool, ClientCAs: pool,
		ClientAuth: tls.RequireAndVerifyClientCert, MinVersion: tls.VersionTLS13})
	return []remote.ConfigOption{remote.WithServerOptions(grpc.Creds(creds)),
		remote.WithDialOptions(grpc.WithTransportCredentials(creds))}, nil
}
