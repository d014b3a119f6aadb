package juta

import (
	"context"
	"time"
)

// MaxUnread caps an unread count: a chat never opened shows "99+", and the
// count stays a bounded index walk.
const MaxUnread = 100

// SessionUnread is the unread total of one session's chats for a reader.
type SessionUnread struct {
	SessionID SessionID `json:"sessionId"`
	Unread    int       `json:"unread"`
}

// ChatReadStore keeps each reader's read marker per chat: the newest message
// the reader has seen there. Incoming messages after the marker are unread.
// uid is the session's owner (whose rows they are); reader is the owner or a
// user the session is shared with.
type ChatReadStore interface {
	// MarkChatRead moves reader's marker of the chat to upTo, or to the chat's
	// newest message when upTo is 0. A marker never moves back. ENOTFOUND when
	// the session is absent or another user's.
	MarkChatRead(ctx context.Context, uid, reader UserID, sid SessionID, chat string, upTo int64) error
	// UnreadCounts counts each chat's unread messages (at most MaxUnread).
	UnreadCounts(ctx context.Context, uid, reader UserID, sid SessionID, chats []string) (map[string]int, error)
	// UnreadTotals sums the unread counts of each of uid's own sessions
	// (each chat counted at most MaxUnread), sessions with none left out.
	UnreadTotals(ctx context.Context, uid UserID) ([]SessionUnread, error)
}

// Login is one signed-in device: a refresh-token family. Tokens are never
// part of it.
type Login struct {
	ID        int64     `json:"id"`
	CreatedAt time.Time `json:"createdAt"`
	// LastUsedAt is when its refresh token was last issued (sign-in or refresh).
	LastUsedAt time.Time `json:"lastUsedAt"`
	ExpiresAt  time.Time `json:"expiresAt"`
	// Client sums up the user agent that signed in ("Chrome on Linux"); IP
	// is the address it signed in from. Empty for logins made before they
	// were kept.
	Client string `json:"client"`
	IP     string `json:"ip"`
	// Current marks the login of the access token that asked.
	Current bool `json:"current"`
}

// LoginStore lists and ends a user's logins.
type LoginStore interface {
	// Logins lists uid's live logins (not revoked, with an unexpired token),
	// most recently used first.
	Logins(ctx context.Context, uid UserID) ([]Login, error)
	// RevokeLogin revokes one login of uid. ENOTFOUND when it is absent,
	// already ended, or another user's.
	RevokeLogin(ctx context.Context, uid UserID, id int64) error
	// RevokeOtherLogins revokes every live login of uid except keep and
	// returns how many it ended.
	RevokeOtherLogins(ctx context.Context, uid UserID, keep int64) (int, error)
	// NoteLoginClient records what login id signed in from (client at most
	// 64 bytes, ip an address). ENOTFOUND when it is not uid's.
	NoteLoginClient(ctx context.Context, uid UserID, id int64, client, ip string) error
}

// AdminStats is the operators' view of the whole service, aggregated in SQL,
// with the answering node's own health.
type AdminStats struct {
	GeneratedAt time.Time       `json:"generatedAt"`
	Users       AdminUserCounts `json:"users"`
	// SessionsByState counts sessions in each state that has any.
	SessionsByState []StateCount    `json:"sessionsByState"`
	Ingest          AdminIngest     `json:"ingest"`
	Webhooks        AdminWebhookLag `json:"webhooks"`
	Node            NodeHealth      `json:"node"`
}

// AdminUserCounts splits the accounts: active users had a message stored in
// the last hour; the other enabled accounts rest.
type AdminUserCounts struct {
	Total    int `json:"total"`
	Disabled int `json:"disabled"`
	Active   int `json:"active"`
	Resting  int `json:"resting"`
}

// StateCount is how many sessions are in State.
type StateCount struct {
	State SessionState `json:"state"`
	Count int          `json:"count"`
}

// AdminIngest is the rate at which messages were stored over the last hour.
type AdminIngest struct {
	// PerMinute holds 60 counts, oldest first, the last for the current minute.
	PerMinute []int `json:"perMinute"`
	LastHour  int   `json:"lastHour"`
	// RatePerMinute is LastHour / 60.
	RatePerMinute float64 `json:"ratePerMinute"`
}

// AdminWebhookLag says how far webhooks are behind.
type AdminWebhookLag struct {
	Webhooks int `json:"webhooks"`
	// PendingEvents are logged events not yet past their webhooks' cursors.
	PendingEvents int64 `json:"pendingEvents"`
	// OldestPendingSeconds is the age of the oldest event a webhook has yet
	// to deliver (0 when none waits).
	OldestPendingSeconds float64 `json:"oldestPendingSeconds"`
	// Delays from an event being logged to its delivery, last hour.
	DeliveredLastHour int     `json:"deliveredLastHour"`
	DelayP50Seconds   float64 `json:"delayP50Seconds"`
	DelayP99Seconds   float64 `json:"delayP99Seconds"`
	DeadLetters       int     `json:"deadLetters"`
}

// NodeHealth is the answering node at a glance.
type NodeHealth struct {
	Node string `json:"node"`
	// Database is "ok" or "unavailable" (the latest background probe).
	Database string `json:"database"`
	// Ready is false while the node starts, drains or has no database.
	Ready bool `json:"ready"`
	// ActiveUsers are user actors running on this node; IngestHeld are
	// incoming messages waiting for their user actor.
	ActiveUsers int64 `json:"activeUsers"`
	IngestHeld  int64 `json:"ingestHeld"`
	// InFlightRequests are HTTP requests being served by this node.
	InFlightRequests int64 `json:"inFlightRequests"`
	UptimeSeconds    int64 `json:"uptimeSeconds"`
}

// AdminStatsStore aggregates AdminStats' service-wide figures (everything
// but Node). It spans users: administrators only.
type AdminStatsStore interface {
	AdminStats(ctx context.Context, now time.Time) (AdminStats, error)
}

// Count is how many sessions are in state s (0 when none).
func (st AdminStats) Count(s SessionState) int {
	for _, c := range st.SessionsByState {
		if c.State == s {
			return c.Count
		}
	}
	return 0
}
