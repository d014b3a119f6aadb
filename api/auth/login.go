package auth

import (
	"context"
	"fmt"
	"time"

	"github.com/juta-app/juta"
)

// The login checks: password, lock-out and known devices. The handlers call
// them in this order: LimitAccount, CheckLock, VerifyLogin, then
// RecordFailure or ClearFailures.

// LockKey is what failed logins to phone are counted under: the known-device
// token's own key when raw is a valid one for phone, else the phone.
func (s *Service) LockKey(phone, raw string) string { return s.devices.lockKey(phone, raw) }

// IssueDevice returns a new known-device token proving a login to phone.
func (s *Service) IssueDevice(phone string) string { return s.devices.issue(phone) }

// VerifyLogin checks phone and password. An unknown phone costs as much as a
// wrong password, so timing reveals nothing either.
func (s *Service) VerifyLogin(ctx context.Context, phone, password string) (juta.User, bool, error) {
	u, hash, err := s.deps.Users.UserByPhone(ctx, phone)
	switch {
	case juta.ErrorCode(err) == juta.ENOTFOUND:
		_, _ = VerifyPassword(password, DummyHash())
		return juta.User{}, false, nil
	case err != nil:
		return juta.User{}, false, fmt.Errorf("load user by phone: %w", err)
	}
	ok, err := VerifyPassword(password, hash)
	if err != nil {
		return juta.User{}, false, fmt.Errorf("verify password of user %d: %w", u.ID, err)
	}
	return u, ok, nil
}

// CheckLock refuses a locked key (a phone or a known device) with 429 and
// the time left.
func (s *Service) CheckLock(ctx context.Context, key string) error {
	now := s.now()
	until, err := s.deps.Credentials.LoginLockedUntil(ctx, key, now)
	if err != nil {
		return fmt.Errorf("login lock: %w", err)
	}
	if until.After(now) {
		return ErrRateLimited(until.Sub(now))
	}
	return nil
}

// RecordFailure counts a failed login under key and returns when the key is
// locked until (zero when this failure did not lock it).
func (s *Service) RecordFailure(ctx context.Context, key string) (time.Time, error) {
	until, err := s.deps.Credentials.RecordLoginFailure(ctx, key, s.now(), s.cfg.Lockout)
	if err != nil {
		return time.Time{}, fmt.Errorf("record login failure: %w", err)
	}
	return until, nil
}
