package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	juta "github.com/juta-app/juta"
	"github.com/juta-app/juta/api/auth"
	"github.com/juta-app/juta/persistence"
)

const adminUsage = `usage:
  jutad admin create --phone +60123456789   create an administrator; the password is read from stdin
  jutad admin rotate-key                    add a new access-token signing key (the old ones verify until their tokens expire)`

// runAdmin runs the operator commands. They need DATABASE_URL only.
func runAdmin(ctx context.Context, args []string, stdin io.Reader, stdout io.Writer) error {
	if len(args) == 0 {
		return errors.New(adminUsage)
	}
	dbURL := environ("DATABASE_URL")
	if dbURL == "" {
		return errors.New("DATABASE_URL is not set")
	}
	sub, args := args[0], args[1:]
	switch sub {
	case "create":
		fs := flag.NewFlagSet("admin create", flag.ContinueOnError)
		phone := fs.String("phone", "", "phone number of the administrator (E.164)")
		if err := fs.Parse(args); err != nil {
			return err
		}
		return withDB(ctx, dbURL, func(db *persistence.DB) error {
			u, err := adminCreate(ctx, db, *phone, stdin)
			if err != nil {
				return err
			}
			fmt.Fprintf(stdout, "administrator %d created for %s\n", u.ID, u.Phone)
			return nil
		})
	case "rotate-key":
		cfg, _ := loadConfig(environ)
		if cfg.JWTSecret != "" {
			fmt.Fprintln(stdout, "note: JUTA_JWT_SECRET is set; nodes sign with it and ignore stored keys")
		}
		return withDB(ctx, dbURL, func(db *persistence.DB) error {
			kid, err := rotateKey(ctx, db, cfg.TokenTTL, time.Now())
			if err != nil {
				return err
			}
			fmt.Fprintf(stdout, "signing key %s added\n", kid)
			return nil
		})
	}
	return fmt.Errorf("unknown admin command %q\n%s", sub, adminUsage)
}

func withDB(ctx context.Context, dbURL string, fn func(*persistence.DB) error) error {
	db, err := persistence.Open(ctx, dbURL)
	if err != nil {
		return fmt.Errorf("open database: %w", err)
	}
	defer db.Close()
	if err := db.Migrate(ctx); err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	return fn(db)
}

// adminCreate creates an administrator with the password read from the first
// line of in. There is no password flag (it would show in ps and shell
// history) and no default.
func adminCreate(ctx context.Context, users juta.UserStore, phone string, in io.Reader) (juta.User, error) {
	e164, err := auth.ParsePhone(phone)
	if err != nil {
		return juta.User{}, fmt.Errorf("--phone: %w", err)
	}
	line, err := bufio.NewReader(io.LimitReader(in, 4096)).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return juta.User{}, fmt.Errorf("read password from stdin: %w", err)
	}
	password := strings.TrimRight(line, "\r\n")
	hash, err := auth.HashPassword(password)
	if err != nil {
		return juta.User{}, err
	}
	u, err := users.CreateUser(ctx, e164, hash, juta.RoleAdmin)
	if err != nil {
		return juta.User{}, fmt.Errorf("create administrator: %w", err)
	}
	st := juta.Settings{}
	if zone := auth.ZoneOfPhone(e164); zone != u.TimeZone {
		st.TimeZone = &zone
	}
	if c := auth.CountryOfPhone(e164); c != u.Country {
		st.Country = &c
	}
	if st.TimeZone != nil || st.Country != nil {
		if u, err = users.UpdateSettings(ctx, u.ID, st); err != nil {
			return juta.User{}, fmt.Errorf("set the administrator's time zone and country: %w", err)
		}
	}
	return u, nil
}

// rotateKey adds a new signing key. The previous keys keep verifying for one
// access-token lifetime (plus a minute of clock skew), so no one is logged out.
func rotateKey(ctx context.Context, keys juta.SigningKeyStore, tokenTTL time.Duration, now time.Time) (string, error) {
	k, err := auth.NewSigningKey()
	if err != nil {
		return "", err
	}
	if err := keys.AddSigningKey(ctx, k, now, tokenTTL+time.Minute); err != nil {
		return "", fmt.Errorf("add signing key: %w", err)
	}
	return k.KID, nil
}

// nodeID names this node in the admin views: JUTA_NODE_ID, else the host name.
func nodeID(getenv func(string) string) string {
	if id := getenv("JUTA_NODE_ID"); id != "" {
		return id
	}
	host, err := os.Hostname()
	if err != nil {
		return "unknown"
	}
	return host
}
