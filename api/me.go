package api

import (
	"context"
	"fmt"

	"github.com/gofiber/fiber/v2"

	"github.com/juta-app/juta"
	"github.com/juta-app/juta/api/auth"
)

// setDefaultZone gives a new account the zone of its number's country (the
// column's default is juta.DefaultZone, so nothing is written for Malaysia).
func (s *Server) setDefaultZone(ctx context.Context, u juta.User) (juta.User, error) {
	zone := auth.ZoneOfPhone(u.Phone)
	if zone == u.TimeZone {
		return u, nil
	}
	nu, err := s.deps.Auth.Users.SetTimeZone(ctx, u.ID, zone)
	if err != nil {
		return u, fmt.Errorf("set time zone of user %d: %w", u.ID, err)
	}
	return nu, nil
}

// me answers the caller's account.
func (s *Server) me(c *fiber.Ctx) error {
	ctx, cancel := s.callContext(c)
	defer cancel()
	u, err := s.deps.Auth.Users.User(ctx, userID(c))
	if err != nil {
		return fmt.Errorf("user %d: %w", userID(c), err)
	}
	return c.JSON(u)
}

type meUpdate struct {
	TimeZone *string `json:"timeZone"`
}

// updateMe changes the caller's settings: for now its time zone.
func (s *Server) updateMe(c *fiber.Ctx) error {
	var in meUpdate
	if err := decodeJSON(c.Body(), &in); err != nil {
		return err
	}
	if in.TimeZone == nil {
		return juta.Errorf(juta.EINVALID, "timeZone is required")
	}
	if _, err := juta.LoadZone(*in.TimeZone); err != nil {
		return err
	}
	ctx, cancel := s.callContext(c)
	defer cancel()
	u, err := s.deps.Auth.Users.SetTimeZone(ctx, userID(c), *in.TimeZone)
	if err != nil {
		return fmt.Errorf("set time zone of user %d: %w", userID(c), err)
	}
	return c.JSON(u)
}

// zoneExample is a valid request body of PATCH /api/me.
var zoneExample = `{"timeZone":"Asia/Jakarta"}`
