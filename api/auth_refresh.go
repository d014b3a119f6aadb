package api

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"fmt"

	"github.com/gofiber/fiber/v2"

	"github.com/juta-app/juta"
)

// secretLen is the random length of refresh tokens and API keys.
const secretLen = 32

type refreshRequest struct {
	RefreshToken string `json:"refreshToken"`
}

// newRefreshToken returns a token for the client and the hash to store.
func newRefreshToken() (string, []byte, error) {
	b := make([]byte, secretLen)
	if _, err := rand.Read(b); err != nil {
		return "", nil, fmt.Errorf("refresh token: %w", err)
	}
	h := sha256.Sum256(b)
	return base64.RawURLEncoding.EncodeToString(b), h[:], nil
}

// parseRefreshToken checks the shape of a client's token and returns the hash
// to look up. Any malformed token is the same 401 as an unknown one.
func parseRefreshToken(raw string) ([]byte, error) {
	if len(raw) != base64.RawURLEncoding.EncodedLen(secretLen) {
		return nil, errBadRefresh()
	}
	b, err := base64.RawURLEncoding.Strict().DecodeString(raw)
	if err != nil || len(b) != secretLen {
		return nil, errBadRefresh()
	}
	h := sha256.Sum256(b)
	return h[:], nil
}

func errBadRefresh() error {
	return juta.Errorf(juta.EUNAUTHORIZED, "invalid or expired refresh token")
}

// refresh exchanges a refresh token for a new access token and the next
// refresh token of its family. A token used twice revokes its family.
func (s *Server) refresh(c *fiber.Ctx) error {
	var in refreshRequest
	if err := decodeJSON(c.Body(), &in); err != nil {
		return err
	}
	oldHash, err := parseRefreshToken(in.RefreshToken)
	if err != nil {
		return err
	}
	next, newHash, err := newRefreshToken()
	if err != nil {
		return err
	}
	ctx, cancel := s.callContext(c)
	defer cancel()
	now := s.authn.now()
	rt, err := s.deps.Credentials.RotateRefreshToken(ctx, oldHash, newHash, now, now.Add(s.cfg.RefreshTTL))
	if err != nil {
		if juta.ErrorCode(err) == juta.EUNAUTHORIZED {
			// The cause says whether a replay revoked a family; it is logged, not sent.
			s.log.Info("refresh refused", "request_id", requestID(c), "reason", err.Error())
			s.credentialsChanged(rt.UserID) // a replay names the family it revoked
		}
		return fmt.Errorf("rotate refresh token: %w", err)
	}
	acct, err := s.authn.accounts.get(ctx, rt.UserID)
	if err != nil {
		return err
	}
	c.Locals(localUserID, rt.UserID)
	return s.sendTokens(ctx, c, fiber.StatusOK, authResponse{User: acct.User, RefreshToken: next}, rt.FamilyID)
}

// logout revokes the family of the refresh token given: that login's
// refresh and access tokens stop working, and its WebSockets close. It is 204 whatever the token, so it can be
// repeated safely.
func (s *Server) logout(c *fiber.Ctx) error {
	var in refreshRequest
	if err := decodeJSON(c.Body(), &in); err != nil {
		return err
	}
	hash, err := parseRefreshToken(in.RefreshToken)
	if err != nil {
		return c.SendStatus(fiber.StatusNoContent)
	}
	ctx, cancel := s.callContext(c)
	defer cancel()
	uid, err := s.deps.Credentials.RevokeRefreshFamily(ctx, hash)
	if err != nil {
		return fmt.Errorf("logout: %w", err)
	}
	s.credentialsChanged(uid)
	return c.SendStatus(fiber.StatusNoContent)
}

type passwordRequest struct {
	CurrentPassword string `json:"currentPassword"`
	NewPassword     string `json:"newPassword"`
}

// changePassword needs an access token (not an API key) and the current
// password; it revokes every other login's refresh tokens. Wrong current
// passwords count towards the phone's lock-out like failed logins.
func (s *Server) changePassword(c *fiber.Ctx) error {
	p := principal(c)
	if p.KeyID != 0 {
		return juta.Errorf(juta.EFORBIDDEN, "an API key cannot change the password")
	}
	if err := s.limitAccount(fmt.Sprintf("user:%d", p.UserID)); err != nil {
		return err
	}
	var in passwordRequest
	if err := decodeJSON(c.Body(), &in); err != nil {
		return err
	}
	if err := checkPassword(in.NewPassword); err != nil {
		return err
	}
	ctx, cancel := s.callContext(c)
	defer cancel()
	acct, err := s.authn.accounts.get(ctx, p.UserID)
	if err != nil {
		return err
	}
	if err := s.checkLock(ctx, acct.Phone); err != nil {
		return err
	}
	if _, ok, err := s.verifyLogin(ctx, acct.Phone, in.CurrentPassword); err != nil || !ok {
		if err != nil {
			return err
		}
		if err := s.loginFailed(ctx, c, acct.Phone); juta.ErrorCode(err) != juta.EUNAUTHORIZED {
			return err
		}
		return juta.Errorf(juta.EFORBIDDEN, "currentPassword is wrong")
	}
	hash, err := hashPassword(in.NewPassword, defaultArgon)
	if err != nil {
		return err
	}
	family, _ := c.Locals(localFamily).(int64)
	if err := s.deps.Credentials.ChangePassword(ctx, p.UserID, hash, family); err != nil {
		return fmt.Errorf("change password of user %d: %w", p.UserID, err)
	}
	s.credentialsChanged(p.UserID)
	s.log.Info("password changed", "request_id", requestID(c), "user_id", int64(p.UserID))
	return c.SendStatus(fiber.StatusNoContent)
}
