package whatsapp

import (
	"time"

	"go.mau.fi/whatsmeow/types"
	"go.mau.fi/whatsmeow/types/events"
)

// handleHistorySync stores the past messages WhatsApp sends after linking,
// marked as history, back to the client's window; older ones, and what is not
// a conversation message, are skipped. Edits, deletes and reactions in the
// batch are already reflected in the messages it carries. A message the
// session fails to store fails the batch, which whatsmeow then reports.
func (c *Client) handleHistorySync(e *events.HistorySync) bool {
	cutoff := time.Now().Add(-c.history)
	ok := true
	stored, skipped := 0, 0
	for _, conv := range e.Data.GetConversations() {
		chat, err := types.ParseJID(conv.GetID())
		if err != nil {
			skipped += len(conv.GetMessages())
			continue
		}
		for _, hm := range conv.GetMessages() {
			msg, err := c.wa.ParseWebMessage(chat, hm.GetMessage())
			if err != nil || msg.Info.Timestamp.Before(cutoff) {
				skipped++
				continue
			}
			in, isMsg := incomingOf(msg)
			if !isMsg {
				skipped++
				continue
			}
			in.History = true
			if !c.emit(in) {
				ok = false
				continue
			}
			stored++
		}
	}
	c.log.Info("whatsapp history batch", "type", e.Data.GetSyncType().String(), "stored", stored, "skipped", skipped)
	return ok
}
