package juta

import (
	"testing"
	"time"
)

// What the user may change of a stored message: reactions to any message
// not deleted; edits and deletes of their own only; edits of text only and
// within WhatsApp's fifteen minutes.
func TestCheckOwnChange(t *testing.T) {
	now := time.Date(2026, 12, 7, 10, 0, 0, 0, time.UTC)
	deleted := now.Add(-time.Minute)
	own := Message{ID: 1, FromMe: true, Text: "hi", SentAt: now.Add(-14 * time.Minute), Content: Content{Kind: KindText}}
	old := own
	old.SentAt = now.Add(-EditWindow - time.Second)
	theirs := own
	theirs.FromMe = false
	photo := own
	photo.Content = Content{Kind: KindImage}
	gone := own
	gone.DeletedAt = &deleted
	for _, tc := range []struct {
		name string
		m    Message
		kind ChangeKind
		want string
	}{
		{"react to theirs", theirs, ChangeReaction, ""},
		{"react to a deleted message", gone, ChangeReaction, ENOTFOUND},
		{"edit own text within the window", own, ChangeEdit, ""},
		{"edit own text too late", old, ChangeEdit, ESTATE},
		{"edit theirs", theirs, ChangeEdit, EFORBIDDEN},
		{"edit a photo", photo, ChangeEdit, EINVALID},
		{"delete own old message", old, ChangeDelete, ""},
		{"delete theirs", theirs, ChangeDelete, EFORBIDDEN},
		{"delete twice", gone, ChangeDelete, ENOTFOUND},
		{"send a receipt", own, ChangeReceipt, EINVALID},
	} {
		err := CheckOwnChange(tc.m, tc.kind, now)
		if (err == nil) != (tc.want == "") || (err != nil && ErrorCode(err) != tc.want) {
			t.Errorf("%s: %v, want %q", tc.name, err, tc.want)
		}
	}
}
