package actors

import (
	"context"

	juta "github.com/juta-app/juta"
)

func notYet() error { return juta.Errorf(juta.EUNAVAILABLE, "not available yet") }

// StartSession brings a session back online.
func (r *Runtime) StartSession(ctx context.Context, uid juta.UserID, sid juta.SessionID) (juta.Session, error) {
	return juta.Session{}, notYet()
}

// StopSession disconnects a session and keeps its keys.
func (r *Runtime) StopSession(ctx context.Context, uid juta.UserID, sid juta.SessionID) (juta.Session, error) {
	return juta.Session{}, notYet()
}

// LogoutSession unlinks the session's device.
func (r *Runtime) LogoutSession(ctx context.Context, uid juta.UserID, sid juta.SessionID) (juta.Session, error) {
	return juta.Session{}, notYet()
}

// DeleteSession removes a session.
func (r *Runtime) DeleteSession(ctx context.Context, uid juta.UserID, sid juta.SessionID) error {
	return notYet()
}

// RenameSession renames a session.
func (r *Runtime) RenameSession(ctx context.Context, uid juta.UserID, sid juta.SessionID, name string) (juta.Session, error) {
	return juta.Session{}, notYet()
}

// SendText sends a text message.
func (r *Runtime) SendText(ctx context.Context, uid juta.UserID, sid juta.SessionID, to, text string) (juta.Message, error) {
	return juta.Message{}, notYet()
}

// StopUser stops every session of a user.
func (r *Runtime) StopUser(ctx context.Context, uid juta.UserID) error { return notYet() }
