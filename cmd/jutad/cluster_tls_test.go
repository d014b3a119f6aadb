//go:build cluster

package main

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"fmt"
	"math/big"
	"net"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// writeNodePKI writes a CA and a node certificate it signs (for 127.0.0.1,
// usable as server and as client) under dir/name-*.pem and returns the
// files' paths: certificate, key, CA.
func writeNodePKI(t *testing.T, dir, name string) (cert, key, ca string) {
	t.Helper()
	caKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	caTmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: name + " CA"},
		NotBefore: now.Add(-time.Hour), NotAfter: now.Add(time.Hour), IsCA: true, BasicConstraintsValid: true,
		KeyUsage: x509.KeyUsageCertSign}
	caDER, err := x509.CreateCertificate(rand.Reader, caTmpl, caTmpl, &caKey.PublicKey, caKey)
	if err != nil {
		t.Fatal(err)
	}
	nodeKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	nodeTmpl := &x509.Certificate{SerialNumber: big.NewInt(2), Subject: pkix.Name{CommonName: name + " node"},
		NotBefore: now.Add(-time.Hour), NotAfter: now.Add(time.Hour), IPAddresses: []net.IP{net.IPv4(127, 0, 0, 1)},
		KeyUsage:    x509.KeyUsageDigitalSignature,
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth, x509.ExtKeyUsageClientAuth}}
	nodeDER, err := x509.CreateCertificate(rand.Reader, nodeTmpl, caTmpl, &nodeKey.PublicKey, caKey)
	if err != nil {
		t.Fatal(err)
	}
	keyDER, err := x509.MarshalECPrivateKey(nodeKey)
	if err != nil {
		t.Fatal(err)
	}
	write := func(file, kind string, der []byte) string {
		path := filepath.Join(dir, name+"-"+file+".pem")
		if err := os.WriteFile(path, pem.EncodeToMemory(&pem.Block{Type: kind, Bytes: der}), 0o600); err != nil {
			t.Fatal(err)
		}
		return path
	}
	return write("cert", "CERTIFICATE", nodeDER), write("key", "EC PRIVATE KEY", keyDER), write("ca", "CERTIFICATE", caDER)
}

func tlsSettings(cert, key, ca string) []string {
	return []string{"JUTA_CLUSTER=postgres", "JUTA_CLUSTER_TLS_CERT=" + cert, "JUTA_CLUSTER_TLS_KEY=" + key,
		"JUTA_CLUSTER_TLS_CA=" + ca}
}

// With JUTA_CLUSTER_TLS_* the nodes authenticate each other: two nodes with
// certificates of the cluster's CA route a request to the user's holder; a
// node whose certificate another CA signed (it trusts the cluster's CA, so
// only its own certificate is wrong) is refused in the handshake and cannot
// reach the holder's registry: its request for the user gets 503.
func TestClusterTLSRefusesANodeWithoutTheCertificate(t *testing.T) {
	dir := t.TempDir()
	cert, key, ca := writeNodePKI(t, dir, "cluster")
	rogueCert, rogueKey, rogueCA := writeNodePKI(t, dir, "rogue")
	both, err := os.ReadFile(ca)
	if err != nil {
		t.Fatal(err)
	}
	own, err := os.ReadFile(rogueCA)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(rogueCA, append(own, both...), 0o600); err != nil {
		t.Fatal(err)
	}

	e := newClusterEnvWith(t, 2, 0, tlsSettings(cert, key, ca)...)
	first := register(t, "http://"+e.nodes["node-0"].addr, "+60123581001")
	var s session
	if code := call(t, "POST", first.base+"/api/sessions", first.token, map[string]string{"name": "shop"}, &s); code != 201 {
		t.Fatalf("create session: status %d", code)
	}
	owner := e.waitOwner(s.ID)
	url := func(node string) string { return fmt.Sprintf("http://%s/api/sessions/%d", e.node(node).addr, s.ID) }
	if code := call(t, "GET", url(e.otherNode(owner)), first.token, nil, nil); code != 200 {
		t.Fatalf("through the other node with the cluster's certificate: status %d, want 200", code)
	}

	e.extra = tlsSettings(rogueCert, rogueKey, rogueCA)
	e.startNode("node-rogue")
	if code := call(t, "GET", url("node-rogue"), first.token, nil, nil); code != 503 {
		t.Fatalf("through a node without the cluster's certificate: status %d, want 503", code)
	}
	if now := e.owner(s.ID); now != owner {
		t.Fatalf("the user moved from %s to %q", owner, now)
	}
}
