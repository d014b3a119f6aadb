package api

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/gofiber/fiber/v2"

	"github.com/juta-app/juta"
)

// maxSearchLen bounds ?q= in bytes.
const maxSearchLen = 256

// chats answers GET /api/sessions/{id}/chats: the session's chats with their
// latest message, newest activity first.
func (s *Server) chats(c *fiber.Ctx) error {
	sid, err := s.callerSession(c)
	if err != nil {
		return err
	}
	cursor, limit, err := parsePage(c.Query("limit"), c.Query("cursor"))
	if err != nil {
		return err
	}
	if s.deps.Data.Chats == nil {
		return juta.Errorf(juta.EUNAVAILABLE, "chats are not available")
	}
	uid := userID(c)
	ctx, cancel := s.callContext(c)
	defer cancel()
	page, err := s.deps.Data.Chats.Chats(ctx, uid, sid, cursor, limit)
	if err != nil {
		return fmt.Errorf("chats of session %d of user %d: %w", sid, uid, err)
	}
	if page.Items == nil {
		page.Items = []juta.Chat{}
	}
	if err := s.fillUnread(c, sid, page.Items); err != nil {
		return err
	}
	return c.JSON(page)
}

// searchMessages serves GET /api/sessions/{id}/messages when ?q= or ?chat=
// narrows the list; the plain list goes through the Runtime.
func (s *Server) searchMessages(c *fiber.Ctx, sid juta.SessionID, q juta.MessageQuery, cursor string, limit int) error {
	if s.deps.Data.Search == nil {
		return juta.Errorf(juta.EUNAVAILABLE, "message search is not available")
	}
	uid := userID(c)
	ctx, cancel := s.callContext(c)
	defer cancel()
	page, err := s.deps.Data.Search.SearchMessages(ctx, uid, sid, q, cursor, limit)
	if err != nil {
		return fmt.Errorf("search messages of session %d of user %d: %w", sid, uid, err)
	}
	return sendMessagePage(c, page)
}

// parseMessageQuery reads ?q= (text to find) and ?chat= (a phone number or
// JID, as in a chat list). The result does not alias its inputs.
func parseMessageQuery(rawQ, rawChat string) (juta.MessageQuery, error) {
	var q juta.MessageQuery
	if rawQ != "" {
		if len(rawQ) > maxSearchLen || !utf8.ValidString(rawQ) || strings.ContainsFunc(rawQ, isControl) {
			return q, juta.Errorf(juta.EINVALID, "q must be text of at most %d bytes", maxSearchLen)
		}
		if strings.TrimSpace(rawQ) == "" {
			return q, juta.Errorf(juta.EINVALID, "q must not be blank")
		}
		q.Text = strings.Clone(rawQ)
	}
	if rawChat != "" {
		if strings.HasPrefix(rawChat, " ") {
			// "?chat=+60..." unescaped: the query decodes the plus as a space.
			rawChat = "+" + strings.TrimLeft(rawChat, " ")
		}
		chat, err := parseRecipient(rawChat)
		if err != nil {
			return q, juta.Errorf(juta.EINVALID, "chat must be a phone number or a WhatsApp JID")
		}
		q.Chat = chat
	}
	return q, nil
}
