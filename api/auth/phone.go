package auth

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

// maxE164Digits is E.164's limit on the digits of a number, country code
// included (ITU-T E.164, section 6.1); the phone library's metadata lets a
// few longer ones through.
const maxE164Digits = 15

// e164 formats num in E.164, EINVALID when it has more digits than E.164 allows.
func e164(num *phonenumbers.PhoneNumber, msg string) (string, error) {
	out := phonenumbers.Format(num, phonenumbers.E164)
	if len(out)-1 > maxE164Digits {
		return "", juta.Errorf(juta.EINVALID, "%s", msg)
	}
	return out, nil
}

// ParsePhone validates a phone number written in any common form and returns
// it in E.164 ("+60123456789"). EINVALID when it is not a valid number.
func ParsePhone(in string) (string, error) {
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
	return e164(num, "phoneNumber is not a valid phone number")
}

// ParsePeerPhone is ParsePhone for someone else's number (a recipient, a
// chat): WhatsApp reaches any number its country's plan allows, not only the
// ranges in use today, so the check is the country's possible lengths rather
// than the library's list of assigned ranges.
func ParsePeerPhone(in string) (string, error) {
	in = strings.TrimSpace(in)
	if in == "" || len(in) > maxPhoneLen {
		return "", juta.Errorf(juta.EINVALID, "not a phone number")
	}
	num, err := phonenumbers.Parse(in, defaultRegion)
	if err != nil || !phonenumbers.IsPossibleNumber(num) ||
		phonenumbers.GetRegionCodeForNumber(num) == "" {
		return "", juta.Errorf(juta.EINVALID, "not a phone number")
	}
	return e164(num, "not a phone number")
}

// CountryOfPhone is the default country of an account with this E.164
// number: the ISO 3166-1 alpha-2 code of the number's region, else
// juta.DefaultCountry.
func CountryOfPhone(phone string) string {
	num, err := phonenumbers.Parse(phone, defaultRegion)
	if err != nil {
		return juta.DefaultCountry
	}
	if c, err := juta.LookupCountry(phonenumbers.GetRegionCodeForNumber(num)); err == nil {
		return c
	}
	return juta.DefaultCountry
}

// ZoneOfPhone is the default time zone of an account with this E.164
// number: the zone of its country: the first of
// the phone library's zones for it that loads here, else juta.DefaultZone.
// A country that spans zones (the US) gets the first listed: a default the
// user can change.
func ZoneOfPhone(phone string) string {
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
