// Package stream is the live side of the HTTP API: the WebSocket that streams
// a user's events (GET /api/ws), its single-use tickets (POST /api/ws-ticket,
// in this node's memory or a shared juta.TicketStore), the re-checks that
// close a socket whose credential ended, and the fan-out of shared sessions'
// events (one subscription per owner per node, share checks cached and
// forgotten on revoke).
//
// Package api mounts its handlers on the route table, which keeps the routes'
// OpenAPI rows; this package never imports api. It reaches the actor system
// only through juta.Runtime and authenticates through api/auth.
package stream

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/juta-app/juta"
	"github.com/juta-app/juta/api/auth"
)

// LocalRequestID is the Locals key of the request id the API's access log
// settles; a socket's log lines carry it. Locals keys are strings because the
// WebSocket upgrade copies only string-keyed locals into the connection.
const LocalRequestID = "juta.request_id"

// localAfter carries the parsed ?after= cursor into the upgraded connection.
const localAfter = "juta.after"

// DefaultPingInterval is how often a socket is pinged when Config says nothing.
const DefaultPingInterval = 30 * time.Second

// Config tunes the streams; the API fills it from its own settings.
type Config struct {
	// PingInterval is how often a socket is pinged; a peer that does not
	// answer within two intervals is dropped (DefaultPingInterval when zero).
	PingInterval time.Duration
	// RecheckInterval is how often an open socket checks its credential again
	// (DefaultRecheckInterval when zero).
	RecheckInterval time.Duration
	// RequestTimeout bounds each store call a stream or ticket makes; it must
	// be positive.
	RequestTimeout time.Duration
	// TicketsPerUser caps an account's unredeemed tickets; < 0 is no cap.
	TicketsPerUser int
	// AllowedOrigins are the browser origins besides the server's own that may
	// open the WebSocket; see NormalizeOrigin.
	AllowedOrigins []string
	// Clock is the time source of tickets (time.Now when nil).
	Clock func() time.Time
	// Logger receives the streams' logs (slog.Default() when nil).
	Logger *slog.Logger
}

// Ports are what the streams call. New takes a function that answers them at
// each use, so a port the API is given after it was built (its Deps may be
// set until the first request) reaches the streams too.
type Ports struct {
	// Runtime serves the live subscriptions.
	Runtime juta.Runtime
	// Auth checks credentials again (tickets redeemed, open sockets).
	Auth *auth.Service
	// Tickets, when set (cluster mode), keeps tickets where every node redeems
	// them once; nil keeps them in this node's memory.
	Tickets juta.TicketStore
	// Shares are the sessions shared with a socket's user; nil shares nothing.
	Shares juta.ShareService
}

// Service is one node's streams. Its methods are safe for concurrent use.
type Service struct {
	cfg   Config
	ports func() Ports
	log   *slog.Logger

	tickets  *ticketStore // WebSocket tickets of this node
	watch    *streamWatch // this node's sockets, by user, for revocations
	shareHub *shareHub    // shared sessions' live events and share checks of this node
	origins  originPolicy

	// base ends when Shutdown starts; streams derive from it because the HTTP
	// server's shutdown does not reach hijacked connections.
	base    context.Context
	stop    context.CancelFunc
	streams streamSet
}

// New builds the streams of a node. It returns an error when an allowed
// origin is not one (see NormalizeOrigin) or RequestTimeout is not positive.
func New(cfg Config, ports func() Ports) (*Service, error) {
	if cfg.RequestTimeout <= 0 {
		return nil, errors.New("RequestTimeout must be positive")
	}
	if cfg.PingInterval <= 0 {
		cfg.PingInterval = DefaultPingInterval
	}
	if cfg.RecheckInterval <= 0 {
		cfg.RecheckInterval = DefaultRecheckInterval
	}
	if cfg.Clock == nil {
		cfg.Clock = time.Now
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	origins, err := newOriginPolicy(cfg.AllowedOrigins)
	if err != nil {
		return nil, fmt.Errorf("AllowedOrigins: %w", err)
	}
	s := &Service{cfg: cfg, ports: ports, log: cfg.Logger, origins: origins,
		tickets: newTicketStore(cfg.Clock, cfg.TicketsPerUser), watch: newStreamWatch()}
	s.base, s.stop = context.WithCancel(context.Background())
	s.shareHub = newShareHub(s)
	return s, nil
}

// Shutdown closes every open socket (clients resume from their cursor
// elsewhere), refuses new ones, and returns a channel closed once the last
// socket has sent its close frame.
func (s *Service) Shutdown() <-chan struct{} {
	s.stop()
	return s.streams.close()
}

// CredentialsChanged makes uid's open sockets on this node check their
// credential again at once (a logout, a key deleted, a disable).
func (s *Service) CredentialsChanged(uid juta.UserID) { s.watch.poke(uid) }

// ShareRevoked forgets the cached share of sid with grantee: the grantee's
// sockets on this node get nothing more of the session.
func (s *Service) ShareRevoked(grantee juta.UserID, sid juta.SessionID) {
	s.shareHub.forget(grantee, sid)
}

// OwnerDisabled forgets every cached share of owner's sessions.
func (s *Service) OwnerDisabled(owner juta.UserID) { s.shareHub.forgetOwner(owner) }

// Followers counts the follows of owner's sessions fed on this node (one
// per socket and shared session).
func (s *Service) Followers(owner juta.UserID) int { return s.shareHub.followers(owner) }
