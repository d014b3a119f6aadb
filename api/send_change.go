package api

import (
	"context"
	"unicode/utf8"

	"github.com/juta-app/juta"
)

// maxEmojiLen bounds a reaction: one emoji, with its modifiers and joiners.
const maxEmojiLen = 16 // characters

// send sends what in asks for: a reaction, or a text.
func (s *Server) send(ctx context.Context, uid juta.UserID, sid juta.SessionID, in sendRequest, waID string) (juta.Message, error) {
	if in.Emoji == nil {
		return s.deps.Runtime.SendText(ctx, uid, sid, in.To, in.Text, waID)
	}
	m, err := s.deps.Runtime.SendReaction(ctx, uid, sid, in.To, in.ReactTo, *in.Emoji, waID)
	if err != nil || s.deps.Media.Messages == nil {
		return m, err
	}
	// The message as stored now, its reactions included.
	return s.deps.Media.Messages.Message(ctx, uid, sid, m.ID)
}

// parseReaction checks {"to","reactTo","emoji"}: a message id and an emoji,
// "" to take the user's reaction back.
func parseReaction(to string, in sendRequest) (sendRequest, error) {
	switch {
	case in.ReactTo <= 0:
		return sendRequest{}, juta.Errorf(juta.EINVALID, "reactTo must be the id of a message")
	case in.Emoji == nil:
		return sendRequest{}, juta.Errorf(juta.EINVALID, "emoji is required with reactTo (an empty one takes a reaction back)")
	case in.Text != "":
		return sendRequest{}, juta.Errorf(juta.EINVALID, "a reaction has no text")
	case utf8.RuneCountInString(*in.Emoji) > maxEmojiLen:
		return sendRequest{}, juta.Errorf(juta.EINVALID, "emoji must be at most %d characters", maxEmojiLen)
	case !juta.StorableText(*in.Emoji):
		return sendRequest{}, juta.Errorf(juta.EINVALID, "emoji must be UTF-8 without NUL characters")
	}
	emoji := *in.Emoji
	return sendRequest{To: to, ReactTo: in.ReactTo, Emoji: &emoji}, nil
}
