package api

import (
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/gofiber/fiber/v2"

	"github.com/juta-app/juta"
	"github.com/juta-app/juta/api/auth"
)

const maxKeyNameLen = 100

var allScopes = []string{juta.ScopeRead, juta.ScopeSend, juta.ScopeManage}

type createKeyRequest struct {
	Name      string         `json:"name"`
	Scopes    []string       `json:"scopes"`
	SessionID juta.SessionID `json:"sessionId"`
}

type createdKey struct {
	juta.APIKey
	Key string `json:"key"`
}

// createKey makes an API key and shows it once. A key may only create keys
// with no more power than itself: a subset of its scopes, on its session.
func (s *Server) createKey(c *fiber.Ctx) error {
	var in createKeyRequest
	if err := decodeJSON(c.Body(), &in); err != nil {
		return err
	}
	k, err := s.validKey(principal(c), in)
	if err != nil {
		return err
	}
	raw, hash, err := auth.NewAPIKey()
	if err != nil {
		return err
	}
	k.Prefix = raw[:auth.APIKeyShownLen]
	unlock, err := s.reserve(c, "API keys", s.cfg.Limits.APIKeys, s.countAPIKeys)
	if err != nil {
		return err
	}
	defer unlock()
	ctx, cancel := s.callContext(c)
	defer cancel()
	stored, err := s.deps.Auth.APIKeys.CreateAPIKey(ctx, k, hash)
	if juta.ErrorCode(err) == juta.ENOTFOUND {
		return juta.Errorf(juta.ENOTFOUND, "session not found")
	}
	if err != nil {
		return fmt.Errorf("create api key for user %d: %w", k.UserID, err)
	}
	s.log.Info("api key created", "request_id", requestID(c), "user_id", int64(k.UserID), "key_id", stored.ID)
	c.Set(fiber.HeaderCacheControl, "no-store")
	return c.Status(fiber.StatusCreated).JSON(createdKey{APIKey: stored, Key: raw})
}

func (s *Server) validKey(p juta.Principal, in createKeyRequest) (juta.APIKey, error) {
	name := strings.TrimSpace(in.Name)
	if name == "" || utf8.RuneCountInString(name) > maxKeyNameLen {
		return juta.APIKey{}, juta.Errorf(juta.EINVALID, "name must be 1 to %d characters", maxKeyNameLen)
	}
	if len(in.Scopes) == 0 {
		return juta.APIKey{}, juta.Errorf(juta.EINVALID, "scopes must name at least one of read, send, manage")
	}
	var scopes []string
	for _, sc := range allScopes {
		if slices.Contains(in.Scopes, sc) {
			scopes = append(scopes, sc)
		}
	}
	if len(scopes) != len(slices.Compact(slices.Sorted(slices.Values(in.Scopes)))) {
		return juta.APIKey{}, juta.Errorf(juta.EINVALID, "scopes may only be read, send and manage")
	}
	if in.SessionID < 0 {
		return juta.APIKey{}, juta.Errorf(juta.ENOTFOUND, "session not found")
	}
	for _, sc := range scopes {
		if !p.Can(sc) {
			return juta.APIKey{}, juta.Errorf(juta.EFORBIDDEN, "a key cannot grant the %q scope it lacks", sc)
		}
	}
	if p.SessionID != 0 && in.SessionID != p.SessionID {
		return juta.APIKey{}, juta.Errorf(juta.EFORBIDDEN, "a session-bound key can only create keys bound to its session")
	}
	return juta.APIKey{UserID: p.UserID, Name: name, Scopes: scopes, SessionID: in.SessionID}, nil
}

// listKeys lists the caller's keys, never their secrets. A session-bound key
// sees only the keys of its session.
func (s *Server) listKeys(c *fiber.Ctx) error {
	p := principal(c)
	ctx, cancel := s.callContext(c)
	defer cancel()
	keys, err := s.deps.Auth.APIKeys.APIKeys(ctx, p.UserID)
	if err != nil {
		return fmt.Errorf("api keys of user %d: %w", p.UserID, err)
	}
	visible := []juta.APIKey{}
	for _, k := range keys {
		if p.SessionID == 0 || k.SessionID == p.SessionID {
			visible = append(visible, k)
		}
	}
	return c.JSON(juta.Page[juta.APIKey]{Items: visible})
}

// revokeKey revokes one of the caller's keys; 404 for anyone else's.
func (s *Server) revokeKey(c *fiber.Ctx) error {
	p := principal(c)
	id, ok := parsePositive(c.Params("id"))
	if !ok {
		return juta.Errorf(juta.ENOTFOUND, "api key not found")
	}
	ctx, cancel := s.callContext(c)
	defer cancel()
	if p.SessionID != 0 {
		keys, err := s.deps.Auth.APIKeys.APIKeys(ctx, p.UserID)
		if err != nil {
			return fmt.Errorf("api keys of user %d: %w", p.UserID, err)
		}
		if !slices.ContainsFunc(keys, func(k juta.APIKey) bool { return k.ID == id && k.SessionID == p.SessionID }) {
			return juta.Errorf(juta.ENOTFOUND, "api key not found")
		}
	}
	if err := s.deps.Auth.APIKeys.RevokeAPIKey(ctx, p.UserID, id); err != nil {
		if juta.ErrorCode(err) == juta.ENOTFOUND {
			return juta.Errorf(juta.ENOTFOUND, "api key not found")
		}
		return fmt.Errorf("revoke api key %d of user %d: %w", id, p.UserID, err)
	}
	s.credentialsChanged(p.UserID) // the key's WebSockets close
	s.log.Info("api key revoked", "request_id", requestID(c), "user_id", int64(p.UserID), "key_id", id)
	return c.SendStatus(fiber.StatusNoContent)
}
