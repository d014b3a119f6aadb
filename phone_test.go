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
	} {
		got, ok := PhoneDigits(in)
		if got != want || ok != (want != "") {
			t.Errorf("PhoneDigits(%q) = %q, %v; want %q", in, got, ok, want)
		}
	}
}
