package whatsapp

import (
	"testing"

	"github.com/juta-app/juta"
)

func TestParseRecipient(t *testing.T) {
	tests := []struct {
		to   string
		want string // JID, or "" when EINVALID
	}{
		{"+60123456789", "60123456789@s.whatsapp.net"},
		{"60123456789@s.whatsapp.net", "60123456789@s.whatsapp.net"},
		{"60123456789:5@s.whatsapp.net", "60123456789@s.whatsapp.net"},
		{"120363025246125486@g.us", "120363025246125486@g.us"},
		{"98765432101234@lid", "98765432101234@lid"},
		{"+0123456789", ""},
		{"+60 12 345", ""},
		{"+123", ""},
		{"60123456789", ""},
		{"", ""},
	}
	for _, tt := range tests {
		jid, err := parseRecipient(tt.to)
		if tt.want == "" {
			if code := juta.ErrorCode(err); code != juta.EINVALID {
				t.Errorf("parseRecipient(%q) = %v, %v; want %s", tt.to, jid, err, juta.EINVALID)
			}
			continue
		}
		if err != nil || jid.String() != tt.want {
			t.Errorf("parseRecipient(%q) = %v, %v; want %s", tt.to, jid, err, tt.want)
		}
	}
}

func FuzzParseRecipient(f *testing.F) {
	for _, s := range []string{"+60123456789", "1@g.us", "a:b@c", "+", "@"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, to string) {
		jid, err := parseRecipient(to)
		if err != nil {
			if juta.ErrorCode(err) != juta.EINVALID {
				t.Fatalf("parseRecipient(%q): error %v is not EINVALID", to, err)
			}
			return
		}
		if jid.Server == "" || jid.Device != 0 {
			t.Fatalf("parseRecipient(%q) = %v: no server or a device part", to, jid)
		}
	})
}
