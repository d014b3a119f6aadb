package api

import (
	"fmt"

	"github.com/gofiber/fiber/v2"

	"github.com/juta-app/juta"
	"github.com/juta-app/juta/api/auth"
)

type loginsResponse struct {
	Items []juta.Login `json:"items"`
}

type revokedResponse struct {
	Revoked int `json:"revoked"`
}

// loginsCaller is the caller's account and login, refusing API keys, which
// belong to no login.
func (s *Server) loginsCaller(c *fiber.Ctx) (juta.UserID, int64, error) {
	p := principal(c)
	if p.KeyID != 0 {
		return 0, 0, juta.Errorf(juta.EFORBIDDEN, "an API key cannot manage logins")
	}
	if s.deps.Auth.Logins == nil {
		return 0, 0, juta.Errorf(juta.EUNAVAILABLE, "logins are not available")
	}
	family := auth.FamilyOf(c)
	return p.UserID, family, nil
}

// listLogins answers GET /api/me/logins.
func (s *Server) listLogins(c *fiber.Ctx) error {
	uid, family, err := s.loginsCaller(c)
	if err != nil {
		return err
	}
	ctx, cancel := s.callContext(c)
	defer cancel()
	items, err := s.deps.Auth.Logins.Logins(ctx, uid)
	if err != nil {
		return fmt.Errorf("logins of user %d: %w", uid, err)
	}
	for i := range items {
		items[i].Current = items[i].ID == family
	}
	return c.JSON(loginsResponse{Items: items})
}

// revokeLogin answers DELETE /api/me/logins/{id}: as a logout of that login,
// it ends the login's access tokens and WebSockets through credentialsChanged.
func (s *Server) revokeLogin(c *fiber.Ctx) error {
	if principal(c).KeyID != 0 {
		// A key has no logins to name: as for any id it cannot reach.
		return juta.Errorf(juta.ENOTFOUND, "login not found")
	}
	uid, _, err := s.loginsCaller(c)
	if err != nil {
		return err
	}
	id, ok := parsePositive(c.Params("id"))
	if !ok {
		return juta.Errorf(juta.ENOTFOUND, "login not found")
	}
	ctx, cancel := s.callContext(c)
	defer cancel()
	if err := s.deps.Auth.Logins.RevokeLogin(ctx, uid, id); err != nil {
		if juta.ErrorCode(err) == juta.ENOTFOUND {
			return juta.Errorf(juta.ENOTFOUND, "login not found")
		}
		return fmt.Errorf("revoke login %d of user %d: %w", id, uid, err)
	}
	s.credentialsChanged(uid)
	s.log.Info("login revoked", "request_id", requestID(c), "user_id", int64(uid), "login_id", id)
	return c.SendStatus(fiber.StatusNoContent)
}

// revokeOtherLogins answers POST /api/me/logins/revoke-others.
func (s *Server) revokeOtherLogins(c *fiber.Ctx) error {
	uid, family, err := s.loginsCaller(c)
	if err != nil {
		return err
	}
	ctx, cancel := s.callContext(c)
	defer cancel()
	n, err := s.deps.Auth.Logins.RevokeOtherLogins(ctx, uid, family)
	if err != nil {
		return fmt.Errorf("revoke other logins of user %d: %w", uid, err)
	}
	s.credentialsChanged(uid)
	s.log.Info("other logins revoked", "request_id", requestID(c), "user_id", int64(uid), "revoked", n)
	return c.JSON(revokedResponse{Revoked: n})
}
