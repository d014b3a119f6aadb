package juta

import (
	"context"
	"time"
)

// Stats is a user's own activity in aggregate, for the dashboard's
// monitoring page: message volume, busy hours, actions and reply time.
type Stats struct {
	TimeZone string `json:"timeZone"`
	// Hours are the last 48 hours, oldest first, one bucket per hour.
	Hours []StatsBucket `json:"hours"`
	// Days are the last 30 days in TimeZone, oldest first.
	Days []StatsBucket `json:"days"`
	// BusiestHours counts incoming messages of the last 30 days by hour of
	// the day (0-23) in TimeZone; always 24 entries.
	BusiestHours []HourCount `json:"busiestHours"`
	// Actions counts every action by type and status.
	Actions []ActionCount `json:"actions"`
	// ReplyTime is how long contacts waited for an answer over the last 30 days.
	ReplyTime ReplyTime `json:"replyTime"`
}

// StatsBucket counts messages received (In) and sent (Out) from Start.
type StatsBucket struct {
	Start time.Time `json:"start"`
	In    int64     `json:"in"`
	Out   int64     `json:"out"`
}

// HourCount is the number of messages at one hour of the day.
type HourCount struct {
	Hour     int   `json:"hour"`
	Messages int64 `json:"messages"`
}

// ActionCount is the number of actions of one type in one status.
type ActionCount struct {
	Type   ActionType   `json:"type"`
	Status ActionStatus `json:"status"`
	Count  int64        `json:"count"`
}

// ReplyTime summarises waits from a contact's first unanswered message to the
// user's next message in that chat. The seconds are absent without replies.
type ReplyTime struct {
	Replies       int64    `json:"replies"`
	MedianSeconds *float64 `json:"medianSeconds,omitempty"`
	P90Seconds    *float64 `json:"p90Seconds,omitempty"`
}

// StatsStore aggregates a user's activity.
type StatsStore interface {
	// Stats aggregates the user's own messages and actions up to now, days
	// and hours of the day taken in loc (an IANA zone).
	Stats(ctx context.Context, uid UserID, loc *time.Location, now time.Time) (Stats, error)
}
