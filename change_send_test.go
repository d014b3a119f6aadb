package juta

import (
	"strings"
	"testing"
	"time"
)

// What the user may change of a stored message: reactions to any message
// not deleted; edits and deletes of their own only; edits of a text or of
// the caption of a photo, video or document (up to MaxCaption characters)
// only, within WhatsApp's fifteen minutes.
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
	doc := own
	doc.Content = Content{Kind: KindDocument}
	voice := own
	voice.Content = Content{Kind: KindVoice}
	gone := own
	gone.DeletedAt = &deleted
	for _, tc := range []struct {
		name string
		m    Message
		kind ChangeKind
		text string
		want string
	}{
		{"react to theirs", theirs, ChangeReaction, "", ""},
		{"react to a deleted message", gone, ChangeReaction, "", ENOTFOUND},
		{"edit own text within the window", own, ChangeEdit, "", ""},
		{"edit own text too late", old, ChangeEdit, "", ESTATE},
		{"edit theirs", theirs, ChangeEdit, "", EFORBIDDEN},
		{"edit a photo's caption", photo, ChangeEdit, "dah bayar", ""},
		{"edit a document's caption", doc, ChangeEdit, "harga baru", ""},
		{"caption too long", photo, ChangeEdit, strings.Repeat("é", MaxCaption+1), EINVALID},
		{"caption at the limit", doc, ChangeEdit, strings.Repeat("é", MaxCaption), ""},
		{"text longer than a caption", own, ChangeEdit, strings.Repeat("a", MaxCaption+1), ""},
		{"edit a voice note", voice, ChangeEdit, "x", EINVALID},
		{"delete own old message", old, ChangeDelete, "", ""},
		{"delete theirs", theirs, ChangeDelete, "", EFORBIDDEN},
		{"delete twice", gone, ChangeDelete, "", ENOTFOUND},
		{"send a receipt", own, ChangeReceipt, "", EINVALID},
	} {
		err := CheckOwnChange(tc.m, tc.kind, tc.text, now)
		if (err == nil) != (tc.want == "") || (err != nil && ErrorCode(err) != tc.want) {
			t.Errorf("%s: %v, want %q", tc.name, err, tc.want)
		}
	}
}
