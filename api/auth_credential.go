package api

import (
	"context"
	"fmt"
	"time"

	"github.com/juta-app/juta"
)

// localCredential holds the request's credential (see credential).
const localCredential = "juta.credential"

// credential is what authenticated a request. A WebSocket ticket keeps it,
// and so does a stream for its whole life, so that either can be checked
// again later (checkCredential): a socket must not outlive its credential.
type credential struct {
	uid     juta.UserID
	family  int64     // access token: its login family
	expires time.Time // access token: its exp
	keyHash []byte    // API key: the hash it is stored under; nil for a token
}

func requestCredential(locals func(key any, value ...any) any) credential {
	c, _ := locals(localCredential).(credential)
	return c
}

// errAccountDisabled is the refusal of a credential whose account was
// disabled after it authenticated.
func errAccountDisabled() error {
	return juta.Errorf(juta.EFORBIDDEN, "this account is disabled")
}

// checkCredential checks c as authenticate would now. It returns nil while c
// still authenticates, EUNAUTHORIZED once it ended (token expired, login
// revoked by logout, password change or refresh reuse, key deleted, account
// gone), EFORBIDDEN when its account is disabled, and the store's error when
// it could not tell.
func (s *Server) checkCredential(ctx context.Context, c credential) error {
	if c.keyHash != nil {
		_, acct, err := s.deps.APIKeys.APIKeyByHash(ctx, c.keyHash)
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
	if c.uid == 0 || !s.authn.now().Before(c.expires.Add(tokenLeeway)) {
		return errBadToken(nil)
	}
	acct, err := s.authn.accounts.get(ctx, c.uid)
	switch {
	case juta.ErrorCode(err) == juta.ENOTFOUND:
		return errBadToken(err)
	case err != nil:
		return err
	case acct.Disabled:
		return errAccountDisabled()
	}
	revoked, err := s.authn.families.revoked(ctx, c.uid, c.family)
	if err != nil {
		return err
	}
	if revoked {
		return errBadToken(nil)
	}
	return nil
}
