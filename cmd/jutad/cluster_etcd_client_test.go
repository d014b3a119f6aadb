package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The etcd client's settings: the password is read from its file (without
// its line end), an unreadable or empty file, a missing CA or a CA file
// without a certificate is an error naming the setting and never the
// password; plain endpoints get no TLS, https:// ones get TLS even without a CA.
func TestEtcdClientConfig(t *testing.T) {
	dir := t.TempDir()
	write := func(name, body string) string {
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
		return path
	}
	pw := write("pw", "s3cret-pass\n")
	cfg, err := EtcdAuth{Username: "juta", PasswordFile: pw}.clientConfig([]string{"http://e:2379"})
	if err != nil || cfg.Username != "juta" || cfg.Password != "s3cret-pass" || cfg.TLS != nil {
		t.Fatalf("plain with a user: %v, user %q, TLS %v", err, cfg.Username, cfg.TLS)
	}
	cfg, err = EtcdAuth{}.clientConfig([]string{"https://e:2379"})
	if err != nil || cfg.TLS == nil || cfg.TLS.RootCAs == nil {
		t.Fatalf("https without a CA: %v, want TLS with the system pool", err)
	}
	for _, c := range []struct {
		auth EtcdAuth
		want string
	}{
		{EtcdAuth{Username: "juta", PasswordFile: filepath.Join(dir, "none")}, "JUTA_ETCD_PASSWORD_FILE"},
		{EtcdAuth{Username: "juta", PasswordFile: write("empty", "\n")}, "JUTA_ETCD_PASSWORD_FILE"},
		{EtcdAuth{CA: filepath.Join(dir, "none"), Username: "juta", PasswordFile: pw}, "JUTA_ETCD_TLS_CA"},
		{EtcdAuth{CA: pw}, "JUTA_ETCD_TLS_CA"},
		{EtcdAuth{Cert: pw, Key: pw, Username: "juta", PasswordFile: pw}, "JUTA_ETCD_TLS_CERT"},
	} {
		_, err := c.auth.clientConfig([]string{"https://e:2379"})
		if err == nil || !strings.Contains(err.Error(), c.want) || strings.Contains(err.Error(), "s3cret") {
			t.Errorf("%+v: %v, want an error naming %s without the password", c.auth, err, c.want)
		}
	}
}
