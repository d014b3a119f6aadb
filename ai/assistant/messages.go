package assistant

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/juta-app/juta"
)

// said quotes what the contact wrote in the window, oldest first. Stored
// messages carry numbers, not names: when a name matches no chat, the
// messages that mention it are shown instead, and the answer says so.
func (r *Rules) said(ctx context.Context, uid juta.UserID, q Query) (juta.Answer, error) {
	w := newWriter(q.Lang, r.loc)
	if q.Contact == "" {
		w.line("%s", w.p.needContact)
		return juta.Answer{Text: w.String(), Intent: IntentMessages}, nil
	}
	found, err := r.data.FindMessages(ctx, uid, juta.MessageFilter{Contact: q.Contact, Since: q.Since, Until: q.Until})
	if err != nil {
		return juta.Answer{}, fmt.Errorf("find messages: %w", err)
	}
	var theirs []juta.Message
	for _, m := range found {
		if fromContact(q.Contact, m) {
			theirs = append(theirs, m)
		}
	}
	head := w.p.fromSome
	if _, phone := juta.PhoneDigits(q.Contact); len(theirs) == 0 && !phone {
		theirs, err = r.data.FindMessages(ctx, uid, juta.MessageFilter{Text: q.Contact, Since: q.Since, Until: q.Until, Limit: maxQuoted})
		if err != nil {
			return juta.Answer{}, fmt.Errorf("find mentions: %w", err)
		}
		head = w.p.mentionSome
	}
	if len(theirs) == 0 {
		w.line(w.p.fromNone, q.Contact, opt(q))
		return juta.Answer{Text: w.String(), Intent: IntentMessages}, nil
	}
	quoted := chronological(theirs, maxQuoted)
	w.line(head, q.Contact, opt(q), len(quoted))
	for _, m := range quoted {
		w.quote(m)
	}
	return juta.Answer{Text: w.String(), Citations: quoted, Intent: IntentMessages}, nil
}

// fromContact: the message was written by the contact, in their own chat or
// as the sender in a group.
func fromContact(contact string, m juta.Message) bool {
	if m.FromMe {
		return false
	}
	return matchesContact(contact, m.Sender) || !isGroup(m.Chat) && matchesContact(contact, m.Chat)
}

// summary is an extractive summary of the chats with the contact: counts,
// the span of time, the last messages and the open actions drawn from them.
func (r *Rules) summary(ctx context.Context, uid juta.UserID, q Query, now time.Time) (juta.Answer, error) {
	w := newWriter(q.Lang, r.loc)
	if q.Contact == "" {
		w.line("%s", w.p.needContact)
		return juta.Answer{Text: w.String(), Intent: IntentSummary}, nil
	}
	msgs, err := r.data.FindMessages(ctx, uid, juta.MessageFilter{Contact: q.Contact, Since: q.Since, Until: q.Until, Limit: summaryRead})
	if err != nil {
		return juta.Answer{}, fmt.Errorf("find messages: %w", err)
	}
	if len(msgs) == 0 {
		w.line(w.p.summaryEmpty, q.Contact, opt(q))
		return juta.Answer{Text: w.String(), Intent: IntentSummary}, nil
	}
	mine := 0
	for _, m := range msgs {
		if m.FromMe {
			mine++
		}
	}
	total := w.count(len(msgs), "message")
	if len(msgs) == summaryRead {
		total = fmt.Sprintf(w.p.moreThan, summaryRead) + " " + w.p.nouns["message"][1]
	}
	// msgs is newest first.
	w.line(w.p.summaryHead, q.Contact, total, len(msgs)-mine, mine, w.day(msgs[len(msgs)-1].SentAt), w.day(msgs[0].SentAt))
	quoted := chronological(msgs, summaryQuoted)
	w.line("%s", w.p.lastMessages)
	for _, m := range quoted {
		w.quote(m)
	}
	acts, sources, err := r.chatActions(ctx, uid, msgs)
	if err != nil {
		return juta.Answer{}, err
	}
	if len(acts) > 0 {
		w.line(w.p.openFromChat, len(acts))
		for i, a := range acts {
			w.action(i, a, now)
		}
	}
	return juta.Answer{Text: w.String(), Citations: mergeMessages(quoted, sources), Actions: acts, Intent: IntentSummary}, nil
}

// chatActions returns the open actions drawn from the chats of msgs, with
// the messages they were drawn from.
func (r *Rules) chatActions(ctx context.Context, uid juta.UserID, msgs []juta.Message) ([]juta.Action, []juta.Message, error) {
	chats := map[string]bool{}
	for _, m := range msgs {
		chats[m.Chat] = true
	}
	open, err := r.openActions(ctx, uid, juta.ActionFilter{})
	if err != nil {
		return nil, nil, err
	}
	ids := make([]int64, len(open))
	for i, a := range open {
		ids[i] = a.MessageID
	}
	srcs, err := r.messagesByID(ctx, uid, ids)
	if err != nil {
		return nil, nil, err
	}
	byID := map[int64]juta.Message{}
	for _, m := range srcs {
		byID[m.ID] = m
	}
	var acts []juta.Action
	for _, a := range open {
		if src, ok := byID[a.MessageID]; ok && chats[src.Chat] {
			acts = append(acts, a)
		}
	}
	sortByDue(acts)
	acts = acts[:min(len(acts), maxListed)]
	used := make([]juta.Message, len(acts))
	for i, a := range acts {
		used[i] = byID[a.MessageID]
	}
	return acts, used, nil
}

// chronological returns the newest n of newest-first msgs, oldest first.
func chronological(msgs []juta.Message, n int) []juta.Message {
	out := slices.Clone(msgs[:min(len(msgs), n)])
	slices.Reverse(out)
	return out
}

// mergeMessages concatenates lists without repeating a message.
func mergeMessages(lists ...[]juta.Message) []juta.Message {
	seen := map[int64]bool{}
	var out []juta.Message
	for _, l := range lists {
		for _, m := range l {
			if !seen[m.ID] {
				seen[m.ID] = true
				out = append(out, m)
			}
		}
	}
	return out
}
