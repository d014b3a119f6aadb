package auth

import (
	"context"
	"fmt"

	"github.com/juta-app/juta"
)

// Refresh families: a login is a family of refresh tokens, each usable once.
// Trading one for the next keeps the family; a token used twice revokes it,
// and with it every access token of that login (Authenticate checks).

// StartFamily opens a refresh family for uid: the token for the client and
// the stored row (whose FamilyID the access tokens carry).
func (s *Service) StartFamily(ctx context.Context, uid juta.UserID) (string, juta.RefreshToken, error) {
	raw, hash, err := NewRefreshToken()
	if err != nil {
		return "", juta.RefreshToken{}, err
	}
	rt, err := s.deps.Credentials.CreateRefreshToken(ctx, uid, hash, s.now().Add(s.cfg.RefreshTTL))
	if err != nil {
		return "", juta.RefreshToken{}, fmt.Errorf("create refresh token for user %d: %w", uid, err)
	}
	return raw, rt, nil
}

// Rotate trades the refresh token raw for the next of its family. Every
// refusal is EUNAUTHORIZED; when a replay revoked a family, the row returned
// with the error names its user, whose caches it forgets.
func (s *Service) Rotate(ctx context.Context, raw string) (string, juta.RefreshToken, error) {
	oldHash, err := ParseRefreshToken(raw)
	if err != nil {
		return "", juta.RefreshToken{}, err
	}
	next, newHash, err := NewRefreshToken()
	if err != nil {
		return "", juta.RefreshToken{}, err
	}
	now := s.now()
	rt, err := s.deps.Credentials.RotateRefreshToken(ctx, oldHash, newHash, now, now.Add(s.cfg.RefreshTTL))
	if err != nil {
		if juta.ErrorCode(err) == juta.EUNAUTHORIZED && rt.UserID != 0 {
			s.Forget(rt.UserID)
		}
		return "", rt, fmt.Errorf("rotate refresh token: %w", err)
	}
	return next, rt, nil
}

// EndFamily revokes the family of the refresh token raw (a logout) and
// returns its user; 0 and no error for a token that names no family.
func (s *Service) EndFamily(ctx context.Context, raw string) (juta.UserID, error) {
	hash, err := ParseRefreshToken(raw)
	if err != nil {
		return 0, nil
	}
	uid, err := s.deps.Credentials.RevokeRefreshFamily(ctx, hash)
	if err != nil {
		return 0, fmt.Errorf("logout: %w", err)
	}
	if uid != 0 {
		s.Forget(uid)
	}
	return uid, nil
}
