package juta

import (
	"regexp"
	"testing"
)

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

func TestPhonePatternMatchesWholeNumbers(t *testing.T) {
	for _, c := range []struct {
		contact, peer string
		want          bool
	}{
		{"+60111111111", "+60111111111", true},
		{"+60111111111", "60111111111@s.whatsapp.net", true},
		{"+60111111111", "60111111111:3@s.whatsapp.net", true},
		{"+60111111111", "+601111111111", false}, // a longer number is another person
		{"+60111111111", "601111111111@s.whatsapp.net", false},
		{"+601111111111", "+60111111111", false},
		{"60111111111", "+60111111111", true},
		{"011-111 1111", "+60111111111", true},
		{"011-111 1111", "+6011111111", false},
		{"+60111111111", "120363025246125486@g.us", false},
	} {
		p, ok := PhonePattern(c.contact)
		if !ok {
			t.Fatalf("%q is a phone number", c.contact)
		}
		if got := regexp.MustCompile(p).MatchString(c.peer); got != c.want {
			t.Errorf("%q matches %q: %v, want %v", c.contact, c.peer, got, c.want)
		}
	}
	if _, ok := PhonePattern("Ali"); ok {
		t.Error("a name is no phone number")
	}
}
