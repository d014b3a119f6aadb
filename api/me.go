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
	TimeZone   *string `json:"timeZone"`
	PrayerZone *string `json:"prayerZone"`
}

// updateMe changes the caller's settings that the body names: its time zone
// and its prayer-time zone. Both are checked before anything is written.
func (s *Server) updateMe(c *fiber.Ctx) error {
	var in meUpdate
	if err := decodeJSON(c.Body(), &in); err != nil {
		return err
	}
	if in.TimeZone == nil && in.PrayerZone == nil {
		return juta.Errorf(juta.EINVALID, "timeZone or prayerZone is required")
	}
	st := juta.Settings{TimeZone: in.TimeZone}
	if in.TimeZone != nil {
		if _, err := juta.LoadZone(*in.TimeZone); err != nil {
			return err
		}
	}
	if in.PrayerZone != nil {
		z, err := juta.LookupPrayerZone(*in.PrayerZone)
		if err != nil {
			return err
		}
		st.PrayerZone = &z.Code
	}
	ctx, cancel := s.callContext(c)
	defer cancel()
	u, err := s.deps.Auth.Users.UpdateSettings(ctx, userID(c), st)
	if err != nil {
		return fmt.Errorf("update settings of user %d: %w", userID(c), err)
	}
	return c.JSON(u)
}

// zoneExample is a valid request body of PATCH /api/me.
var zoneExample = `{"timeZone":"Asia/Kuching","prayerZone":"SWK08"}`

func init() {
	tagDocs["prayer-zones"] = "the places prayer times are read for"
}

// prayerZoneItem is one zone a user may choose for prayer times.
type prayerZoneItem struct {
	Code string `json:"code"`
	Area string `json:"area"`
}

type prayerZoneList struct {
	Items []prayerZoneItem `json:"items"`
}

// prayerZones lists the JAKIM zones PATCH /api/me takes as prayerZone.
func (s *Server) prayerZones(c *fiber.Ctx) error {
	zones := juta.PrayerZones()
	out := prayerZoneList{Items: make([]prayerZoneItem, 0, len(zones))}
	for _, z := range zones {
		out.Items = append(out.Items, prayerZoneItem{Code: z.Code, Area: z.Area})
	}
	return c.JSON(out)
}
