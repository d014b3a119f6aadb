package actors

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/juta-app/juta"
	"github.com/juta-app/juta/actors/msg"
)

// outgoingStores are what sending more than a text reads: the quoted
// message and the uploaded file.
type outgoingStores struct {
	messages juta.MessageStore
	blobs    juta.BlobStore
}

// sendOutgoing sends the juta.Outgoing in doc (a reply, a location, contact
// cards or an uploaded file) under waID and stores it with its content
// before answering, as sendAndStore does for a text. The quoted message must
// be one of the session's in the same chat; the file is read from the
// user's blob store and checked against its checksum by the store.
func sendOutgoing(base context.Context, client juta.WAClient, st outgoingStores, out juta.Message, doc []byte, waID string) sendResult {
	fail := func(err error) sendResult { return sendResult{SendTextReply: &msg.SendTextReply{Error: errorMsg(err)}} }
	var o juta.Outgoing
	if err := json.Unmarshal(doc, &o); err != nil {
		return fail(juta.Errorf(juta.EINVALID, "the outgoing message is malformed"))
	}
	if err := juta.CheckOutgoingContent(&o); err != nil {
		return fail(err)
	}
	c, cancel := context.WithTimeout(base, juta.MediaTimeout(connectTimeout, o.Size))
	defer cancel()
	wo := juta.WAOutgoing{Text: o.Text, Content: o.Content}
	if err := resolveQuote(c, st.messages, out, o.Quote, &wo); err != nil {
		return fail(err)
	}
	if o.Kind.HasMedia() {
		if st.blobs == nil {
			return fail(juta.Errorf(juta.ENOTIMPL, "media cannot be sent: no blob store"))
		}
		rc, sp, err := st.blobs.ReadBlob(c, out.UserID, o.Media.FileSHA256, juta.WholeBlob)
		if err != nil {
			return fail(fmt.Errorf("read uploaded file: %w", err))
		}
		defer rc.Close()
		if sp.Size != o.Size {
			return fail(juta.Errorf(juta.EINVALID, "the uploaded file has %d bytes, not %d", sp.Size, o.Size))
		}
		wo.File = rc
	}
	sent, err := client.SendMessage(c, out.Chat, wo, waID)
	if err != nil {
		return fail(err)
	}
	out.WAID, out.SentAt, out.Content = sent.ID, sent.SentAt, wo.Content
	out.Media = sent.Media
	stored, _, inserted, err := st.messages.StoreMessage(c, out)
	if err != nil {
		return fail(&juta.Error{Code: juta.EINTERNAL, Message: "the message was sent but could not be stored", Err: err})
	}
	return sendResult{SendTextReply: &msg.SendTextReply{Message: messageInfo(stored)}, inserted: inserted}
}

// resolveQuote finds the stored message id quotes (0: none) in out's chat
// and names it in wo: ENOTFOUND for another chat's, a deleted or an unknown
// message.
func resolveQuote(ctx context.Context, store juta.MessageStore, out juta.Message, id int64, wo *juta.WAOutgoing) error {
	if id == 0 {
		return nil
	}
	q, err := store.Message(ctx, out.UserID, out.SessionID, id)
	if err == nil && (q.Chat != out.Chat || q.DeletedAt != nil) {
		err = juta.Errorf(juta.ENOTFOUND, "message %d is not a message of this chat", id)
	}
	if err != nil {
		return err
	}
	wo.Quoted = &juta.MessageKey{WAID: q.WAID, Sender: q.Sender, FromMe: q.FromMe}
	wo.QuotedText = q.Text
	wo.Content.Quote = &juta.Quote{ID: q.ID, WAID: q.WAID, Sender: q.Sender}
	return nil
}
