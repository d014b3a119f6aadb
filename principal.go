package juta

// API key scopes. A JWT (interactive login) carries every scope.
const (
	ScopeRead   = "read"   // read sessions, messages, events, actions
	ScopeSend   = "send"   // send messages, carry out actions
	ScopeManage = "manage" // create/stop/delete sessions, keys, shares, webhooks
)

// Principal is who a request acts for, once authenticated.
type Principal struct {
	UserID UserID
	Role   string // RoleUser or RoleAdmin
	// KeyID is the API key used, 0 for an access token. Scopes and SessionID
	// restrict a key; an access token has all scopes and every session.
	KeyID     int64
	Scopes    []string
	SessionID SessionID // a key bound to one WhatsApp session; 0 = any
}

// Can reports whether the principal holds scope.
func (p Principal) Can(scope string) bool {
	if p.KeyID == 0 {
		return true
	}
	for _, s := range p.Scopes {
		if s == scope {
			return true
		}
	}
	return false
}

// CanSession reports whether the principal may touch session sid at all.
func (p Principal) CanSession(sid SessionID) bool {
	return p.SessionID == 0 || p.SessionID == sid
}
