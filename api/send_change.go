package api

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"unicode/utf8"

	"github.com/gofiber/fiber/v2"

	"github.com/juta-app/juta"
)

// maxEmojiLen bounds a reaction: one emoji, with its modifiers and joiners.
const maxEmojiLen = 16 // characters

// send sends what in asks for: a reaction, an edit, or a text.
func (s *Server) send(ctx context.Context, uid juta.UserID, sid juta.SessionID, in sendRequest, waID string) (juta.Message, error) {
	switch {
	case in.Emoji != nil:
		return s.sendChange(ctx, uid, sid, in.To, in.ReactTo, juta.ChangeReaction, *in.Emoji, waID)
	case in.Edit != 0:
		return s.sendChange(ctx, uid, sid, in.To, in.Edit, juta.ChangeEdit, in.Text, waID)
	}
	return s.deps.Runtime.SendText(ctx, uid, sid, in.To, in.Text, waID)
}

// sendChange sends a change of the stored message target and answers the
// message as stored after it (its reactions, new text or deletion).
func (s *Server) sendChange(ctx context.Context, uid juta.UserID, sid juta.SessionID, to string, target int64, kind juta.ChangeKind, text, waID string) (juta.Message, error) {
	m, err := s.deps.Runtime.SendChange(ctx, uid, sid, to, target, kind, text, waID)
	if err != nil || s.deps.Media.Messages == nil {
		return m, err
	}
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

// deleteMessage answers DELETE /api/sessions/{id}/messages/{messageId}: the
// user's own message is deleted for everyone, recorded, and answered as it
// is now (200). Keyed and paced like a send.
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
	if s.deps.Media.Messages == nil {
		return juta.Errorf(juta.EUNAVAILABLE, "messages are not available")
	}
	fingerprint, _ := json.Marshal(struct {
		Route string
		SID   juta.SessionID
		ID    int64
	}{"delete", sid, mid})
	return s.idempotent(c, key, fingerprint, func() (int, []byte, error) {
		uid := userID(c)
		ctx, cancel := s.callContext(c)
		defer cancel()
		m, err := s.deps.Media.Messages.Message(ctx, uid, sid, mid)
		if err != nil {
			return 0, nil, fmt.Errorf("delete message %d: %w", mid, err)
		}
		waID := ""
		if key != "" {
			waID = keyedMessageID(principal(c).UserID, sid, "delete\x00"+key)
		}
		m, err = s.sendChange(ctx, uid, sid, m.Chat, mid, juta.ChangeDelete, "", waID)
		if err != nil {
			err = fmt.Errorf("delete message %d through session %d: %w", mid, sid, err)
		}
		return sentAnswer(fiber.StatusOK, m, err, waID != "")
	})
}
