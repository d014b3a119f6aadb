package api

import (
	"github.com/gofiber/fiber/v2"

	juta "github.com/juta-app/juta"
)

// access says who may call a route.
type access int

const (
	public        access = iota
	bearer               // Authorization: Bearer <token>
	bearerOrQuery        // as bearer, or ?token= for browsers that cannot set headers on a WebSocket
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

		{fiber.MethodPost, "/api/auth/register", public, s.register, ""},
		{fiber.MethodPost, "/api/auth/login", public, s.login, ""},

		{fiber.MethodGet, "/api/status", bearer, s.status, juta.ScopeRead},
		{fiber.MethodPost, "/api/sessions", bearer, s.createSession, juta.ScopeManage},
		{fiber.MethodGet, "/api/sessions/:id", bearer, s.getSession, juta.ScopeRead},
		{fiber.MethodGet, "/api/sessions/:id/qr", bearer, s.sessionQR, juta.ScopeManage},
		{fiber.MethodPost, "/api/sessions/:id/pair", bearer, s.pairPhone, juta.ScopeManage},
		{fiber.MethodGet, "/api/sessions/:id/messages", bearer, s.messages, juta.ScopeRead},

		{fiber.MethodGet, "/api/ws", bearerOrQuery, s.websocket(), juta.ScopeRead},
	}
}

// chain is the middleware of r followed by its handler.
func (s *Server) chain(r route) []fiber.Handler {
	switch r.access {
	case bearer:
		return []fiber.Handler{s.authenticate(false), requireScope(r.scope), r.handle}
	case bearerOrQuery:
		return []fiber.Handler{s.authenticate(true), requireScope(r.scope), r.handle}
	default:
		return []fiber.Handler{r.handle}
	}
}
