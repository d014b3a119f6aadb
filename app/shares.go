package app

import (
	"context"
	"fmt"

	"github.com/juta-app/juta"
)

// Sharing implements juta.ShareService over the share store.
type Sharing struct {
	juta.ShareStore
}

var _ juta.ShareService = (*Sharing)(nil)

// NewSharing returns the sharing workflows over store.
func NewSharing(store juta.ShareStore) *Sharing { return &Sharing{ShareStore: store} }

// Share grants or changes a share; see juta.ShareService.
func (s *Sharing) Share(ctx context.Context, owner juta.UserID, sid juta.SessionID, phone string, role juta.ShareRole) (juta.Share, error) {
	sh, _, err := s.ShareSession(ctx, owner, sid, phone, role)
	if juta.ErrorCode(err) == juta.ENOTFOUND {
		return sh, &juta.Error{Code: juta.ENOTFOUND, Message: "session or account not found", Err: err}
	}
	if err != nil {
		return sh, fmt.Errorf("share session %d: %w", sid, err)
	}
	return sh, nil
}

// Revoke ends the share with the account of phone; see juta.ShareService.
// Only the owner's own shares are searched, so it tells nothing about other
// accounts.
func (s *Sharing) Revoke(ctx context.Context, owner juta.UserID, sid juta.SessionID, phone string) (juta.UserID, error) {
	list, err := s.ShareStore.Shares(ctx, owner, sid)
	if err != nil {
		return 0, fmt.Errorf("list shares of session %d: %w", sid, err)
	}
	for _, sh := range list {
		if sh.Phone != phone {
			continue
		}
		if _, err := s.RevokeShare(ctx, owner, sid, sh.UserID); err != nil {
			return 0, fmt.Errorf("revoke share of session %d: %w", sid, err)
		}
		return sh.UserID, nil
	}
	return 0, juta.Errorf(juta.ENOTFOUND, "share not found")
}
