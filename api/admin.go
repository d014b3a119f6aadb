package api

import (
	"fmt"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/juta-app/juta"
)

// adminSessions lists every session with its owner, node, uptime, last
// activity and message counts.
func (s *Server) adminSessions(c *fiber.Ctx) error {
	cursor, limit, err := parsePage(c.Query("limit"), c.Query("cursor"))
	if err != nil {
		return err
	}
	ctx, cancel := s.callContext(c)
	defer cancel()
	page, err := s.deps.Auth.Admin.AdminSessions(ctx, cursor, limit)
	if err != nil {
		return fmt.Errorf("admin sessions: %w", err)
	}
	now := s.authn.Now()
	for i := range page.Items {
		a := &page.Items[i]
		if a.State != juta.StateConnected || a.ConnectedAt == nil {
			continue
		}
		a.UptimeSeconds = int64(now.Sub(*a.ConnectedAt) / time.Second)
		if a.Node == "" && !s.cfg.Cluster {
			// Alone, a node hosts every connected session. In cluster
			// mode the node is the lease holder's, and a session whose
			// lease expired is on no node.
			a.Node = s.cfg.NodeID
		}
	}
	return c.JSON(page)
}

// adminUsers lists every account, paginated.
func (s *Server) adminUsers(c *fiber.Ctx) error {
	cursor, limit, err := parsePage(c.Query("limit"), c.Query("cursor"))
	if err != nil {
		return err
	}
	ctx, cancel := s.callContext(c)
	defer cancel()
	page, err := s.deps.Auth.Admin.AdminUsers(ctx, cursor, limit)
	if err != nil {
		return fmt.Errorf("admin users: %w", err)
	}
	return c.JSON(page)
}

// disableUser marks the account disabled (its refresh tokens are revoked,
// its keys and access tokens stop working) and stops its sessions.
func (s *Server) disableUser(c *fiber.Ctx) error {
	return s.setDisabled(c, true)
}

func (s *Server) enableUser(c *fiber.Ctx) error {
	return s.setDisabled(c, false)
}

func (s *Server) setDisabled(c *fiber.Ctx, disabled bool) error {
	id, ok := parsePositive(c.Params("id"))
	if !ok {
		return juta.Errorf(juta.ENOTFOUND, "user not found")
	}
	uid := juta.UserID(id)
	if disabled && uid == principal(c).UserID {
		return juta.Errorf(juta.ESTATE, "an administrator cannot disable their own account")
	}
	ctx, cancel := s.callContext(c)
	defer cancel()
	u, err := s.deps.Auth.Admin.SetUserDisabled(ctx, uid, disabled)
	if juta.ErrorCode(err) == juta.ENOTFOUND {
		return juta.Errorf(juta.ENOTFOUND, "user not found")
	}
	if err != nil {
		return fmt.Errorf("set user %d disabled=%t: %w", uid, disabled, err)
	}
	s.credentialsChanged(uid)
	if disabled {
		// Before answering: the owner's shared sessions reach no grantee's
		// socket on this node from now on.
		s.stream.OwnerDisabled(uid)
		if err := s.deps.Runtime.StopUser(ctx, uid); err != nil {
			return fmt.Errorf("stop sessions of disabled user %d: %w", uid, err)
		}
	}
	s.log.Info("user disabled state changed", "request_id", requestID(c), "user_id", int64(uid),
		"admin_id", int64(principal(c).UserID), "disabled", disabled)
	return c.JSON(u)
}
