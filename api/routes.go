package api

import (
	"strings"

	"github.com/gofiber/fiber/v2"

	juta "github.com/juta-app/juta"
)

// access says who may call a route.
type access int

const (
	public   access = iota
	bearer          // Authorization: Bearer <token>
	wsTicket        // the WebSocket: a ticket from POST /api/ws-ticket in ?ticket=, or as bearer; Origin checked
	admin           // an administrator's access token; 404 for everyone else
)

// route is one entry of the routes table. New features add rows here; the
// middleware a row gets follows from its access.
type route struct {
	method string
	path   string
	access access
	handle fiber.Handler
	scope  string // API key scope the route needs (juta.Scope*); "" for public routes
}

func (s *Server) routes() []route {
	return []route{
		{fiber.MethodGet, "/healthz", public, s.healthz, ""},
		{fiber.MethodGet, "/readyz", public, s.readyz, ""},
		{fiber.MethodGet, "/api/openapi.json", public, s.openapi, ""},
		{fiber.MethodGet, "/api/docs", public, s.docs, ""},

		{fiber.MethodPost, "/api/auth/register", public, s.register, ""},
		{fiber.MethodPost, "/api/auth/login", public, s.login, ""},
		{fiber.MethodPost, "/api/auth/refresh", public, s.refresh, ""},
		{fiber.MethodPost, "/api/auth/logout", public, s.logout, ""},
		{fiber.MethodPost, "/api/auth/password", bearer, s.changePassword, ""},
		{fiber.MethodGet, "/api/me", bearer, s.me, juta.ScopeRead},
		{fiber.MethodPatch, "/api/me", bearer, s.updateMe, juta.ScopeManage},
		{fiber.MethodGet, "/api/me/logins", bearer, s.listLogins, juta.ScopeManage},
		{fiber.MethodDelete, "/api/me/logins/:id", bearer, s.revokeLogin, juta.ScopeManage},
		{fiber.MethodPost, "/api/me/logins/revoke-others", bearer, s.revokeOtherLogins, juta.ScopeManage},

		{fiber.MethodPost, "/api/keys", bearer, s.createKey, juta.ScopeManage},
		{fiber.MethodGet, "/api/keys", bearer, s.listKeys, juta.ScopeManage},
		{fiber.MethodDelete, "/api/keys/:id", bearer, s.revokeKey, juta.ScopeManage},

		{fiber.MethodGet, "/api/admin/sessions", admin, s.adminSessions, ""},
		{fiber.MethodGet, "/api/admin/users", admin, s.adminUsers, ""},
		{fiber.MethodGet, "/api/admin/stats", admin, s.adminStats, ""},
		{fiber.MethodPost, "/api/admin/users/:id/disable", admin, s.disableUser, ""},
		{fiber.MethodPost, "/api/admin/users/:id/enable", admin, s.enableUser, ""},

		{fiber.MethodGet, "/api/status", bearer, s.status, juta.ScopeRead},
		{fiber.MethodPost, "/api/sessions", bearer, s.createSession, juta.ScopeManage},
		{fiber.MethodGet, "/api/sessions/:id", bearer, s.getSession, juta.ScopeRead},
		{fiber.MethodGet, "/api/sessions/:id/qr", bearer, s.sessionQR, juta.ScopeManage},
		{fiber.MethodPost, "/api/sessions/:id/pair", bearer, s.pairPhone, juta.ScopeManage},
		{fiber.MethodGet, "/api/sessions/:id/messages", bearer, s.messages, juta.ScopeRead},
		{fiber.MethodGet, "/api/sessions/:id/messages/:messageId/media", bearer, s.messageMedia, juta.ScopeRead},
		{fiber.MethodGet, "/api/sessions/:id/messages/:messageId/versions", bearer, s.messageVersions, juta.ScopeRead},

		{fiber.MethodPost, "/api/webhooks", bearer, s.createWebhook, juta.ScopeManage},
		{fiber.MethodGet, "/api/webhooks", bearer, s.listWebhooks, juta.ScopeRead},
		{fiber.MethodGet, "/api/webhooks/:id", bearer, s.getWebhook, juta.ScopeRead},
		{fiber.MethodDelete, "/api/webhooks/:id", bearer, s.deleteWebhook, juta.ScopeManage},
		{fiber.MethodGet, "/api/webhooks/:id/deliveries", bearer, s.webhookDeliveries, juta.ScopeRead},
		{fiber.MethodPost, "/api/webhooks/:id/deliveries/:deliveryId/redeliver", bearer, s.redeliverWebhook, juta.ScopeManage},

		{fiber.MethodGet, "/api/sessions", bearer, s.listSessions, juta.ScopeRead},
		{fiber.MethodPost, "/api/sessions/:id/start", bearer, s.startSession, juta.ScopeManage},
		{fiber.MethodPost, "/api/sessions/:id/stop", bearer, s.stopSession, juta.ScopeManage},
		{fiber.MethodPost, "/api/sessions/:id/logout", bearer, s.logoutSession, juta.ScopeManage},
		{fiber.MethodDelete, "/api/sessions/:id", bearer, s.deleteSession, juta.ScopeManage},
		{fiber.MethodPatch, "/api/sessions/:id", bearer, s.patchSession, juta.ScopeManage},
		{fiber.MethodGet, "/api/sessions/:id/chats", bearer, s.chats, juta.ScopeRead},
		{fiber.MethodPost, "/api/sessions/:id/chats/read", bearer, s.markChatRead, juta.ScopeRead},
		{fiber.MethodGet, "/api/unread", bearer, s.unread, juta.ScopeRead},
		{fiber.MethodPost, "/api/sessions/:id/messages", bearer, s.sendMessage, juta.ScopeSend},
		{fiber.MethodPost, "/api/sessions/:id/media", bearer, s.uploadMedia, juta.ScopeSend},
		{fiber.MethodDelete, "/api/sessions/:id/messages/:messageId", bearer, s.deleteMessage, juta.ScopeSend},
		{fiber.MethodGet, "/api/events", bearer, s.events, juta.ScopeRead},
		{fiber.MethodGet, "/api/stats", bearer, s.stats, juta.ScopeRead},
		{fiber.MethodPost, "/api/ws-ticket", bearer, s.createTicket, juta.ScopeRead},

		{fiber.MethodGet, "/api/actions", bearer, s.listActions, juta.ScopeRead},
		{fiber.MethodPost, "/api/chat", bearer, s.chat, juta.ScopeRead},
		{fiber.MethodGet, "/api/actions/:id", bearer, s.getAction, juta.ScopeRead},
		{fiber.MethodPatch, "/api/actions/:id", bearer, s.patchAction, juta.ScopeSend},
		{fiber.MethodPost, "/api/actions/:id/execute", bearer, s.executeAction, juta.ScopeSend},

		{fiber.MethodPost, "/api/sessions/:id/shares", bearer, s.shareSession, juta.ScopeManage},
		{fiber.MethodGet, "/api/sessions/:id/shares", bearer, s.listShares, juta.ScopeManage},
		{fiber.MethodDelete, "/api/sessions/:id/shares/:phoneNumber", bearer, s.revokeShare, juta.ScopeManage},
		{fiber.MethodGet, "/api/shared-sessions", bearer, s.sharedSessions, juta.ScopeRead},

		{fiber.MethodGet, "/api/ws", wsTicket, s.websocket(), juta.ScopeRead},
	}
}

// chain is the middleware of r followed by its handler. Auth routes are
// rate-limited per client IP; routes naming a session check that a
// session-bound key may reach it.
func (s *Server) chain(r route) []fiber.Handler {
	var hs []fiber.Handler
	if r.access != public || strings.HasPrefix(r.path, "/api/auth/") {
		hs = append(hs, noStore)
	}
	if strings.HasPrefix(r.path, "/api/auth/") {
		hs = append(hs, s.limitIP)
	}
	switch r.access {
	case bearer:
		hs = append(hs, s.authenticate(false), requireScope(r.scope))
	case wsTicket:
		hs = append(hs, s.authenticateWS(s.authenticate(false)), requireScope(r.scope))
	case admin:
		hs = append(hs, s.authenticate(false), requireAdmin)
	}
	if r.access != public {
		if guard := s.sessionGuard(r); guard != nil {
			hs = append(hs, guard)
		}
	}
	return append(hs, r.handle)
}
