package assistant

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/juta-app/juta"
)

// Bounds of the model's tool use.
const (
	maxCallsPerRound = 8
	defaultToolLimit = 20
	maxToolLimit     = 50
)

type toolSpec struct {
	Type     string       `json:"type"`
	Function toolFunction `json:"function"`
}

type toolFunction struct {
	Name        string         `json:"name"`
	Description string         `json:"description"`
	Parameters  map[string]any `json:"parameters"`
}

func str(desc string) map[string]any { return map[string]any{"type": "string", "description": desc} }

func enum(desc string, values ...string) map[string]any {
	return map[string]any{"type": "string", "description": desc, "enum": values}
}

var limitParam = map[string]any{"type": "integer", "minimum": 1, "maximum": maxToolLimit,
	"description": fmt.Sprintf("how many to return, newest first (default %d)", defaultToolLimit)}

const timeHelp = "RFC 3339 time or YYYY-MM-DD (a date means its midnight in the user's zone)"

// toolSpecs are the only ways the model reads data. Neither takes a user:
// the caller's id is added by us, never by the model.
var toolSpecs = []toolSpec{
	{Type: "function", Function: toolFunction{
		Name:        "find_messages",
		Description: "Find the user's WhatsApp messages, newest first.",
		Parameters: map[string]any{"type": "object", "additionalProperties": false, "properties": map[string]any{
			"contact": str("phone number or part of the chat/sender id to match"),
			"text":    str("case-insensitive text the message contains"),
			"since":   str("sent at or after; " + timeHelp),
			"until":   str("sent before; " + timeHelp),
			"limit":   limitParam,
		}},
	}},
	{Type: "function", Function: toolFunction{
		Name:        "list_actions",
		Description: "List the user's actions (suggestions drawn from messages), newest first, each with the message it came from.",
		Parameters: map[string]any{"type": "object", "additionalProperties": false, "properties": map[string]any{
			"status":     enum("lifecycle state", "pending", "accepted", "dismissed", "done"),
			"type":       enum("kind of action", "meeting", "reminder", "payment", "task", "reply_needed"),
			"due_after":  str("due at or after; " + timeHelp),
			"due_before": str("due before; " + timeHelp),
			"limit":      limitParam,
		}},
	}},
}

// toolRun executes one conversation's tool calls for one user and remembers
// what they returned: only that may be cited.
type toolRun struct {
	l     *LLM
	uid   juta.UserID
	loc   *time.Location // the user's zone
	nonce string
	msgs  map[int64]juta.Message
	acts  map[int64]juta.Action
}

// errArgs is a mistake of the model's, told back to it rather than failing.
var errArgs = errors.New("bad arguments")

// call runs one tool call and returns the tool message's content. Only a
// store failure is an error.
func (r *toolRun) call(ctx context.Context, c toolCall) (string, error) {
	var out any
	var err error
	switch c.Function.Name {
	case "find_messages":
		out, err = r.findMessages(ctx, c.Function.Arguments)
	case "list_actions":
		out, err = r.listActions(ctx, c.Function.Arguments)
	default:
		err = fmt.Errorf("%w: no tool %q", errArgs, c.Function.Name)
	}
	switch {
	case errors.Is(err, errArgs):
		return r.wrap(map[string]string{"error": err.Error()})
	case juta.ErrorCode(err) == juta.EINVALID:
		return r.wrap(map[string]string{"error": juta.ErrorMessage(err)})
	case err != nil:
		return "", err
	}
	return r.wrap(out)
}

// wrap marks a result as data between this conversation's delimiters.
func (r *toolRun) wrap(v any) (string, error) {
	raw, err := json.Marshal(v)
	if err != nil {
		return "", fmt.Errorf("encode tool result: %w", err)
	}
	// The nonce is secret and random; a message that guessed it still
	// cannot close the block early.
	body := strings.ReplaceAll(string(raw), r.nonce, "")
	return fmt.Sprintf("<<<DATA %s\n%s\nDATA %s>>>", r.nonce, body, r.nonce), nil
}

type findArgs struct {
	Contact string `json:"contact"`
	Text    string `json:"text"`
	Since   string `json:"since"`
	Until   string `json:"until"`
	Limit   int    `json:"limit"`
}

type toolMessage struct {
	ID     string `json:"id"`
	Chat   string `json:"chat"`
	Sender string `json:"sender"`
	FromMe bool   `json:"fromMe"`
	SentAt string `json:"sentAt"`
	Text   string `json:"text"`
}

func (r *toolRun) findMessages(ctx context.Context, raw string) (any, error) {
	var a findArgs
	if err := decodeArgs(raw, &a); err != nil {
		return nil, err
	}
	f := juta.MessageFilter{Contact: a.Contact, Text: a.Text, Limit: toolLimit(a.Limit)}
	var err error
	if f.Since, err = r.parseTime("since", a.Since); err != nil {
		return nil, err
	}
	if f.Until, err = r.parseTime("until", a.Until); err != nil {
		return nil, err
	}
	msgs, err := r.l.data.FindMessages(ctx, r.uid, f)
	if err != nil {
		return nil, err
	}
	out := make([]toolMessage, len(msgs))
	for i, m := range msgs {
		out[i] = r.message(m)
	}
	return map[string]any{"messages": out}, nil
}

func (r *toolRun) message(m juta.Message) toolMessage {
	r.msgs[m.ID] = m
	return toolMessage{ID: fmt.Sprintf("m%d", m.ID), Chat: m.Chat, Sender: m.Sender, FromMe: m.FromMe,
		SentAt: m.SentAt.In(r.loc).Format(time.RFC3339), Text: m.Text}
}

type actionArgs struct {
	Status    string `json:"status"`
	Type      string `json:"type"`
	DueAfter  string `json:"due_after"`
	DueBefore string `json:"due_before"`
	Limit     int    `json:"limit"`
}

type toolAction struct {
	ID       string       `json:"id"`
	Type     string       `json:"type"`
	Title    string       `json:"title"`
	Status   string       `json:"status"`
	DueAt    string       `json:"dueAt,omitempty"`
	Amount   string       `json:"amount,omitempty"`
	Currency string       `json:"currency,omitempty"`
	People   []string     `json:"people,omitempty"`
	Source   *toolMessage `json:"source,omitempty"`
}

func (r *toolRun) listActions(ctx context.Context, raw string) (any, error) {
	var a actionArgs
	if err := decodeArgs(raw, &a); err != nil {
		return nil, err
	}
	f := juta.ActionFilter{Status: juta.ActionStatus(a.Status), Type: juta.ActionType(a.Type)}
	if !oneOf(a.Status, "", "pending", "accepted", "dismissed", "done") || !oneOf(a.Type, "", "meeting", "reminder", "payment", "task", "reply_needed") {
		return nil, fmt.Errorf("%w: unknown status or type", errArgs)
	}
	after, err := r.parseTime("due_after", a.DueAfter)
	if err != nil {
		return nil, err
	}
	before, err := r.parseTime("due_before", a.DueBefore)
	if err != nil {
		return nil, err
	}
	if !after.IsZero() {
		f.DueAfter = &after
	}
	if !before.IsZero() {
		f.DueBefore = &before
	}
	page, err := r.l.data.Actions(ctx, r.uid, f, "", toolLimit(a.Limit))
	if err != nil {
		return nil, err
	}
	return map[string]any{"actions": r.actions(ctx, page.Items)}, nil
}

// actions renders actions with their source messages, which become citable.
func (r *toolRun) actions(ctx context.Context, acts []juta.Action) []toolAction {
	ids := make([]int64, len(acts))
	for i, a := range acts {
		ids[i] = a.MessageID
	}
	srcs, err := r.l.data.MessagesByID(ctx, r.uid, ids)
	if err != nil {
		// The actions alone still answer the question.
		srcs = nil
	}
	byID := map[int64]juta.Message{}
	for _, m := range srcs {
		byID[m.ID] = m
	}
	out := make([]toolAction, len(acts))
	for i, a := range acts {
		r.acts[a.ID] = a
		ta := toolAction{ID: fmt.Sprintf("a%d", a.ID), Type: string(a.Type), Title: a.Title, Status: string(a.Status),
			Amount: a.Amount, Currency: a.Currency, People: a.People}
		if due := effectiveDue(a); due != nil {
			ta.DueAt = due.In(r.loc).Format(time.RFC3339)
		}
		if m, ok := byID[a.MessageID]; ok {
			tm := r.message(m)
			ta.Source = &tm
		}
		out[i] = ta
	}
	return out
}

// decodeArgs reads the model's JSON arguments strictly: a field we do not
// offer (a user id, say) is refused, not ignored.
func decodeArgs(raw string, v any) error {
	if strings.TrimSpace(raw) == "" {
		raw = "{}"
	}
	dec := json.NewDecoder(bytes.NewReader([]byte(raw)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return fmt.Errorf("%w: %v", errArgs, err)
	}
	return nil
}

func (r *toolRun) parseTime(name, s string) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t, nil
	}
	for _, layout := range []string{"2006-01-02T15:04:05", "2006-01-02T15:04", "2006-01-02"} {
		if t, err := time.ParseInLocation(layout, s, r.loc); err == nil {
			return t, nil
		}
	}
	return time.Time{}, fmt.Errorf("%w: %s is not a time (%s)", errArgs, name, timeHelp)
}

func toolLimit(n int) int {
	if n <= 0 {
		return defaultToolLimit
	}
	return min(n, maxToolLimit)
}

func oneOf(s string, values ...string) bool {
	for _, v := range values {
		if s == v {
			return true
		}
	}
	return false
}
