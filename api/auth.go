package api

import (
	"context"
	"fmt"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/juta-app/juta"
	"github.com/juta-app/juta/api/auth"
)

type credentials struct {
	PhoneNumber string `json:"phoneNumber"`
	Password    string `json:"password"`
}

// loginRequest is a login: credentials and, from a client that signed in to
// this number before, the deviceToken it was given then (or its cookie).
type loginRequest struct {
	PhoneNumber string `json:"phoneNumber"`
	Password    string `json:"password"`
	DeviceToken string `json:"deviceToken,omitempty"`
}

type authResponse struct {
	Token        string    `json:"token"`
	RefreshToken string    `json:"refreshToken"`
	ExpiresAt    time.Time `json:"expiresAt"`
	User         juta.User `json:"user"`
	// DeviceToken proves this login to later ones from the same client (see
	// package auth); only login and register give one.
	DeviceToken string `json:"deviceToken,omitempty"`
}

// register creates an account: 201 with tokens, 409 conflict when the phone is taken.
func (s *Server) register(c *fiber.Ctx) error {
	var in credentials
	if err := decodeJSON(c.Body(), &in); err != nil {
		return err
	}
	phone, err := parsePhone(in.PhoneNumber)
	if err != nil {
		return err
	}
	if err := s.authn.LimitAccount("phone:" + phone); err != nil {
		return err
	}
	if err := auth.CheckPassword(in.Password); err != nil {
		return err
	}
	hash, err := auth.HashPassword(in.Password)
	if err != nil {
		return err
	}
	ctx, cancel := s.callContext(c)
	defer cancel()
	u, err := s.deps.Auth.Users.CreateUser(ctx, phone, hash, juta.RoleUser)
	if juta.ErrorCode(err) == juta.ECONFLICT {
		// The store's wording names its own operation; the caller gets ours.
		return &juta.Error{Code: juta.ECONFLICT, Message: "this phone number is already registered; log in instead", Err: err}
	}
	if err != nil {
		return fmt.Errorf("create user: %w", err)
	}
	if u, err = s.setDefaults(ctx, u); err != nil {
		return err
	}
	s.log.Info("user registered", "request_id", requestID(c), "user_id", int64(u.ID))
	return s.startLogin(ctx, c, fiber.StatusCreated, u)
}

// errBadLogin is the one answer to every failed login, whatever failed, so the
// response never tells whether a phone number has an account.
func errBadLogin() error {
	return juta.Errorf(juta.EUNAUTHORIZED, "invalid phone number or password")
}

// login exchanges a phone number and password for tokens. The lock-out is
// keyed by the phone number whether or not it has an account, so locked and
// failed answers look the same for every number; a client with a known-device
// token of that number is counted and locked on its own instead, so that a
// stranger's failures never keep it out.
func (s *Server) login(c *fiber.Ctx) error {
	var in loginRequest
	if err := decodeJSON(c.Body(), &in); err != nil {
		return err
	}
	phone, err := parsePhone(in.PhoneNumber)
	if err != nil || len(in.Password) > 4*auth.MaxPasswordLen {
		return errBadLogin()
	}
	device := in.DeviceToken
	if device == "" {
		device = c.Cookies(auth.DeviceCookie)
	}
	lockKey := s.authn.LockKey(phone, device)
	if err := s.authn.LimitAccount("phone:" + lockKey); err != nil {
		return err
	}
	ctx, cancel := s.callContext(c)
	defer cancel()
	if err := s.authn.CheckLock(ctx, lockKey); err != nil {
		return err
	}
	u, ok, err := s.authn.VerifyLogin(ctx, phone, in.Password)
	if err != nil {
		return err
	}
	if !ok {
		return s.loginFailed(ctx, c, lockKey)
	}
	if err := s.deps.Auth.Credentials.ClearLoginFailures(ctx, lockKey); err != nil {
		return fmt.Errorf("clear login failures of user %d: %w", u.ID, err)
	}
	acct, err := s.deps.Auth.Credentials.Account(ctx, u.ID)
	if err != nil {
		return fmt.Errorf("account of user %d: %w", u.ID, err)
	}
	if acct.Disabled {
		// Only someone who knows the password learns this.
		return juta.Errorf(juta.EFORBIDDEN, "this account is disabled")
	}
	return s.startLogin(ctx, c, fiber.StatusOK, acct.User)
}

// loginFailed counts the failure; the answer is the same 401 whether or not
// it locked the phone (the next attempt learns of the lock).
func (s *Server) loginFailed(ctx context.Context, c *fiber.Ctx, key string) error {
	until, err := s.authn.RecordFailure(ctx, key)
	if err != nil {
		return err
	}
	if !until.IsZero() {
		s.log.Warn("login locked after repeated failures", "request_id", requestID(c), "locked_until", until)
	}
	return errBadLogin()
}

// startLogin opens a refresh family for u and answers with both tokens.
func (s *Server) startLogin(ctx context.Context, c *fiber.Ctx, status int, u juta.User) error {
	refresh, rt, err := s.authn.StartFamily(ctx, u.ID)
	if err != nil {
		return err
	}
	s.noteLoginClient(ctx, c, u.ID, rt.FamilyID)
	device := s.authn.IssueDevice(u.Phone)
	c.Cookie(&fiber.Cookie{Name: auth.DeviceCookie, Value: device, Path: "/api/auth/login", MaxAge: int(auth.DeviceTokenTTL.Seconds()),
		Secure: c.Protocol() == "https", HTTPOnly: true, SameSite: fiber.CookieSameSiteStrictMode})
	return s.sendTokens(ctx, c, status, authResponse{User: u, RefreshToken: refresh, DeviceToken: device}, rt.FamilyID)
}

// sendTokens completes res with a new access token of family and sends it.
func (s *Server) sendTokens(ctx context.Context, c *fiber.Ctx, status int, res authResponse, family int64) error {
	tok, exp, err := s.authn.IssueToken(ctx, res.User.ID, family)
	if err != nil {
		return err
	}
	res.Token, res.ExpiresAt = tok, exp
	c.Set(fiber.HeaderCacheControl, "no-store")
	return c.Status(status).JSON(res)
}
