package main

import (
	"context"
	"strings"
	"testing"
	"time"

	juta "github.com/juta-app/juta"
	"github.com/juta-app/juta/persistence/pgtest"
)

func TestAdminCreate(t *testing.T) {
	t.Parallel()
	db := pgtest.MustOpenDB(t)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()

	u, err := adminCreate(ctx, db, "012-555 0100", strings.NewReader("a long admin password\n"))
	if err != nil {
		t.Fatal(err)
	}
	if u.Role != juta.RoleAdmin || u.Phone != "+60125550100" || u.TimeZone != "Asia/Kuala_Lumpur" {
		t.Fatalf("created %+v", u)
	}
	sg, err := adminCreate(ctx, db, "+6581234567", strings.NewReader("a long admin password\n"))
	if err != nil || sg.TimeZone != "Asia/Singapore" {
		t.Fatalf("a Singapore administrator: %+v, %v", sg, err)
	}
	_, hash, err := db.UserByPhone(ctx, u.Phone)
	if err != nil || !strings.HasPrefix(hash, "$argon2id$") || strings.Contains(hash, "a long admin password") {
		t.Fatalf("stored hash %q, %v", hash, err)
	}
	for name, tc := range map[string]struct {
		phone, stdin, code string
	}{
		"taken phone":    {"+60125550100", "another password\n", juta.ECONFLICT},
		"short password": {"+60125550101", "short\n", juta.EINVALID},
		"no password":    {"+60125550101", "", juta.EINVALID},
		"bad phone":      {"12", "a long admin password\n", juta.EINVALID},
	} {
		if _, err := adminCreate(ctx, db, tc.phone, strings.NewReader(tc.stdin)); juta.ErrorCode(err) != tc.code {
			t.Errorf("%s: error %v, want code %s", name, err, tc.code)
		}
	}
}

func TestRotateKey(t *testing.T) {
	t.Parallel()
	db := pgtest.MustOpenDB(t)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	now := time.Now()
	first, err := rotateKey(ctx, db, 15*time.Minute, now)
	if err != nil {
		t.Fatal(err)
	}
	second, err := rotateKey(ctx, db, 15*time.Minute, now.Add(time.Second))
	if err != nil {
		t.Fatal(err)
	}
	keys, err := db.SigningKeys(ctx, now.Add(time.Second))
	if err != nil || len(keys) != 2 || keys[0].KID != second || keys[1].KID != first || keys[1].RetiresAt == nil {
		t.Fatalf("keys = %+v, %v", keys, err)
	}
	if keys, _ := db.SigningKeys(ctx, now.Add(time.Hour)); len(keys) != 1 || keys[0].KID != second {
		t.Fatalf("after the old key's tokens expired: %+v", keys)
	}
}
