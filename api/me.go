package api

import (
	"context"
	"fmt"

	"github.com/gofiber/fiber/v2"
	"github.com/nyaruka/phonenumbers"

	"github.com/juta-app/juta"
)

// zoneOfPhone is the zone of the country of an E.164 number: the first of
// the phone library's zones for it that loads here, else juta.DefaultZone.
// A country that spans zones (the US) gets the first listed: a default the
// user can change.
func zoneOfPhone(phone string) string {
	num, err := phonenumbers.Parse(phone, defaultRegion)
	if err != nil || phonenumbers.GetRegionCodeForNumber(num) == defaultRegion {
		// The library maps some Malaysian mobile prefixes to Asia/Kuching
		// (the same time): the default region keeps the default zone.
		return juta.DefaultZone
	}
	zones, err := phonenumbers.GetTimezonesForNumber(num)
	if err != nil {
		return juta.DefaultZone
	}
	for _, z := range zones {
		if _, err := juta.LoadZone(z); err == nil {
			return z
		}
	}
	return juta.DefaultZone
}

// ZoneOfPhone is the default time zone of an account with this E.164 number
// (the zone of its country), for accounts made outside the API.
func ZoneOfPhone(phone string) string { return zoneOfPhone(phone) }

// setDefaultZone gives a new account the zone of its number's country (the
// column's default is juta.DefaultZone, so nothing is written for Malaysia).
func (s *Server) setDefaultZone(ctx context.Context, u juta.User) (juta.User, error) {
	zone := zoneOfPhone(u.Phone)
	if zone == u.TimeZone {
		return u, nil
	}
	nu, err := s.deps.Users.SetTimeZone(ctx, u.ID, zone)
	if err != nil {
		return u, fmt.Errorf("set time zone of user %d: %w", u.ID, err)
	}
	return nu, nil
}

// me answers the caller's account.
func (s *Server) me(c *fiber.Ctx) error {
	ctx, cancel := s.callContext(c)
	defer cancel()
	u, err := s.deps.Users.User(ctx, userID(c))
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
	u, err := s.deps.Users.SetTimeZone(ctx, userID(c), *in.TimeZone)
	if err != nil {
		return fmt.Errorf("set time zone of user %d: %w", userID(c), err)
	}
	return c.JSON(u)
}

// zoneExample is a valid request body of PATCH /api/me.
var zoneExample = `{"timeZone":"Asia/Jakarta"}`
