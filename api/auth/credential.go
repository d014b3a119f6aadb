package auth

import (
	"context"
	"fmt"
	"time"

	"github.com/juta-app/juta"
)

// Credential is what authenticated a request. A WebSocket ticket keeps it,
// and so does a stream for its whole life, so that either can be checked
// again later (CheckCredential): a socket must not outlive its credential.
type Credential struct {
	UserID  juta.UserID
	Family  int64     // access token: its login family
	Expires time.Time // access token: its exp
	KeyHash []byte    // API key: the hash it is stored under; nil for a token
}

// CredentialOf is the credential in a request's (or a WebSocket
// connection's) locals.
func CredentialOf(locals func(key any, value ...any) any) Credential {
	c, _ := locals(LocalCredential).(Credential)
	return c
}

// errAccountDisabled is the refusal of a credential whose account was
// disabled after it authenticated.
func errAccountDisabled() error {
	return juta.Errorf(juta.EFORBIDDEN, "this account is disabled")
}

// CheckCredential checks c as authenticate would now. It returns nil while c
// still authenticates, EUNAUTHORIZED once it ended (token expired, login
// revoked by logout, password change or refresh reuse, key deleted, account
// gone), EFORBIDDEN when its account is disabled, and the store's error when
// it could not tell.
func (s *Service) CheckCredential(ctx context.Context, c Credential) error {
	if c.KeyHash != nil {
		_, acct, err := s.deps.APIKeys.APIKeyByHash(ctx, c.KeyHash)
		switch {
		case juta.ErrorCode(err) == juta.ENOTFOUND:
			return errBadKey(err)
		case err != nil:
			return fmt.Errorf("look up api key: %w", err)
		case acct.Disabled:
			return errAccountDisabled()
		}
		return nil
	}
	if c.UserID == 0 || !s.now().Before(c.Expires.Add(TokenLeeway)) {
		return errBadToken(nil)
	}
	acct, err := s.accounts.get(ctx, c.UserID)
	switch {
	case juta.ErrorCode(err) == juta.ENOTFOUND:
		return errBadToken(err)
	case err != nil:
		return err
	case acct.Disabled:
		return errAccountDisabled()
	}
	revoked, err := s.families.revoked(ctx, c.UserID, c.Family)
	if err != nil {
		return err
	}
	if revoked {
		return errBadToken(nil)
	}
	return nil
}
