package api

import (
	"fmt"

	"github.com/gofiber/fiber/v2"

	"github.com/juta-app/juta"
	"github.com/juta-app/juta/api/auth"
)

// secretLen is the random length of refresh tokens and API keys.
type refreshRequest struct {
	RefreshToken string `json:"refreshToken"`
}

// refresh exchanges a refresh token for a new access token and the next
// refresh token of its family. A token used twice revokes its family.
func (s *Server) refresh(c *fiber.Ctx) error {
	var in refreshRequest
	if err := decodeJSON(c.Body(), &in); err != nil {
		return err
	}
	ctx, cancel := s.callContext(c)
	defer cancel()
	next, rt, err := s.authn.Rotate(ctx, in.RefreshToken)
	if err != nil {
		if juta.ErrorCode(err) == juta.EUNAUTHORIZED && rt.UserID != 0 {
			// The cause says whether a replay revoked a family; it is logged, not sent.
			s.log.Info("refresh refused", "request_id", requestID(c), "reason", err.Error())
			s.credentialsChanged(rt.UserID) // a replay names the family it revoked
		}
		return err
	}
	acct, err := s.authn.Account(ctx, rt.UserID)
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
	ctx, cancel := s.callContext(c)
	defer cancel()
	uid, err := s.authn.EndFamily(ctx, in.RefreshToken)
	if err != nil {
		return err
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
	if err := s.authn.LimitAccount(fmt.Sprintf("user:%d", p.UserID)); err != nil {
		return err
	}
	var in passwordRequest
	if err := decodeJSON(c.Body(), &in); err != nil {
		return err
	}
	if err := auth.CheckPassword(in.NewPassword); err != nil {
		return err
	}
	ctx, cancel := s.callContext(c)
	defer cancel()
	acct, err := s.authn.Account(ctx, p.UserID)
	if err != nil {
		return err
	}
	if err := s.authn.CheckLock(ctx, acct.Phone); err != nil {
		return err
	}
	if _, ok, err := s.authn.VerifyLogin(ctx, acct.Phone, in.CurrentPassword); err != nil || !ok {
		if err != nil {
			return err
		}
		if err := s.loginFailed(ctx, c, acct.Phone); juta.ErrorCode(err) != juta.EUNAUTHORIZED {
			return err
		}
		return juta.Errorf(juta.EFORBIDDEN, "currentPassword is wrong")
	}
	hash, err := auth.HashPassword(in.NewPassword)
	if err != nil {
		return err
	}
	family := auth.FamilyOf(c)
	if err := s.deps.Auth.Credentials.ChangePassword(ctx, p.UserID, hash, family); err != nil {
		return fmt.Errorf("change password of user %d: %w", p.UserID, err)
	}
	s.credentialsChanged(p.UserID)
	s.log.Info("password changed", "request_id", requestID(c), "user_id", int64(p.UserID))
	return c.SendStatus(fiber.StatusNoContent)
}
