package whatsapp

import (
	"errors"
	"fmt"
	"time"

	"go.mau.fi/whatsmeow"
	"go.mau.fi/whatsmeow/types/events"

	"github.com/juta-app/juta"
)

var (
	errConnectionLost = errors.New("connection closed by the server or the network")
	errQRExpired      = errors.New("every QR code expired unscanned")
	errClientOutdated = errors.New("WhatsApp rejected the client version")
)

// dispatch is the one entry point for whatsmeow events. Its result is
// whatsmeow's success status: false withholds the message's ack so WhatsApp
// delivers it again.
func (c *Client) dispatch(evt any) bool {
	switch e := evt.(type) {
	case *events.Message:
		return c.handleMessage(e)
	case *events.Receipt:
		return c.handleReceipt(e)
	case *events.HistorySync:
		return c.handleHistorySync(e)
	case *events.PushName:
		return c.handlePushName(e)
	case *events.Contact:
		return c.handleContact(e)
	case *events.JoinedGroup:
		return c.handleJoinedGroup(e)
	case *events.GroupInfo:
		return c.handleGroupInfo(e)
	case *events.PairSuccess:
		c.handlePairSuccess(e)
	case *events.PairError:
		c.handlePairError(e)
	case *events.Connected:
		c.handleConnected()
	case *events.Disconnected:
		c.handleDisconnected()
	case *events.ConnectFailure:
		c.handleConnectFailure(e)
	case *events.LoggedOut:
		c.handleLoggedOut(e)
	case *events.StreamReplaced:
		c.handleStreamReplaced()
	case *events.TemporaryBan:
		c.handleFailed(juta.ReasonBanned, errors.New(e.String()))
	case *events.ClientOutdated:
		c.handleFailed(juta.ReasonBanned, errClientOutdated)
	}
	return true
}

// emit hands one event to the session's handler, one at a time.
func (c *Client) emit(evt juta.WAEvent) bool {
	c.emitMu.Lock()
	defer c.emitMu.Unlock()
	return c.h(evt)
}

// settle tells a waiting Connect that its attempt has an outcome. It runs
// after the event was handed over, so the session sees the event first.
func (c *Client) settle() {
	if a := c.current.Load(); a != nil {
		a.settle()
	}
}

func (c *Client) handleMessage(e *events.Message) bool {
	// Edits, deletes and reactions arrive under ids of their own: they
	// change the message they name instead of showing a new one.
	if ch, ok := changeOf(e); ok {
		ch.Text = juta.CleanText(ch.Text)
		return c.emit(juta.WAChange{MessageChange: ch})
	}
	if e.IsEdit {
		c.log.Debug("whatsapp edit without a target skipped", "wa_id", e.Info.ID)
		return true
	}
	in, ok := incomingOf(e)
	if !ok {
		c.log.Debug("whatsapp message without conversation content skipped", "wa_id", e.Info.ID,
			"type", typeName(e.Message))
		return true
	}
	return c.emit(in)
}

// incomingOf converts a conversation message; ok is false for the rest.
func incomingOf(e *events.Message) (juta.WAIncoming, bool) {
	text, content, ok := contentOf(e.Message)
	if !ok || content.IsText() && text == "" {
		return juta.WAIncoming{}, false
	}
	content.Quote = quoteOf(e.Message)
	info := e.Info
	return juta.WAIncoming{
		Chat:       chatOf(info.MessageSource),
		Sender:     address(preferPhone(info.Sender, info.SenderAlt)),
		WAID:       info.ID,
		FromMe:     info.IsFromMe,
		SenderName: juta.CleanText(info.PushName),
		Text:       juta.CleanText(text),
		Content:    content.Storable(),
		SentAt:     info.Timestamp,
	}, true
}

func (c *Client) handlePairSuccess(e *events.PairSuccess) {
	jid := e.ID.String()
	c.setDeviceJID(jid)
	c.log.Info("whatsapp device linked", "device_jid", jid)
	c.emit(juta.WAPaired{DeviceJID: jid, Phone: address(e.ID)})
}

func (c *Client) handlePairError(e *events.PairError) {
	c.emit(juta.WAFailed{Reason: juta.ReasonPairFailed, Err: e.Error})
	c.settle()
}

func (c *Client) handleConnected() {
	c.emit(juta.WAConnected{})
	c.settle()
}

func (c *Client) handleDisconnected() {
	if c.quiet.Load() {
		return
	}
	if a := c.current.Load(); a != nil {
		// Read by the QR forwarder, whose handler runs after this one.
		a.dropped.Store(true)
	}
	c.emit(juta.WADisconnected{Err: errConnectionLost})
	c.settle()
}

// handleConnectFailure covers failures whatsmeow has no event of its own
// for; it expects no reconnect and sends no Disconnected, so without this
// the session would wait forever. They may heal, so the session retries.
func (c *Client) handleConnectFailure(e *events.ConnectFailure) {
	c.emit(juta.WADisconnected{Err: fmt.Errorf("connect failure %s", e.Reason.NumberString())})
	c.settle()
}

func (c *Client) handleLoggedOut(e *events.LoggedOut) {
	c.setDeviceJID("")
	c.emit(juta.WALoggedOut{Reason: e.Reason.String()})
	c.settle()
}

func (c *Client) handleStreamReplaced() {
	c.emit(juta.WAReplaced{})
	c.settle()
}

func (c *Client) handleFailed(reason string, err error) {
	c.emit(juta.WAFailed{Reason: reason, Err: err})
	c.settle()
}

// forwardQR turns whatsmeow's QR channel into WAQR events until the channel
// closes or the attempt ends.
func (c *Client) forwardQR(a *attempt, ch <-chan whatsmeow.QRChannelItem) {
	defer close(a.qrDone)
	for {
		select {
		case <-a.ctx.Done():
			return
		case item, ok := <-ch:
			if !ok {
				// whatsmeow closed the channel and removes its handler itself.
				c.qrAttempt.CompareAndSwap(a, nil)
				return
			}
			c.handleQRItem(a, item)
		}
	}
}

func (c *Client) handleQRItem(a *attempt, item whatsmeow.QRChannelItem) {
	if a.ctx.Err() != nil {
		return // Disconnect ran: no events after it
	}
	switch item.Event {
	case whatsmeow.QRChannelEventCode:
		c.emit(juta.WAQR{Code: item.Code, ExpiresAt: time.Now().Add(item.Timeout)})
		a.settle()
	case whatsmeow.QRChannelTimeout.Event:
		// The channel also says "timeout" when the connection dropped;
		// WADisconnected has said that already.
		if a.dropped.Load() {
			return
		}
		c.emit(juta.WAFailed{Reason: juta.ReasonQRTimeout, Err: errQRExpired})
		a.settle()
	default:
		// success, pairing errors and outdated clients arrive as events of
		// their own; what is left needs no action from the session.
		c.log.Debug("qr channel closed", "event", item.Event)
	}
}
