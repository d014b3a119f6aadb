package api

import (
	"strings"

	"github.com/nyaruka/phonenumbers"

	"github.com/juta-app/juta"
)

// defaultRegion applies to numbers written without a country code; the first
// users are in Malaysia.
const defaultRegion = "MY"

// maxPhoneLen bounds the input handed to the phone library.
const maxPhoneLen = 64

// parsePhone validates a phone number written in any common form and returns
// it in E.164 ("+60123456789"). EINVALID when it is not a valid number.
func parsePhone(in string) (string, error) {
	in = strings.TrimSpace(in)
	if in == "" {
		return "", juta.Errorf(juta.EINVALID, "phoneNumber is required")
	}
	if len(in) > maxPhoneLen {
		return "", juta.Errorf(juta.EINVALID, "phoneNumber is too long")
	}
	num, err := phonenumbers.Parse(in, defaultRegion)
	if err != nil || !phonenumbers.IsValidNumber(num) {
		return "", juta.Errorf(juta.EINVALID, "phoneNumber is not a valid phone number")
	}
	return phonenumbers.Format(num, phonenumbers.E164), nil
}

// parsePeerPhone is parsePhone for someone else's number (a recipient, a
// chat): WhatsApp reaches any number its country's plan allows, not only the
// ranges in use today, so the check is the country's possible lengths rather
// than the library's list of assigned ranges.
func parsePeerPhone(in string) (string, error) {
	in = strings.TrimSpace(in)
	if in == "" || len(in) > maxPhoneLen {
		return "", juta.Errorf(juta.EINVALID, "not a phone number")
	}
	num, err := phonenumbers.Parse(in, defaultRegion)
	if err != nil || !phonenumbers.IsPossibleNumber(num) ||
		phonenumbers.GetRegionCodeForNumber(num) == "" {
		return "", juta.Errorf(juta.EINVALID, "not a phone number")
	}
	return phonenumbers.Format(num, phonenumbers.E164), nil
}
