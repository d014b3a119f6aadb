package api

import (
	"encoding/json"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/gofiber/fiber/v2"

	"github.com/juta-app/juta"
)

// The actions routes: the suggestions drawn from the caller's messages, their
// lifecycle, and carrying out a drafted reply.

const maxReplyLen = 4096

func (s *Server) actionService() (juta.ActionService, error) {
	if s.deps.App.Actions == nil {
		return nil, juta.Errorf(juta.EUNAVAILABLE, "actions are not available on this node")
	}
	return s.deps.App.Actions, nil
}

// actionFilter copies and checks the list filters of ?status=&type=&sessionId=&dueAfter=&dueBefore=.
func actionFilter(c *fiber.Ctx) (juta.ActionFilter, error) {
	var f juta.ActionFilter
	switch st := juta.ActionStatus(c.Query("status")); st {
	case "", juta.ActionPending, juta.ActionAccepted, juta.ActionDismissed, juta.ActionDone:
		f.Status = juta.ActionStatus(strings.Clone(string(st)))
	default:
		return f, juta.Errorf(juta.EINVALID, "status must be pending, accepted, dismissed or done")
	}
	switch t := juta.ActionType(c.Query("type")); t {
	case "", juta.ActionMeeting, juta.ActionReminder, juta.ActionPayment, juta.ActionTask, juta.ActionReplyNeeded:
		f.Type = juta.ActionType(strings.Clone(string(t)))
	default:
		return f, juta.Errorf(juta.EINVALID, "type must be meeting, reminder, payment, task or reply_needed")
	}
	if raw := c.Query("sessionId"); raw != "" {
		sid, err := parseSessionID(raw)
		if err != nil {
			return f, juta.Errorf(juta.EINVALID, "sessionId must be a positive integer")
		}
		f.SessionID = sid
	}
	var err error
	if f.DueAfter, err = queryTime(c, "dueAfter"); err != nil {
		return f, err
	}
	f.DueBefore, err = queryTime(c, "dueBefore")
	return f, err
}

func queryTime(c *fiber.Ctx, name string) (*time.Time, error) {
	raw := c.Query(name)
	if raw == "" {
		return nil, nil
	}
	t, err := time.Parse(time.RFC3339, raw)
	if err != nil {
		return nil, juta.Errorf(juta.EINVALID, "%s must be an RFC 3339 time with an offset", name)
	}
	return &t, nil
}

func (s *Server) listActions(c *fiber.Ctx) error {
	svc, err := s.actionService()
	if err != nil {
		return err
	}
	f, err := actionFilter(c)
	if err != nil {
		return err
	}
	cursor, limit, err := parsePage(c.Query("limit"), c.Query("cursor"))
	if err != nil {
		return err
	}
	ctx, cancel := s.callContext(c)
	defer cancel()
	page, err := svc.Actions(ctx, principal(c), f, cursor, limit)
	if err != nil {
		return err
	}
	return c.JSON(page)
}

// callerAction loads the :id action if the caller may see it (404
// otherwise): one of its own, or one of a session shared with it, whose role
// must allow scope (403 otherwise).
func (s *Server) callerAction(c *fiber.Ctx, scope string) (juta.Action, error) {
	svc, err := s.actionService()
	if err != nil {
		return juta.Action{}, err
	}
	id, ok := parsePositive(c.Params("id"))
	if !ok {
		return juta.Action{}, juta.Errorf(juta.ENOTFOUND, "action not found")
	}
	ctx, cancel := s.callContext(c)
	defer cancel()
	return svc.Find(ctx, principal(c), id, scope)
}

func (s *Server) getAction(c *fiber.Ctx) error {
	a, err := s.callerAction(c, juta.ScopeRead)
	if err != nil {
		return err
	}
	return c.JSON(a)
}

type patchActionRequest struct {
	Status      juta.ActionStatus `json:"status"`
	SnoozeUntil *time.Time        `json:"snoozeUntil"`
	Notify      *bool             `json:"notify"`
}

func (s *Server) patchAction(c *fiber.Ctx) error {
	var in patchActionRequest
	if err := decodeJSON(c.Body(), &in); err != nil {
		return err
	}
	if in.Status == "" && in.SnoozeUntil == nil && in.Notify == nil {
		return juta.Errorf(juta.EINVALID, "give at least one of status, snoozeUntil, notify")
	}
	a, err := s.callerAction(c, juta.ScopeSend)
	if err != nil {
		return err
	}
	ctx, cancel := s.callContext(c)
	defer cancel()
	updated, err := s.deps.App.Actions.Update(ctx, a,
		juta.ActionUpdate{Status: in.Status, SnoozeUntil: in.SnoozeUntil, Notify: in.Notify})
	if err != nil {
		return err
	}
	return c.JSON(updated)
}

// executeResponse is the carried-out action and the message sent.
type executeResponse struct {
	Action  juta.Action  `json:"action"`
	Message juta.Message `json:"message"`
}

type executeRequest struct {
	Text string `json:"text"` // overrides the drafted reply
}

// executeAction sends the reply a reply_needed action drafted, through the
// application's ActionService.Execute (claim, send, release on failure: a
// retried or concurrent execute never sends twice, 409). With an Idempotency-Key, a retry gets the
// first answer again instead of the 409.
func (s *Server) executeAction(c *fiber.Ctx) error {
	key, err := parseIdempotencyKey(c.Get(headerIdempotencyKey))
	if err != nil {
		return err
	}
	var in executeRequest
	if err := decodeOptionalJSON(c.Body(), &in); err != nil {
		return err
	}
	a, err := s.callerAction(c, juta.ScopeSend)
	if err != nil {
		return err
	}
	text := strings.TrimSpace(in.Text)
	if text == "" {
		text = a.Draft
	}
	if err := checkExecutable(a, text); err != nil {
		return err
	}
	fingerprint, _ := json.Marshal(struct {
		Route string
		ID    int64
		Text  string
	}{"execute", a.ID, text})
	return s.idempotent(c, key, fingerprint, func() (int, []byte, error) {
		return s.execute(c, a, text)
	})
}

// execute carries the action out and answers; the answer is what a retry
// replays.
func (s *Server) execute(c *fiber.Ctx, a juta.Action, text string) (int, []byte, error) {
	ctx, cancel := s.callContext(c)
	defer cancel()
	claimed, sent, err := s.deps.App.Actions.Execute(ctx, a, text)
	if err != nil {
		return 0, nil, err
	}
	body, err := json.Marshal(executeResponse{Action: claimed, Message: sent})
	if err != nil {
		return 0, nil, fmt.Errorf("encode executed action: %w", err)
	}
	return fiber.StatusOK, body, nil
}

func checkExecutable(a juta.Action, text string) error {
	if a.Type != juta.ActionReplyNeeded {
		return juta.Errorf(juta.ESTATE, "only reply_needed actions can be carried out; this one is %s", a.Type)
	}
	if text == "" {
		return juta.Errorf(juta.EINVALID, "no drafted reply: give one as \"text\"")
	}
	if !juta.StorableText(text) {
		return juta.Errorf(juta.EINVALID, "text must be UTF-8 without NUL characters")
	}
	if utf8.RuneCountInString(text) > maxReplyLen {
		return juta.Errorf(juta.ETOOLARGE, "text must be at most %d characters", maxReplyLen)
	}
	if a.Chat == "" {
		return juta.Errorf(juta.ESTATE, "the message this action came from is gone")
	}
	return nil
}
