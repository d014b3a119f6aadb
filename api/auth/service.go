package auth

import (
	"context"
	"log/slog"
	"time"

	"github.com/juta-app/juta"
)

// Config tunes authentication. Zero values take the package defaults.
type Config struct {
	// JWTKey, when set (at least 32 bytes), is the one key that signs and
	// verifies access tokens (HS256, kid "config"). When empty, keys come from
	// Deps.SigningKeys and can be rotated.
	JWTKey []byte
	// TokenTTL is the lifetime of an access token (required).
	TokenTTL time.Duration
	// RefreshTTL is the lifetime of a refresh token (DefaultRefreshTTL).
	RefreshTTL time.Duration
	// AccountCacheTTL is how long a user's role and disabled flag, and whether
	// a login is live, are cached: how long a change made on another node
	// takes to reach this one.
	AccountCacheTTL time.Duration
	// Lockout locks a phone after repeated failed logins (DefaultLockout).
	Lockout juta.LockoutPolicy
	// IPLimit and AccountLimit rate-limit the auth routes per client IP and
	// per account (DefaultAuthIPLimit, DefaultAuthAccountLimit).
	IPLimit, AccountLimit RateLimit
	// DeviceKey signs known-device tokens (at least 32 bytes, the same on
	// every node); empty uses a key of this process only.
	DeviceKey []byte
	// Clock is the time source (time.Now when nil).
	Clock func() time.Time
	// Logger gets the warnings of background work; slog.Default() when nil.
	Logger *slog.Logger
}

// Deps are the stores authentication reads and writes.
type Deps struct {
	Users       juta.UserStore
	Credentials juta.CredentialStore
	APIKeys     juta.APIKeyStore
	SigningKeys juta.SigningKeyStore // unused when Config.JWTKey is set
}

// Service is the authentication of one node: token codec and signing keys,
// caches of accounts and login families, rate limits, the lock-out, API key
// use and known-device tokens. Its methods are safe for concurrent use.
type Service struct {
	cfg  Config
	deps Deps
	log  *slog.Logger
	now  func() time.Time

	tokens       tokenCodec
	accounts     *accountCache
	families     *familyCache
	ipLimit      *Limiter
	accountLimit *Limiter
	usage        *keyUsage
	devices      deviceTokens
}

// New builds the service. It panics on a wiring bug: a static key shorter
// than 32 bytes, no key source at all, or a missing credential store.
func New(cfg Config, deps Deps) *Service {
	cfg = withDefaults(cfg)
	now := cfg.Clock
	var ring *keyring
	switch {
	case len(cfg.JWTKey) > 0 && len(cfg.JWTKey) < 32:
		panic("auth: Config.JWTKey must be at least 32 bytes")
	case len(cfg.JWTKey) > 0:
		ring = newStaticKeyring(cfg.JWTKey)
		ring.now = now
	case deps.SigningKeys != nil:
		ring = newStoreKeyring(deps.SigningKeys, now, cfg.Logger)
	default:
		panic("auth: set Config.JWTKey or Deps.SigningKeys")
	}
	if deps.Credentials == nil || deps.APIKeys == nil || deps.Users == nil {
		panic("auth: Deps.Users, Deps.Credentials and Deps.APIKeys are required")
	}
	return &Service{
		cfg: cfg, deps: deps, log: cfg.Logger, now: now,
		tokens:       tokenCodec{ring: ring, ttl: cfg.TokenTTL, now: now, cache: newTokenCache()},
		accounts:     &accountCache{store: deps.Credentials, ttl: cfg.AccountCacheTTL, now: now, m: map[juta.UserID]cachedAccount{}},
		families:     newFamilyCache(deps.Credentials, cfg.AccountCacheTTL, now),
		ipLimit:      NewLimiter(cfg.IPLimit, now),
		accountLimit: NewLimiter(cfg.AccountLimit, now),
		usage:        &keyUsage{store: deps.APIKeys, now: now, log: cfg.Logger, every: KeyUsageFlushEvery, pending: map[int64]struct{}{}},
		devices:      newDeviceTokens(cfg.DeviceKey, now),
	}
}

func withDefaults(cfg Config) Config {
	if cfg.Clock == nil {
		cfg.Clock = time.Now
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	if cfg.RefreshTTL <= 0 {
		cfg.RefreshTTL = DefaultRefreshTTL
	}
	if cfg.AccountCacheTTL <= 0 {
		cfg.AccountCacheTTL = DefaultAccountCacheTTL
	}
	if cfg.Lockout.Threshold <= 0 {
		cfg.Lockout = DefaultLockout
	}
	if cfg.IPLimit == (RateLimit{}) {
		cfg.IPLimit = DefaultAuthIPLimit
	}
	if cfg.AccountLimit == (RateLimit{}) {
		cfg.AccountLimit = DefaultAuthAccountLimit
	}
	return cfg
}

// Now is the service's clock.
func (s *Service) Now() time.Time { return s.now() }

// RefreshTTL is the lifetime of a refresh token.
func (s *Service) RefreshTTL() time.Duration { return s.cfg.RefreshTTL }

// IssueToken signs an access token of uid's login family and returns it with
// its expiry.
func (s *Service) IssueToken(ctx context.Context, uid juta.UserID, family int64) (string, time.Time, error) {
	return s.tokens.issue(ctx, uid, family)
}

// ParseToken verifies an access token (signature, claims, expiry); every
// failure is the same EUNAUTHORIZED. It does not check that its login is
// still live: Authenticate and CheckCredential do.
func (s *Service) ParseToken(raw string) (Token, error) {
	tok, err := s.tokens.parse(raw)
	return Token{UserID: tok.uid, Family: tok.family, Expires: tok.expires}, err
}

// Token is a verified access token.
type Token struct {
	UserID  juta.UserID
	Family  int64 // its login's refresh family
	Expires time.Time
}

// Account is uid's account through the short cache. ENOTFOUND when it is gone.
func (s *Service) Account(ctx context.Context, uid juta.UserID) (juta.Account, error) {
	return s.accounts.get(ctx, uid)
}

// Forget drops what this node cached of uid's account and logins, after a
// change that may end its credentials (logout, refresh replay, password
// change, disable, a key deleted): this node sees it at once.
func (s *Service) Forget(uid juta.UserID) {
	s.accounts.forget(uid)
	s.families.forgetUser(uid)
}
