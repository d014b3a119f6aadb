package api

import (
	"slices"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/juta-app/juta"
	"github.com/juta-app/juta/api/webhook"
)

// WebhookDeps are the ports of the webhook routes. With a nil Store those
// routes answer 503 unavailable.
type WebhookDeps struct {
	Store juta.WebhookStore
	// AllowPrivate accepts webhook URLs on loopback and private networks
	// (tests, single-box setups); the worker must be configured alike.
	AllowPrivate bool
}

// Bounds of a webhook's event list.
const (
	maxWebhookEvents = 32
	maxEventTypeLen  = 64
)

type createWebhookRequest struct {
	URL       string         `json:"url"`
	Events    []string       `json:"events"`
	SessionID juta.SessionID `json:"sessionId"`
}

func (s *Server) webhookStore() (juta.WebhookStore, error) {
	if s.deps.Webhooks.Store == nil {
		return nil, juta.Errorf(juta.EUNAVAILABLE, "webhooks are not configured on this server")
	}
	return s.deps.Webhooks.Store, nil
}

// createWebhook answers with the webhook and its signing secret, which is
// never shown again.
func (s *Server) createWebhook(c *fiber.Ctx) error {
	store, err := s.webhookStore()
	if err != nil {
		return err
	}
	var req createWebhookRequest
	if err := decodeJSON(c.Body(), &req); err != nil {
		return err
	}
	if _, err := webhook.ValidateURL(req.URL, s.deps.Webhooks.AllowPrivate); err != nil {
		return err
	}
	events, err := normaliseEvents(req.Events)
	if err != nil {
		return err
	}
	p := principal(c)
	sid := req.SessionID
	if sid == 0 {
		sid = p.SessionID // a key bound to a session makes webhooks bound to it
	}
	if sid < 0 || !p.CanSession(sid) {
		return juta.Errorf(juta.ENOTFOUND, "session not found")
	}
	w, err := store.CreateWebhook(c.UserContext(), p.UserID, juta.Webhook{
		URL: req.URL, Events: events, SessionID: sid, Secret: webhook.NewSecret(),
	})
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(w)
}

// normaliseEvents checks the event list: ["*"] (also what an empty list
// means), or up to 32 distinct types such as "message" or "session.*".
func normaliseEvents(in []string) ([]string, error) {
	if len(in) == 0 || slices.Contains(in, juta.WebhookAllEvents) {
		return []string{juta.WebhookAllEvents}, nil
	}
	if len(in) > maxWebhookEvents {
		return nil, juta.Errorf(juta.EINVALID, "events may name at most %d types", maxWebhookEvents)
	}
	out := make([]string, 0, len(in))
	for _, t := range in {
		if !validEventType(t) {
			return nil, juta.Errorf(juta.EINVALID, "events: %q is not an event type", truncate(t, maxEventTypeLen))
		}
		if !slices.Contains(out, t) {
			out = append(out, t)
		}
	}
	return out, nil
}

// validEventType accepts dotted lower-case names, optionally ending in ".*".
func validEventType(t string) bool {
	if t == "" || len(t) > maxEventTypeLen {
		return false
	}
	labels := strings.Split(t, ".")
	for i, label := range labels {
		if label == "*" && i > 0 && i == len(labels)-1 {
			continue
		}
		if label == "" || strings.Trim(label, eventTypeChars) != "" {
			return false
		}
	}
	return true
}

const eventTypeChars = "abcdefghijklmnopqrstuvwxyz0123456789_"

func truncate(s string, n int) string {
	if len(s) > n {
		return s[:n]
	}
	return s
}

func (s *Server) listWebhooks(c *fiber.Ctx) error {
	store, err := s.webhookStore()
	if err != nil {
		return err
	}
	p := principal(c)
	all, err := store.Webhooks(c.UserContext(), p.UserID)
	if err != nil {
		return err
	}
	items := make([]juta.Webhook, 0, len(all))
	for _, w := range all {
		if p.SessionID == 0 || w.SessionID == p.SessionID {
			items = append(items, w)
		}
	}
	return c.JSON(juta.Page[juta.Webhook]{Items: items})
}

// ownWebhook loads the caller's webhook from the :id parameter. Another
// user's, or one outside a session-bound key's session, is ENOTFOUND.
func (s *Server) ownWebhook(c *fiber.Ctx) (juta.WebhookStore, juta.Webhook, error) {
	store, err := s.webhookStore()
	if err != nil {
		return nil, juta.Webhook{}, err
	}
	id, ok := parsePositive(c.Params("id"))
	if !ok {
		return nil, juta.Webhook{}, juta.Errorf(juta.ENOTFOUND, "webhook not found")
	}
	p := principal(c)
	w, err := store.Webhook(c.UserContext(), p.UserID, juta.WebhookID(id))
	if err == nil && p.SessionID != 0 && w.SessionID != p.SessionID {
		err = juta.Errorf(juta.ENOTFOUND, "webhook not found")
	}
	return store, w, err
}

func (s *Server) getWebhook(c *fiber.Ctx) error {
	_, w, err := s.ownWebhook(c)
	if err != nil {
		return err
	}
	return c.JSON(w)
}

func (s *Server) deleteWebhook(c *fiber.Ctx) error {
	store, w, err := s.ownWebhook(c)
	if err != nil {
		return err
	}
	if err := store.DeleteWebhook(c.UserContext(), userID(c), w.ID); err != nil {
		return err
	}
	return c.SendStatus(fiber.StatusNoContent)
}

// webhookDeliveries lists the dead-letter entries; ?status= narrows them to
// dead, queued or delivered (redelivered).
func (s *Server) webhookDeliveries(c *fiber.Ctx) error {
	store, w, err := s.ownWebhook(c)
	if err != nil {
		return err
	}
	status, err := parseDeliveryStatus(c.Query("status"))
	if err != nil {
		return err
	}
	cursor, limit, err := parsePage(c.Query("limit"), c.Query("cursor"))
	if err != nil {
		return err
	}
	page, err := store.WebhookDeliveries(c.UserContext(), userID(c), w.ID, status, cursor, limit)
	if err != nil {
		return err
	}
	return c.JSON(page)
}

// parseDeliveryStatus maps ?status= to its constant (which, unlike the raw
// query value, does not alias request memory).
func parseDeliveryStatus(raw string) (juta.DeliveryStatus, error) {
	for _, st := range []juta.DeliveryStatus{juta.DeliveryDead, juta.DeliveryQueued, juta.DeliveryDelivered} {
		if raw == string(st) {
			return st, nil
		}
	}
	if raw == "" {
		return "", nil
	}
	return "", juta.Errorf(juta.EINVALID, "status must be dead, queued or delivered")
}

// redeliverWebhook queues one more attempt at a dead-lettered delivery; the
// worker makes it shortly (202).
func (s *Server) redeliverWebhook(c *fiber.Ctx) error {
	store, w, err := s.ownWebhook(c)
	if err != nil {
		return err
	}
	did, ok := parsePositive(c.Params("deliveryId"))
	if !ok {
		return juta.Errorf(juta.ENOTFOUND, "delivery not found")
	}
	d, err := store.Redeliver(c.UserContext(), userID(c), w.ID, did)
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusAccepted).JSON(d)
}

// SetWebhooks wires the webhook routes after New, for wiring that builds the
// worker's ports later. Call it before serving.
func (s *Server) SetWebhooks(d WebhookDeps) { s.deps.Webhooks = d }
