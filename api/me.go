package api

import (
	"context"
	"fmt"

	"github.com/gofiber/fiber/v2"

	"github.com/juta-app/juta"
	"github.com/juta-app/juta/api/auth"
)

// setDefaults gives a new account the zone and the country of its number's
// country (the columns' defaults are Malaysia's, so nothing is written for a
// Malaysian number).
func (s *Server) setDefaults(ctx context.Context, u juta.User) (juta.User, error) {
	st := defaultSettings(u)
	if st.TimeZone == nil && st.Country == nil {
		return u, nil
	}
	nu, err := s.deps.Auth.Users.UpdateSettings(ctx, u.ID, st)
	if err != nil {
		return u, fmt.Errorf("set the defaults of user %d: %w", u.ID, err)
	}
	return nu, nil
}

// defaultSettings are the settings a new account takes from its number
// where they differ from the columns' defaults.
func defaultSettings(u juta.User) juta.Settings {
	var st juta.Settings
	if zone := auth.ZoneOfPhone(u.Phone); zone != u.TimeZone {
		st.TimeZone = &zone
	}
	if c := auth.CountryOfPhone(u.Phone); c != u.Country {
		st.Country = &c
	}
	return st
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
	Country    *string `json:"country"`
}

// updateMe changes the caller's settings that the body names: its time zone,
// its prayer-time zone and its country. All are checked before anything is
// written.
func (s *Server) updateMe(c *fiber.Ctx) error {
	var in meUpdate
	if err := decodeJSON(c.Body(), &in); err != nil {
		return err
	}
	if in.TimeZone == nil && in.PrayerZone == nil && in.Country == nil {
		return juta.Errorf(juta.EINVALID, "timeZone, prayerZone or country is required")
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
	if in.Country != nil {
		c, err := juta.LookupCountry(*in.Country)
		if err != nil {
			return err
		}
		st.Country = &c
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
var zoneExample = `{"timeZone":"Asia/Kuching","prayerZone":"SWK08","country":"MY"}`

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
