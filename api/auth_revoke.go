package api

import "github.com/juta-app/juta"

// credentialsChanged is called after a change that may end credentials of
// uid (logout, refresh replay, password change, disable, a key deleted, a
// share revoked): this node forgets what it cached of them, and uid's open
// WebSockets re-check theirs at once.
func (s *Server) credentialsChanged(uid juta.UserID) {
	if uid == 0 {
		return
	}
	s.authn.Forget(uid)
	s.stream.CredentialsChanged(uid)
}
