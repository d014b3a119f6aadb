package api

import (
	"fmt"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/juta-app/juta"
)

func init() {
	tagDocs["unread"] = "unread incoming messages of the caller's own sessions"
}

type chatReadRequest struct {
	Chat string `json:"chat"`           // a phone number or JID, as in the chat list
	UpTo int64  `json:"upTo,omitempty"` // a message id; 0 or absent: the newest
}

type unreadResponse struct {
	Items []juta.SessionUnread `json:"items"`
	Total int                  `json:"total"`
}

// markChatRead answers POST /api/sessions/{id}/chats/read.
func (s *Server) markChatRead(c *fiber.Ctx) error {
	sid, err := s.callerSession(c)
	if err != nil {
		return err
	}
	var in chatReadRequest
	if err := decodeJSON(c.Body(), &in); err != nil {
		return err
	}
	if in.UpTo < 0 {
		return juta.Errorf(juta.EINVALID, "upTo must be a message id")
	}
	chat, err := readChat(in.Chat)
	if err != nil {
		return err
	}
	if s.deps.Data.Reads == nil {
		return juta.Errorf(juta.EUNAVAILABLE, "unread counts are not available")
	}
	uid, reader := userID(c), principal(c).UserID
	ctx, cancel := s.callContext(c)
	defer cancel()
	if err := s.deps.Data.Reads.MarkChatRead(ctx, uid, reader, sid, chat, in.UpTo); err != nil {
		return fmt.Errorf("mark chat of session %d read for user %d: %w", sid, reader, err)
	}
	return c.SendStatus(fiber.StatusNoContent)
}

// readChat accepts a chat as the chat list names it: an E.164 number or a
// JID (a group's too).
func readChat(raw string) (string, error) {
	if raw == "" || len(raw) > 256 || !juta.StorableText(raw) || strings.ContainsFunc(raw, isControl) {
		return "", juta.Errorf(juta.EINVALID, "chat must be a phone number or a WhatsApp JID")
	}
	return strings.Clone(raw), nil
}

// unread answers GET /api/unread.
func (s *Server) unread(c *fiber.Ctx) error {
	if s.deps.Data.Reads == nil {
		return juta.Errorf(juta.EUNAVAILABLE, "unread counts are not available")
	}
	uid := userID(c)
	ctx, cancel := s.callContext(c)
	defer cancel()
	items, err := s.deps.Data.Reads.UnreadTotals(ctx, uid)
	if err != nil {
		return fmt.Errorf("unread totals of user %d: %w", uid, err)
	}
	out := unreadResponse{Items: items}
	for _, it := range items {
		out.Total += it.Unread
	}
	return c.JSON(out)
}

// fillUnread sets each chat's unread count for the caller; without a store
// the counts stay zero.
func (s *Server) fillUnread(c *fiber.Ctx, sid juta.SessionID, chats []juta.Chat) error {
	if s.deps.Data.Reads == nil || len(chats) == 0 {
		return nil
	}
	names := make([]string, len(chats))
	for i, ch := range chats {
		names[i] = ch.Chat
	}
	ctx, cancel := s.callContext(c)
	defer cancel()
	counts, err := s.deps.Data.Reads.UnreadCounts(ctx, userID(c), principal(c).UserID, sid, names)
	if err != nil {
		return fmt.Errorf("unread counts of session %d: %w", sid, err)
	}
	for i := range chats {
		chats[i].Unread = counts[chats[i].Chat]
	}
	return nil
}
