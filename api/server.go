// Package api is Juta's HTTP layer: a Fiber app with JSON routes whose table
// rows also carry the OpenAPI document, thin handlers that call one port
// each, webhooks' routes and problem+json errors. Authentication is package
// api/auth, mounted as middleware; the WebSocket, its tickets and the live
// fan-out are package api/stream, mounted on the route table's /api/ws and
// /api/ws-ticket rows; workflows that span stores and WhatsApp are the
// application's (juta.ActionService, juta.ShareService, implemented by
// package app). It reaches the actor system only through
// juta.Runtime and the data through the root's store interfaces; it never
// publishes events (the stores do, after commit).
package api

import (
	"context"
	"errors"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"sync/atomic"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/middleware/adaptor"

	"github.com/juta-app/juta"
	"github.com/juta-app/juta/api/auth"
	"github.com/juta-app/juta/api/stream"
)

// Defaults for the zero values of Config.
const (
	DefaultTokenTTL       = 15 * time.Minute
	DefaultBodyLimit      = 1 << 20
	DefaultRequestTimeout = 5 * time.Second
	DefaultPingInterval   = stream.DefaultPingInterval
)

// Config tunes the server. Zero values take the defaults above.
type Config struct {
	// JWTKey, when set (at least 32 bytes), is the one key that signs and
	// verifies access tokens (HS256, kid "config"). When empty, keys come from
	// Deps.Auth.SigningKeys and can be rotated.
	JWTKey []byte
	// TokenTTL is the lifetime of an access token.
	TokenTTL time.Duration
	// BodyLimit caps request bodies in bytes; larger ones get 413 too_large.
	BodyLimit int
	// UploadLimit caps the bodies of the routes that take a file (media
	// upload, multipart send); DefaultUploadLimit when zero.
	UploadLimit int
	// RequestTimeout bounds every call into the Runtime.
	RequestTimeout time.Duration
	// PingInterval is how often a WebSocket is pinged; a peer that does not
	// answer within two intervals is dropped.
	PingInterval time.Duration
	// WSRecheckInterval is how often an open WebSocket checks its credential
	// again (DefaultWSRecheckInterval, never more than TokenTTL); it also
	// checks when its token expires and at once on a revocation on this node.
	WSRecheckInterval time.Duration
	// Observe, when set, is told of every request (method, route pattern,
	// status, duration) for metrics; it must not retain the strings.
	Observe func(method, route string, status int, d time.Duration)
	// Logger receives access and error logs; slog.Default() when nil.
	Logger *slog.Logger

	// RefreshTTL is the lifetime of a refresh token (30 days by default).
	RefreshTTL time.Duration
	// Lockout locks a phone after repeated failed logins (DefaultLockout).
	Lockout juta.LockoutPolicy
	// AuthIPLimit and AuthAccountLimit rate-limit the auth routes per client
	// IP and per account (DefaultAuthIPLimit, DefaultAuthAccountLimit).
	AuthIPLimit, AuthAccountLimit RateLimit
	// AccountCacheTTL is how long a user's role and disabled flag, and whether
	// a login is live, are cached: how long a change made on another node
	// takes to reach this one.
	AccountCacheTTL time.Duration
	// NodeID names this node in the admin views.
	NodeID string
	// Cluster says the node runs in cluster mode: the admin views then name
	// the node holding a user's lease, never this one by default.
	Cluster bool
	// Clock is the time source of authentication (time.Now when nil).
	Clock func() time.Time

	// AllowedOrigins are the browser origins ("https://app.example.com")
	// besides the server's own that may open the WebSocket; see
	// NormalizeOrigin.
	AllowedOrigins []string

	// Limits caps what one account may hold (DefaultLimits).
	Limits Limits
	// DeviceKey signs known-device tokens (at least 32 bytes, the same on
	// every node); empty uses a key of this process only.
	DeviceKey []byte
}

// Deps are the ports the server calls, grouped by what they serve. A route
// whose port is nil answers 503 (501 for the assistant).
type Deps struct {
	// Runtime is the actor system: sessions, sends, live subscriptions.
	Runtime juta.Runtime
	// Auth are the accounts' and credentials' stores (package auth and the
	// account routes).
	Auth AuthDeps
	// Data are the stores the REST reads and keyed writes go to.
	Data DataDeps
	// Stream serves the WebSocket: the event log and its tickets.
	Stream StreamDeps
	// App are the application's workflows and the assistant.
	App AppDeps
	// Media serves message files; see MediaDeps.
	Media MediaDeps
	// Webhooks: the webhook routes answer 503 while its Store is nil.
	Webhooks WebhookDeps
	// Node is this node's health and figures.
	Node NodeDeps
}

// AuthDeps are the stores of accounts and credentials.
type AuthDeps struct {
	Users       juta.UserStore
	Credentials juta.CredentialStore
	APIKeys     juta.APIKeyStore
	SigningKeys juta.SigningKeyStore // unused when Config.JWTKey is set
	Admin       juta.AdminStore
	Logins      juta.LoginStore // the caller's logins (503 while nil)
}

// DataDeps are the REST surface's stores; a route whose store is nil answers 503.
type DataDeps struct {
	Chats       juta.ChatStore
	Messages    juta.MessageLister
	Search      juta.MessageSearcher
	Idempotency juta.IdempotencyStore
	Reads       juta.ChatReadStore   // read markers
	Stats       juta.StatsStore      // GET /api/stats
	AdminStats  juta.AdminStatsStore // the administrators' overview
}

// StreamDeps serve the WebSocket and GET /api/events.
type StreamDeps struct {
	Events juta.EventLog
	// Tickets, when set (cluster mode), keeps WebSocket tickets where every
	// node redeems them once; nil keeps them in this node's memory.
	Tickets juta.TicketStore
}

// AppDeps are the application's ports (package app implements the first two).
type AppDeps struct {
	// Actions drawn from messages; the actions routes answer 503 while nil.
	Actions juta.ActionService
	// Shares of sessions between users; while nil nothing is shared and the
	// share routes answer 503.
	Shares juta.ShareService
	// Assistant answers POST /api/chat; 501 while nil.
	Assistant juta.Assistant
}

// NodeDeps are this node's own state.
type NodeDeps struct {
	// Health says whether PostgreSQL is reachable: while not, /readyz and
	// every /api route answer 503 at once (failfast.go). Nil: always healthy.
	Health juta.HealthCheck
	// Figures are this node's actor figures (zero while nil).
	Figures NodeFigures
}

// Server is the HTTP server. Its methods are safe for concurrent use.
type Server struct {
	cfg   Config
	deps  Deps
	log   *slog.Logger
	app   *fiber.App
	authn *auth.Service // tokens, keys, lock-out and the auth middleware
	ready atomic.Bool

	stream *stream.Service // the WebSocket, its tickets and the live fan-out
	owners *ownerCache     // sessions' owners the user actors confirmed

	caps       capLocks      // per-account count-then-create
	shareLimit *auth.Limiter // sharing requests per account

	media juta.MediaFlights // downloads of media files shared by their readers

	inflight inFlight  // HTTP requests being served
	started  time.Time // when New ran, for the node's uptime
}

// New builds a server with its routes. It panics when cfg.JWTKey is shorter
// than 32 bytes, or when neither it nor Deps.Auth.SigningKeys is set, or a
// credential store is missing: those are wiring bugs.
func New(cfg Config, deps Deps) *Server {
	cfg = withDefaults(cfg)
	s := &Server{cfg: cfg, deps: deps, log: cfg.Logger, started: time.Now()}
	s.authn = newAuth(cfg, deps)
	s.initREST()
	s.app = fiber.New(fiber.Config{
		AppName:               "juta",
		BodyLimit:             cfg.BodyLimit,
		ErrorHandler:          s.handleError,
		DisableStartupMessage: true,
		// A page of 50 messages is 10-20 KiB: a writer that holds it whole
		// sends the answer in one write instead of two or three.
		WriteBufferSize: 32 << 10,
		ReadTimeout:     30 * time.Second,
		IdleTimeout:     2 * time.Minute,
	})
	// Routes that take a file read up to UploadLimit; every other body is
	// refused past BodyLimit from its header, before it is read.
	s.app.Server().HeaderReceived = uploadLimits(cfg.UploadLimit)
	s.app.Use(s.inflight.middleware, s.accessLog, securityHeaders, s.recoverPanic, s.failFast)
	for _, r := range s.routes() {
		s.app.Add(r.method, r.path, s.chain(r)...)
	}
	return s
}

func withDefaults(cfg Config) Config {
	if cfg.TokenTTL <= 0 {
		cfg.TokenTTL = DefaultTokenTTL
	}
	if cfg.BodyLimit <= 0 {
		cfg.BodyLimit = DefaultBodyLimit
	}
	if cfg.UploadLimit <= 0 {
		cfg.UploadLimit = DefaultUploadLimit
	}
	if cfg.RequestTimeout <= 0 {
		cfg.RequestTimeout = DefaultRequestTimeout
	}
	if cfg.PingInterval <= 0 {
		cfg.PingInterval = DefaultPingInterval
	}
	if cfg.WSRecheckInterval <= 0 {
		cfg.WSRecheckInterval = DefaultWSRecheckInterval
	}
	cfg.WSRecheckInterval = min(cfg.WSRecheckInterval, cfg.TokenTTL)
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	cfg.Limits = limitsDefaults(cfg.Limits)
	if cfg.Clock == nil {
		cfg.Clock = time.Now
	}
	return cfg
}

// newAuth builds the authentication of the server from its settings. It
// panics on the wiring bugs auth.New names, and when Deps.Auth.Admin is missing.
func newAuth(cfg Config, deps Deps) *auth.Service {
	if deps.Auth.Admin == nil {
		panic("api: Deps.Auth.Admin is required")
	}
	return auth.New(auth.Config{
		JWTKey: cfg.JWTKey, TokenTTL: cfg.TokenTTL, RefreshTTL: cfg.RefreshTTL, AccountCacheTTL: cfg.AccountCacheTTL,
		Lockout: cfg.Lockout, IPLimit: cfg.AuthIPLimit, AccountLimit: cfg.AuthAccountLimit,
		DeviceKey: cfg.DeviceKey, Clock: cfg.Clock, Logger: cfg.Logger,
	}, auth.Deps{Users: deps.Auth.Users, Credentials: deps.Auth.Credentials, APIKeys: deps.Auth.APIKeys, SigningKeys: deps.Auth.SigningKeys})
}

// initREST sets up the state of the routes: the streams, the owners cache
// and the sharing limiter. It panics on an allowed origin that is not one.
func (s *Server) initREST() {
	s.shareLimit = auth.NewLimiter(s.cfg.Limits.Shares, s.cfg.Clock)
	s.owners = newOwnerCache(s.cfg.Clock)
	st, err := stream.New(stream.Config{
		PingInterval: s.cfg.PingInterval, RecheckInterval: s.cfg.WSRecheckInterval, RequestTimeout: s.cfg.RequestTimeout,
		TicketsPerUser: s.cfg.Limits.Tickets, AllowedOrigins: s.cfg.AllowedOrigins, Clock: s.cfg.Clock, Logger: s.log,
	}, s.streamPorts)
	if err != nil {
		panic("api: Config." + err.Error())
	}
	s.stream = st
}

// streamPorts are the ports of package stream, read from Deps at each use.
func (s *Server) streamPorts() stream.Ports {
	return stream.Ports{Runtime: s.deps.Runtime, Auth: s.authn, Tickets: s.deps.Stream.Tickets, Shares: s.deps.App.Shares}
}

// RateLimit is a token bucket: Burst requests at once, then one per Every.
type RateLimit = auth.RateLimit

// The defaults of the authentication settings (package auth's).
var (
	DefaultLockout          = auth.DefaultLockout
	DefaultAuthIPLimit      = auth.DefaultAuthIPLimit
	DefaultAuthAccountLimit = auth.DefaultAuthAccountLimit
)

// Defaults of the account cache and refresh tokens (package auth's).
const (
	DefaultRefreshTTL      = auth.DefaultRefreshTTL
	DefaultAccountCacheTTL = auth.DefaultAccountCacheTTL
)

// The WebSocket's default re-check interval and close codes (package stream's).
const (
	DefaultWSRecheckInterval = stream.DefaultRecheckInterval
	CloseCredentialEnded     = stream.CloseCredentialEnded
	CloseAccountDisabled     = stream.CloseAccountDisabled
)

// NormalizeOrigin checks and normalises an allowed WebSocket origin (see
// stream.NormalizeOrigin).
func NormalizeOrigin(s string) (string, error) { return stream.NormalizeOrigin(s) }

// App returns the underlying Fiber app (for tests and for wiring extra routes).
func (s *Server) App() *fiber.App { return s.app }

// SetReady flips /readyz between 200 and 503.
func (s *Server) SetReady(ready bool) { s.ready.Store(ready) }

// Listen serves on addr until Shutdown.
func (s *Server) Listen(addr string) error { return s.app.Listen(addr) }

// Serve serves on ln until Shutdown.
func (s *Server) Serve(ln net.Listener) error { return s.app.Listener(ln) }

// Shutdown marks the server not ready, stops accepting connections, closes
// WebSocket streams (clients resume from their cursor elsewhere) and waits for
// in-flight requests until ctx ends.
func (s *Server) Shutdown(ctx context.Context) error {
	s.SetReady(false)
	streamsClosed := s.stream.Shutdown()
	err := s.app.ShutdownWithContext(ctx)
	select {
	case <-streamsClosed:
	case <-ctx.Done():
		err = errors.Join(err, ctx.Err())
	}
	return err
}

// Mount serves h under prefix (the prefix itself and everything below it),
// with the prefix stripped from the path h sees, as http.StripPrefix does.
// Mounted handlers get the access log and panic recovery but no authentication.
func (s *Server) Mount(prefix string, h http.Handler) {
	prefix = "/" + strings.Trim(prefix, "/")
	fh := adaptor.HTTPHandler(http.StripPrefix(prefix, h))
	s.app.All(prefix, fh)
	s.app.All(prefix+"/*", fh)
}
