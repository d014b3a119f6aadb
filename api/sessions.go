package api

import (
	"context"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/gofiber/fiber/v2"
	"github.com/skip2/go-qrcode"

	"github.com/juta-app/juta"
)

const (
	maxSessionNameLen = 100
	qrPNGSize         = 256
)

// callContext bounds a Runtime call by the configured request timeout.
func (s *Server) callContext(c *fiber.Ctx) (context.Context, context.CancelFunc) {
	return context.WithTimeout(c.UserContext(), s.cfg.RequestTimeout)
}

// sessionID copies and parses the :id path parameter.
func sessionID(c *fiber.Ctx) (juta.SessionID, error) {
	return parseSessionID(c.Params("id"))
}

func (s *Server) status(c *fiber.Ctx) error {
	uid := userID(c)
	ctx, cancel := s.callContext(c)
	defer cancel()
	list, err := s.deps.Runtime.Status(ctx, uid)
	if err != nil {
		return fmt.Errorf("status of user %d: %w", uid, err)
	}
	return c.JSON(fiber.Map{"sessions": visibleSessions(principal(c), list)})
}

type createSessionRequest struct {
	Name string `json:"name"`
}

func (s *Server) createSession(c *fiber.Ctx) error {
	var in createSessionRequest
	if err := decodeOptionalJSON(c.Body(), &in); err != nil {
		return err
	}
	name := strings.TrimSpace(in.Name)
	if utf8.RuneCountInString(name) > maxSessionNameLen {
		return juta.Errorf(juta.EINVALID, "name must be at most %d characters", maxSessionNameLen)
	}
	unlock, err := s.reserve(c, "sessions", s.cfg.Limits.Sessions, s.countSessions)
	if err != nil {
		return err
	}
	defer unlock()
	uid := userID(c)
	ctx, cancel := s.callContext(c)
	defer cancel()
	sess, err := s.deps.Runtime.CreateSession(ctx, uid, name)
	if err != nil {
		return fmt.Errorf("create session for user %d: %w", uid, err)
	}
	return c.Status(fiber.StatusCreated).JSON(sess)
}

func (s *Server) getSession(c *fiber.Ctx) error {
	sid, err := s.callerSession(c)
	if err != nil {
		return err
	}
	uid := userID(c)
	ctx, cancel := s.callContext(c)
	defer cancel()
	sess, err := s.deps.Runtime.Session(ctx, uid, sid)
	if err != nil {
		return fmt.Errorf("session %d of user %d: %w", sid, uid, err)
	}
	return c.JSON(sess)
}

// sessionQR answers the current linking code as JSON, or as a PNG image with
// ?format=png.
func (s *Server) sessionQR(c *fiber.Ctx) error {
	sid, err := s.callerSession(c)
	if err != nil {
		return err
	}
	format := c.Query("format")
	if format != "" && format != "json" && format != "png" {
		return juta.Errorf(juta.EINVALID, "format must be json or png")
	}
	png := format == "png"
	uid := userID(c)
	ctx, cancel := s.callContext(c)
	defer cancel()
	qr, err := s.deps.Runtime.QR(ctx, uid, sid)
	if err != nil {
		return fmt.Errorf("qr of session %d of user %d: %w", sid, uid, err)
	}
	// A linking code grants access to the account: never cache it.
	c.Set(fiber.HeaderCacheControl, "no-store")
	if !png {
		return c.JSON(qr)
	}
	img, err := qrcode.Encode(qr.Code, qrcode.Medium, qrPNGSize)
	if err != nil {
		return fmt.Errorf("render qr png: %w", err)
	}
	c.Set(fiber.HeaderContentType, "image/png")
	return c.Send(img)
}

type pairRequest struct {
	PhoneNumber string `json:"phoneNumber"`
}

func (s *Server) pairPhone(c *fiber.Ctx) error {
	sid, err := s.callerSession(c)
	if err != nil {
		return err
	}
	var in pairRequest
	if err := decodeJSON(c.Body(), &in); err != nil {
		return err
	}
	phone, err := parsePhone(in.PhoneNumber)
	if err != nil {
		return err
	}
	uid := userID(c)
	ctx, cancel := s.callContext(c)
	defer cancel()
	code, err := s.deps.Runtime.PairPhone(ctx, uid, sid, phone)
	if err != nil {
		return fmt.Errorf("pair session %d of user %d: %w", sid, uid, err)
	}
	c.Set(fiber.HeaderCacheControl, "no-store")
	return c.JSON(fiber.Map{"code": code})
}

// messages lists a session's messages newest first, passing the page cursor
// through to the store; ?q= and ?chat= narrow the list.
func (s *Server) messages(c *fiber.Ctx) error {
	sid, err := s.callerSession(c)
	if err != nil {
		return err
	}
	cursor, limit, err := parsePage(c.Query("limit"), c.Query("cursor"))
	if err != nil {
		return err
	}
	q, err := parseMessageQuery(c.Query("q"), c.Query("chat"))
	if err != nil {
		return err
	}
	if q != (juta.MessageQuery{}) {
		return s.searchMessages(c, sid, q, cursor, limit)
	}
	if s.deps.Data.Messages == nil {
		return juta.Errorf(juta.EUNAVAILABLE, "messages are not available")
	}
	uid := userID(c)
	ctx, cancel := s.callContext(c)
	defer cancel()
	page, err := s.deps.Data.Messages.Messages(ctx, uid, sid, cursor, limit)
	if err != nil {
		return fmt.Errorf("messages of session %d of user %d: %w", sid, uid, err)
	}
	return sendMessagePage(c, page)
}

func (s *Server) healthz(c *fiber.Ctx) error {
	return c.JSON(fiber.Map{"status": "ok"})
}

func (s *Server) readyz(c *fiber.Ctx) error {
	if !s.ready.Load() {
		return juta.Errorf(juta.EUNAVAILABLE, "not ready")
	}
	if err := s.healthErr(); err != nil {
		// Written here, not logged as a failed request: a load balancer
		// polls this every few seconds for the whole outage.
		setRetryAfter(c, retryAfterOf(err))
		return writeProblem(c, toProblem(err))
	}
	return c.JSON(fiber.Map{"status": "ready"})
}
