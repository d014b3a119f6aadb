package juta

import (
	"strings"
	"time"
)

// DefaultZone is the zone of an account whose number's country has none on
// record, and of every account made before zones were kept per user.
const DefaultZone = "Asia/Kuala_Lumpur"

// maxZoneLen bounds a zone name (the longest IANA names are about 30 bytes).
const maxZoneLen = 64

// LoadZone checks that name is an IANA zone ("Asia/Kuala_Lumpur", "UTC") and
// loads it. EINVALID otherwise: an empty name, a path, or an unknown zone.
// "Local" is refused: it would mean whatever the server's clock says.
func LoadZone(name string) (*time.Location, error) {
	if name == "" || len(name) > maxZoneLen || name == "Local" || strings.Contains(name, "..") ||
		strings.HasPrefix(name, "/") {
		return nil, Errorf(EINVALID, "timeZone must be an IANA time zone such as %s", DefaultZone)
	}
	loc, err := time.LoadLocation(name)
	if err != nil {
		return nil, Errorf(EINVALID, "timeZone must be an IANA time zone such as %s", DefaultZone)
	}
	return loc, nil
}

// ZoneOrDefault loads name, falling back to DefaultZone (and then UTC) for a
// name that does not load on this machine.
func ZoneOrDefault(name string) *time.Location {
	if loc, err := LoadZone(name); err == nil {
		return loc
	}
	if loc, err := time.LoadLocation(DefaultZone); err == nil {
		return loc
	}
	return time.UTC
}
