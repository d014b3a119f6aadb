package api

import (
	"context"
	"strings"
	"unicode/utf8"

	"github.com/gofiber/fiber/v2"

	"github.com/juta-app/juta"
	"github.com/juta-app/juta/app"
)

const (
	maxTextLen = 4096 // characters of one sent message
	maxJIDLen  = 64
)

type sendRequest struct {
	To   string `json:"to"`
	Text string `json:"text"`
	// ReactTo, with Emoji, makes the send a reaction to that stored message.
	ReactTo int64   `json:"reactTo"`
	Emoji   *string `json:"emoji"`
	// Edit makes the send an edit of that stored message of the user's: Text
	// replaces its text, or the caption of a photo, video or document.
	Edit int64 `json:"edit"`
	// Quote makes the send a reply to that stored message of the chat.
	Quote int64 `json:"quote"`
	// Location, Contacts or MediaID (with Caption) send one of those kinds.
	Location *juta.Location `json:"location"`
	Contacts []juta.Contact `json:"contacts"`
	MediaID  string         `json:"mediaId"`
	Caption  string         `json:"caption"`
}

// sendMessage answers POST /api/sessions/{id}/messages: the send itself
// (keyed, paced, recorded before it is reported) is app.Sends.Send.
func (s *Server) sendMessage(c *fiber.Ctx) error {
	sid, err := s.callerSession(c)
	if err != nil {
		return err
	}
	key, err := parseIdempotencyKey(c.Get(headerIdempotencyKey))
	if err != nil {
		return err
	}
	ctx, cancel := s.callContext(c)
	defer cancel()
	in, err := s.sendBody(ctx, c, sid)
	if err != nil {
		return err
	}
	if size := app.MediaSize(in.MediaID); size > 0 {
		// A large file takes longer to reach WhatsApp than a text.
		cancel()
		ctx, cancel = context.WithTimeout(c.UserContext(), juta.MediaTimeout(s.cfg.RequestTimeout, size))
		defer cancel()
	}
	ans, err := s.sends(c).Send(ctx, app.Send{Actor: principal(c).UserID, Owner: userID(c), Session: sid, Key: key,
		To: in.To, Text: in.Text, ReactTo: in.ReactTo, Emoji: in.Emoji, Edit: in.Edit, Quote: in.Quote,
		Location: in.Location, Contacts: in.Contacts, MediaID: in.MediaID})
	return s.answer(c, ans, err)
}

// sends is the send workflow over this server's runtime and stores.
func (s *Server) sends(c *fiber.Ctx) *app.Sends {
	return &app.Sends{Runtime: s.deps.Runtime, Messages: s.deps.Media.Messages, Keys: s.keys(c),
		Blobs: s.deps.Media.Blobs, Quota: s.deps.Media.Quota, Voice: s.deps.Media.Voice,
		Uploads: s.deps.Media.Uploads}
}

// parseSendRequest strictly decodes and checks a send body; "to" comes back
// as E.164 or a JID.
func parseSendRequest(body []byte) (sendRequest, error) {
	var in sendRequest
	if err := decodeJSON(body, &in); err != nil {
		return sendRequest{}, err
	}
	to, err := parseRecipient(in.To)
	if err != nil {
		return sendRequest{}, err
	}
	kinds := in.Location != nil || in.Contacts != nil || in.MediaID != "" || in.Caption != ""
	if in.ReactTo != 0 || in.Emoji != nil {
		if in.Edit != 0 || in.Quote != 0 || kinds {
			return sendRequest{}, juta.Errorf(juta.EINVALID, "a reaction is only to, reactTo and emoji")
		}
		return parseReaction(to, in)
	}
	if in.Edit < 0 || in.Quote < 0 {
		return sendRequest{}, juta.Errorf(juta.EINVALID, "edit and quote must be ids of messages")
	}
	if in.Edit != 0 && (in.Quote != 0 || kinds) {
		return sendRequest{}, juta.Errorf(juta.EINVALID, "an edit is only to, edit and text")
	}
	if kinds {
		return parseKinds(to, in)
	}
	n := utf8.RuneCountInString(in.Text)
	if n == 0 || strings.TrimSpace(in.Text) == "" {
		return sendRequest{}, juta.Errorf(juta.EINVALID, "text is required")
	}
	if n > maxTextLen {
		return sendRequest{}, juta.Errorf(juta.EINVALID, "text must be at most %d characters", maxTextLen)
	}
	if !juta.StorableText(in.Text) {
		// Checked before sending: what the store refuses must never go out.
		return sendRequest{}, juta.Errorf(juta.EINVALID, "text must be UTF-8 without NUL characters")
	}
	return sendRequest{To: to, Text: in.Text, Edit: in.Edit, Quote: in.Quote}, nil
}

// parseRecipient accepts a phone number in any common form (default region
// MY), returned in E.164, or a WhatsApp JID of a user, group or linked id.
func parseRecipient(raw string) (string, error) {
	raw = strings.TrimSpace(raw)
	if raw == "" {
		return "", juta.Errorf(juta.EINVALID, "to is required")
	}
	if strings.Contains(raw, "@") {
		if jid, ok := parseJID(raw); ok {
			return chatOfJID(jid), nil
		}
		return "", juta.Errorf(juta.EINVALID, "to is not a valid WhatsApp JID")
	}
	phone, err := parsePeerPhone(raw)
	if err != nil {
		return "", juta.Errorf(juta.EINVALID, "to must be a phone number or a WhatsApp JID")
	}
	return phone, nil
}

// chatOfJID names a person's phone-number JID the way stored chats do
// ("+60123456789", see whatsapp.address), so that one conversation is one
// chat whichever form the caller wrote; other JIDs stay as they are.
func chatOfJID(jid string) string {
	user, server, _ := strings.Cut(jid, "@")
	if server != "s.whatsapp.net" || user[0] == '0' || len(user) < 7 || len(user) > 15 {
		return jid
	}
	// Only a number that reads back as itself: "600000000222" would read as
	// +60 with a trunk 0 and become another number.
	if phone, err := parsePeerPhone("+" + user); err == nil && phone == "+"+user {
		return phone
	}
	return jid
}

// jidServers are the JID servers a message can be addressed to, with the
// characters their user part may hold.
var jidServers = map[string]string{
	"s.whatsapp.net": "0123456789",  // a user by phone number
	"lid":            "0123456789",  // a user by linked id
	"g.us":           "0123456789-", // a group (old ids hold a dash)
}

// parseJID checks user@server for the servers above; the result is lower
// case and never aliases its input.
func parseJID(raw string) (string, bool) {
	if len(raw) > maxJIDLen {
		return "", false
	}
	user, server, ok := strings.Cut(strings.ToLower(raw), "@")
	chars, known := jidServers[server]
	if !ok || !known || len(user) < 5 || strings.Trim(user, chars) != "" {
		return "", false
	}
	if user[0] == '-' || user[len(user)-1] == '-' || strings.Count(user, "-") > 1 {
		return "", false
	}
	return user + "@" + server, true
}
