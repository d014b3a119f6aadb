package juta

import (
	"context"
	"time"
)

// Assistant answers a user's questions about their own messages and actions
// (the chat behind POST /api/chat). Implementations are safe for concurrent
// use and only ever read the caller's data: every query they make carries uid.
type Assistant interface {
	// Answer answers question for uid. It blocks for the queries it makes and,
	// for an LLM-backed assistant, for the model (bounded by its own timeout).
	// EINVALID for an empty question, ETOOLARGE for one over 2000 bytes;
	// EUNAVAILABLE when neither the model nor a fallback could answer; a
	// wrapped error when the store fails; ctx's error once ctx is done.
	Answer(ctx context.Context, uid UserID, question string) (Answer, error)
}

// Answer is the assistant's reply. Citations are the user's stored messages
// the answer rests on, Actions the actions it lists. NeedsLLM is true when
// the question needs a language model that did not answer (the Text then says
// so in the question's language). Intent names what was understood:
// "pending", "payments", "messages", "summary", "meetings", "draft" (a reply
// or advice, which needs a model), "llm" (answered by the model) or "unknown".
// Citations and Actions are never nil.
type Answer struct {
	Text      string    `json:"text"`
	Citations []Message `json:"citations"`
	Actions   []Action  `json:"actions"`
	NeedsLLM  bool      `json:"needsLlm"`
	Intent    string    `json:"intent"`
}

// MessageFilter selects messages across all of a user's sessions. Zero fields
// do not filter.
type MessageFilter struct {
	// Contact matches, case-insensitively, part of the chat or the sender. A
	// phone number matches whole in any form (PhonePattern), so "+60123456789"
	// finds the chat "60123456789@s.whatsapp.net" too, never "+601234567890".
	Contact string
	Chat    string    // exact chat JID or E.164 phone
	Sender  string    // exact sender JID or E.164 phone
	Text    string    // case-insensitive substring of the text
	Since   time.Time // SentAt >= Since
	Until   time.Time // SentAt < Until
	Limit   int       // 0 means 50; at most 200
}

// AssistantData is what an assistant reads. It is implemented by persistence
// with the conventions of store.go; every method only sees uid's rows.
type AssistantData interface {
	// FindMessages lists uid's messages matching f, newest (by SentAt) first.
	// EINVALID when a text filter is longer than 256 bytes.
	FindMessages(ctx context.Context, uid UserID, f MessageFilter) ([]Message, error)
	// MessagesByID returns those of ids that are uid's messages, in the order
	// of ids; unknown and other users' ids are left out.
	MessagesByID(ctx context.Context, uid UserID, ids []int64) ([]Message, error)
	// Actions is ActionStore.Actions.
	Actions(ctx context.Context, uid UserID, f ActionFilter, cursor string, limit int) (Page[Action], error)
}
