package juta

import "testing"

func TestPhoneDigits(t *testing.T) {
	for in, want := range map[string]string{
		"+60 12-345 6789": "60123456789",
		"012-345 6789":    "123456789",
		"(03) 2345 6789":  "323456789",
		"Ali":             "",
		"12345":           "",
		"+6012abc":        "",
		// Letters among enough digits still make it no phone number.
		"+60 12-345 6789 ext 2":                         "",
		"60123456789x":                                  "",
		"Ali 012-345 6789":                              "",
		"60123456789@s.whatsapp.net":                    "",
		"+60\u0661\u0662\u0663\u0664\u0665\u0666\u0667": "", // Arabic-Indic digits
		"+60_123_456_789":                               "",
	} {
		got, ok := PhoneDigits(in)
		if got != want || ok != (want != "") {
			t.Errorf("PhoneDigits(%q) = %q, %v; want %q", in, got, ok, want)
		}
	}
}
