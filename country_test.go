package juta

import (
	"errors"
	"strings"
	"testing"
)

func TestLookupCountry(t *testing.T) {
	if n := len(strings.Fields(isoCountries)); n != 249 || len(countryCodes) != 249 {
		t.Errorf("%d codes (%d distinct), want the 249 ISO 3166-1 alpha-2 codes", n, len(countryCodes))
	}
	for in, want := range map[string]string{"MY": "MY", "us": "US", " ca ": "CA", "SG": "SG"} {
		if got, err := LookupCountry(in); err != nil || got != want {
			t.Errorf("LookupCountry(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	for _, in := range []string{"", "M", "MYS", "XX", "ZZ", "EU", "U1", "Malaysia"} {
		var e *Error
		if _, err := LookupCountry(in); !errors.As(err, &e) || e.Code != EINVALID {
			t.Errorf("LookupCountry(%q) = %v, want EINVALID", in, err)
		}
	}
}
