package auth

import (
	"strings"
	"testing"
)

func TestPasswordHash(t *testing.T) {
	t.Parallel()
	h1, err := hashPassword("correct horse", defaultArgon)
	if err != nil {
		t.Fatal(err)
	}
	h2, err := hashPassword("correct horse", defaultArgon)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(h1, "$argon2id$v=19$m=19456,t=2,p=1$") {
		t.Errorf("hash %q is not a PHC argon2id string with the default parameters", h1)
	}
	if h1 == h2 {
		t.Error("two hashes of one password are equal: the salt is not random")
	}
	for _, c := range []struct {
		pw   string
		want bool
	}{{"correct horse", true}, {"correct horsE", false}, {"", false}} {
		if ok, err := VerifyPassword(c.pw, h1); err != nil || ok != c.want {
			t.Errorf("verify(%q) = %v, %v; want %v", c.pw, ok, err, c.want)
		}
	}
}

// A corrupted stored hash is refused before it can cost a fortune to check.
func TestPasswordHashRejectsBadEncodings(t *testing.T) {
	t.Parallel()
	good, err := hashPassword("correct horse", argonParams{time: 1, memory: 64, threads: 1, keyLen: 32, saltLen: 16})
	if err != nil {
		t.Fatal(err)
	}
	parts := strings.Split(good, "$")
	bad := map[string]string{
		"argon2i":        strings.Replace(good, "argon2id", "argon2i", 1),
		"old version":    strings.Replace(good, "v=19", "v=16", 1),
		"huge memory":    strings.Replace(good, "m=64", "m=4194304", 1),
		"many passes":    strings.Replace(good, "t=1", "t=1000", 1),
		"no lanes":       strings.Replace(good, "p=1", "p=0", 1),
		"short salt":     strings.Join([]string{"", parts[1], parts[2], parts[3], "c2FsdA", parts[5]}, "$"),
		"bad base64":     strings.Join([]string{"", parts[1], parts[2], parts[3], parts[4], "!!"}, "$"),
		"missing fields": "$argon2id$v=19$m=64,t=1,p=1",
		"empty":          "",
	}
	for name, h := range bad {
		if ok, err := VerifyPassword("correct horse", h); err == nil || ok {
			t.Errorf("%s: verify = %v, %v; want an error", name, ok, err)
		}
	}
	if ok, err := VerifyPassword("correct horse", good); err != nil || !ok {
		t.Fatalf("control: verify = %v, %v", ok, err)
	}
}
