package api

import (
	"fmt"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/juta-app/juta"
)

type credentials struct {
	PhoneNumber string `json:"phoneNumber"`
	Password    string `json:"password"`
}

type authResponse struct {
	Token     string    `json:"token"`
	ExpiresAt time.Time `json:"expiresAt"`
	User      juta.User `json:"user"`
}

// register creates an account: 201 with a token, 409 conflict when the phone is taken.
func (s *Server) register(c *fiber.Ctx) error {
	var in credentials
	if err := decodeJSON(c.Body(), &in); err != nil {
		return err
	}
	phone, err := parsePhone(in.PhoneNumber)
	if err != nil {
		return err
	}
	if err := checkPassword(in.Password); err != nil {
		return err
	}
	hash, err := hashPassword(in.Password, defaultArgon)
	if err != nil {
		return err
	}
	ctx, cancel := s.callContext(c)
	defer cancel()
	u, err := s.deps.Users.CreateUser(ctx, phone, hash, juta.RoleUser)
	if err != nil {
		return fmt.Errorf("create user: %w", err)
	}
	s.log.Info("user registered", "request_id", requestID(c), "user_id", int64(u.ID))
	return s.sendToken(c, fiber.StatusCreated, u)
}

// errBadLogin is the one answer to every failed login, whatever failed, so the
// response never tells whether a phone number has an account.
func errBadLogin() error {
	return juta.Errorf(juta.EUNAUTHORIZED, "invalid phone number or password")
}

// login exchanges a phone number and password for a token.
func (s *Server) login(c *fiber.Ctx) error {
	var in credentials
	if err := decodeJSON(c.Body(), &in); err != nil {
		return err
	}
	phone, err := parsePhone(in.PhoneNumber)
	if err != nil || len(in.Password) > 4*maxPasswordLen {
		return errBadLogin()
	}
	ctx, cancel := s.callContext(c)
	defer cancel()
	u, hash, err := s.deps.Users.UserByPhone(ctx, phone)
	switch {
	case juta.ErrorCode(err) == juta.ENOTFOUND:
		_, _ = verifyPassword(in.Password, dummyHash())
		return errBadLogin()
	case err != nil:
		return fmt.Errorf("load user by phone: %w", err)
	}
	ok, err := verifyPassword(in.Password, hash)
	if err != nil {
		return fmt.Errorf("verify password of user %d: %w", u.ID, err)
	}
	if !ok {
		return errBadLogin()
	}
	return s.sendToken(c, fiber.StatusOK, u)
}

func (s *Server) sendToken(c *fiber.Ctx, status int, u juta.User) error {
	tok, exp, err := s.tokens.issue(u.ID)
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderCacheControl, "no-store")
	return c.Status(status).JSON(authResponse{Token: tok, ExpiresAt: exp, User: u})
}
