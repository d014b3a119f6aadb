package actors

import juta "github.com/juta-app/juta"

// history keeps the latest messages of each chat in memory, bounded per chat.
// Chats appear lazily as their messages arrive; a reader that needs older
// context loads it from the store (RecentMessages) and seeds it with load.
type history struct {
	per   int
	chats map[chatKey][]juta.Message
}

type chatKey struct {
	sid  juta.SessionID
	chat string
}

func newHistory(per int) *history {
	return &history{per: per, chats: map[chatKey][]juta.Message{}}
}

// add appends m to its chat, dropping the oldest beyond the bound.
func (h *history) add(m juta.Message) {
	k := chatKey{m.SessionID, m.Chat}
	list := append(h.chats[k], m)
	if len(list) > h.per {
		list = append(list[:0:0], list[len(list)-h.per:]...)
	}
	h.chats[k] = list
}

// recent returns the chat's cached messages, oldest first, and whether the
// cache holds the chat at all.
func (h *history) recent(sid juta.SessionID, chat string) ([]juta.Message, bool) {
	list, ok := h.chats[chatKey{sid, chat}]
	return list, ok
}

// load replaces a chat's cache with messages read from the store (oldest
// first), keeping any newer ones already cached.
func (h *history) load(sid juta.SessionID, chat string, stored []juta.Message) {
	k := chatKey{sid, chat}
	cached := h.chats[k]
	h.chats[k] = nil
	seen := map[int64]bool{}
	for _, m := range append(stored, cached...) {
		if !seen[m.ID] {
			seen[m.ID] = true
			h.add(m)
		}
	}
}
