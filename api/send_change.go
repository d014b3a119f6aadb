package api

import (
	"strconv"
	"unicode/utf8"

	"github.com/gofiber/fiber/v2"

	"github.com/juta-app/juta"
	"github.com/juta-app/juta/app"
)

// maxEmojiLen bounds a reaction: one emoji, with its modifiers and joiners.
const maxEmojiLen = 16 // characters

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

// deleteMessage answers DELETE /api/sessions/{id}/messages/{messageId}: the
// user's own message is deleted for everyone (app.Sends.Delete), keyed and
// paced like a send.
func (s *Server) deleteMessage(c *fiber.Ctx) error {
	sid, err := s.callerSession(c)
	if err != nil {
		return err
	}
	key, err := parseIdempotencyKey(c.Get(headerIdempotencyKey))
	if err != nil {
		return err
	}
	mid, err := strconv.ParseInt(c.Params("messageId"), 10, 64)
	if err != nil || mid <= 0 {
		return juta.Errorf(juta.ENOTFOUND, "message not found")
	}
	ctx, cancel := s.callContext(c)
	defer cancel()
	ans, err := s.sends(c).Delete(ctx, app.Delete{Actor: principal(c).UserID, Owner: userID(c), Session: sid, Key: key, Message: mid})
	return s.answer(c, ans, err)
}
