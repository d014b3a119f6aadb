package whatsapp

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"go.mau.fi/whatsmeow"
	"go.mau.fi/whatsmeow/proto/waE2E"
	"go.mau.fi/whatsmeow/store"
	"go.mau.fi/whatsmeow/types"
	"google.golang.org/protobuf/proto"

	"github.com/juta-app/juta"
)

// Pairing by phone code claims to be a desktop browser: WhatsApp validates
// the display name against a list of common browser/OS pairs.
const (
	pairClientType    = whatsmeow.PairClientChrome
	pairClientDisplay = "Chrome (Linux)"
)

// maxConnectWait bounds Connect when the caller's context has no deadline of
// its own: a server that accepts the socket and then says nothing must not
// hold a session forever.
const maxConnectWait = 75 * time.Second

// Client is one whatsmeow device connection. Connect and the WAHandler must
// not be nested: Connect resets whatsmeow's handler list and so must not be
// called from inside the handler (it would deadlock); Disconnect may be.
type Client struct {
	wa  *whatsmeow.Client
	sid juta.SessionID
	h   juta.WAHandler
	log *slog.Logger

	// emitMu keeps the WAHandler promise of one event at a time: whatsmeow
	// dispatches some events from goroutines of their own, and QR codes come
	// from a separate channel.
	emitMu sync.Mutex

	connectMu sync.Mutex              // one Connect at a time
	current   atomic.Pointer[attempt] // the live connection attempt, nil when none
	quiet     atomic.Bool             // we disconnected on purpose: no WADisconnected
	deviceJID atomic.Pointer[string]  // kept here so DeviceJID never races whatsmeow's store writes
	qrAttempt atomic.Pointer[attempt] // the attempt whose QR channel may still be registered
	history   time.Duration           // how far back the history batch is stored
}

// attempt is one Connect: its context outlives the Connect call (whatsmeow
// runs the connection's loops on it) and ends at Disconnect or the next Connect.
type attempt struct {
	ctx     context.Context
	cancel  context.CancelFunc
	outcome chan struct{} // closed on the first event that settles the attempt
	once    sync.Once
	qrDone  chan struct{} // closed when the QR forwarder has stopped
	dialing atomic.Bool
	dropped atomic.Bool // the server or the network closed the connection
}

func (a *attempt) settle() { a.once.Do(func() { close(a.outcome) }) }

var _ juta.WAClient = (*Client)(nil)

func newClient(dev *store.Device, sid juta.SessionID, h juta.WAHandler, log *slog.Logger) *Client {
	log = log.With("session_id", int64(sid))
	wa := whatsmeow.NewClient(dev, newWALogger(log, "client"))
	// Ack a message only after our handler stored it, keep decrypted events
	// so a redelivery is not lost to a ratcheted session, and leave
	// reconnecting to the session actor, which backs off and holds the lease.
	wa.SynchronousAck = true
	wa.EnableDecryptedEventBuffer = true
	wa.EnableAutoReconnect = false
	c := &Client{wa: wa, sid: sid, h: h, log: log, history: juta.DefaultHistoryWindow}
	if dev.ID != nil {
		c.setDeviceJID(dev.ID.String())
	}
	wa.AddEventHandlerWithSuccessStatus(c.dispatch)
	return c
}

// Connect dials WhatsApp and waits, within ctx, until the attempt settles:
// connected, first QR code shown, or a terminal event reported to the
// handler. A network error, or ctx ending first, is returned as EUNAVAILABLE
// and leaves the client disconnected; nothing is retried.
func (c *Client) Connect(ctx context.Context) error {
	c.connectMu.Lock()
	defer c.connectMu.Unlock()
	ctx, cancel := context.WithTimeout(ctx, maxConnectWait)
	defer cancel()
	if c.wa.IsConnected() {
		return juta.Errorf(juta.ESTATE, "already connected")
	}
	a, err := c.begin(ctx)
	if err != nil {
		return err
	}
	a.dialing.Store(true)
	stop := context.AfterFunc(ctx, a.cancel) // aborts the dial when the caller gives up
	err = c.wa.ConnectContext(a.ctx)
	a.dialing.Store(false)
	if !stop() && err == nil {
		err = ctx.Err()
	}
	if err != nil {
		c.abandon(a)
		return unreachable(ctx, err)
	}
	select {
	case <-a.outcome:
		return nil
	case <-ctx.Done():
		c.abandon(a)
		return unreachable(ctx, ctx.Err())
	case <-a.ctx.Done():
		return juta.Errorf(juta.ESTATE, "disconnected while connecting")
	}
}

// begin retires the previous attempt and prepares a new one. For an unpaired
// device the QR channel must be listening before the socket opens.
func (c *Client) begin(ctx context.Context) (*attempt, error) {
	if old := c.current.Swap(nil); old != nil {
		old.cancel()
	}
	if c.qrAttempt.Swap(nil) != nil {
		c.resetHandlers()
	}
	actx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	a := &attempt{ctx: actx, cancel: cancel, outcome: make(chan struct{}), qrDone: make(chan struct{})}
	if c.DeviceJID() == "" {
		ch, err := c.wa.GetQRChannel(actx)
		if err != nil {
			cancel()
			return nil, fmt.Errorf("open QR channel of session %d: %w", c.sid, err)
		}
		c.qrAttempt.Store(a)
		go c.forwardQR(a, ch)
	} else {
		close(a.qrDone)
	}
	c.quiet.Store(false)
	c.current.Store(a)
	return a, nil
}

// abandon closes a failed attempt without reporting anything: the error
// returned by Connect says it all.
func (c *Client) abandon(a *attempt) {
	c.quiet.Store(true)
	c.current.CompareAndSwap(a, nil)
	a.cancel()
	c.wa.Disconnect()
	if c.qrAttempt.Swap(nil) != nil {
		c.resetHandlers()
	}
}

// resetHandlers drops every whatsmeow handler but ours. A QR channel that
// never saw a code (its attempt failed or was disconnected early) stays
// registered otherwise, and would disconnect a later attempt when its codes
// run out. It waits for events being dispatched, so it runs only when such a
// channel may exist, and never inside a whatsmeow handler (whatsmeow holds the
// handler list's lock there).
func (c *Client) resetHandlers() {
	c.wa.RemoveEventHandlers()
	c.wa.AddEventHandlerWithSuccessStatus(c.dispatch)
}

func unreachable(ctx context.Context, err error) error {
	msg := "WhatsApp unreachable"
	if ctx.Err() != nil {
		msg = "WhatsApp did not answer in time"
	}
	return &juta.Error{Code: juta.EUNAVAILABLE, Message: msg, Err: err}
}

// Disconnect closes the connection and keeps the keys. No event follows.
// Idempotent; safe from inside the handler.
func (c *Client) Disconnect() {
	c.quiet.Store(true)
	a := c.current.Swap(nil)
	if a != nil && a.dialing.Load() {
		a.cancel() // whatsmeow's Disconnect would wait for the dial to end
	}
	c.wa.Disconnect()
	if a != nil {
		a.cancel()
	}
}

// PairPhone asks WhatsApp for a linking code for the E.164 phone. ESTATE
// unless an unpaired device is connected; EINVALID for a malformed phone.
func (c *Client) PairPhone(ctx context.Context, phone string) (string, error) {
	if c.DeviceJID() != "" {
		return "", juta.Errorf(juta.ESTATE, "device already linked")
	}
	if !c.wa.IsConnected() {
		return "", juta.Errorf(juta.ESTATE, "not connected")
	}
	if len(phone) < 2 || phone[0] != '+' || !isE164Digits(phone[1:]) {
		return "", juta.Errorf(juta.EINVALID, "phone must be E.164, e.g. +60123456789")
	}
	code, err := c.wa.PairPhone(ctx, phone[1:], true, pairClientType, pairClientDisplay)
	switch {
	case errors.Is(err, whatsmeow.ErrPhoneNumberTooShort), errors.Is(err, whatsmeow.ErrPhoneNumberIsNotInternational):
		return "", &juta.Error{Code: juta.EINVALID, Message: "phone must be E.164, e.g. +60123456789", Err: err}
	case err != nil:
		return "", fmt.Errorf("request pairing code for session %d: %w", c.sid, err)
	}
	return code, nil
}

// SendText sends a plain text message under the message id waID ("" = a new
// one). ESTATE when not logged in; EINVALID for a recipient that is neither an
// E.164 phone nor a JID.
func (c *Client) SendText(ctx context.Context, to, text, waID string) (string, time.Time, error) {
	jid, err := parseRecipient(to)
	if err != nil {
		return "", time.Time{}, err
	}
	if !c.wa.IsLoggedIn() {
		return "", time.Time{}, juta.Errorf(juta.ESTATE, "not connected")
	}
	// Recipients deduplicate by message id (whatsmeow resends under the same
	// id when a recipient asks with a retry receipt), so a repeat is safe.
	resp, err := c.wa.SendMessage(ctx, jid, &waE2E.Message{Conversation: proto.String(text)},
		whatsmeow.SendRequestExtra{ID: types.MessageID(waID)})
	if err != nil {
		return "", time.Time{}, fmt.Errorf("send text from session %d: %w", c.sid, err)
	}
	return resp.ID, resp.Timestamp, nil
}

// Logout unlinks the device and deletes its keys. It needs a live
// connection: ESTATE when not paired or not connected (unlinking offline
// would leave the device listed on the phone).
func (c *Client) Logout(ctx context.Context) error {
	if c.DeviceJID() == "" {
		return juta.Errorf(juta.ESTATE, "device not linked")
	}
	if !c.wa.IsLoggedIn() {
		return juta.Errorf(juta.ESTATE, "not connected")
	}
	if err := c.wa.Logout(ctx); err != nil {
		return fmt.Errorf("log out session %d: %w", c.sid, err)
	}
	c.setDeviceJID("")
	c.quiet.Store(true)
	if a := c.current.Swap(nil); a != nil {
		a.cancel()
	}
	return nil
}

// DeviceJID is the linked device's JID, "" until paired or after logout.
func (c *Client) DeviceJID() string {
	if p := c.deviceJID.Load(); p != nil {
		return *p
	}
	return ""
}

func (c *Client) setDeviceJID(jid string) { c.deviceJID.Store(&jid) }
