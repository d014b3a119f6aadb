package sim

import (
	"context"
	"fmt"
	"net"
	"sync"
	"time"

	juta "github.com/juta-app/juta"
)

// Provider builds clients of a simulator at one address.
type Provider struct {
	addr   string
	token  string // the phone API's token, sent with uploads
	dialer net.Dialer
}

var _ juta.WAProvider = (*Provider)(nil)

// NewProvider returns a provider for the simulator listening on addr
// ("127.0.0.1:7777").
func NewProvider(addr string) *Provider { return &Provider{addr: addr} }

// WithToken makes the provider's devices upload with the simulator's token
// (Options.Token); "" uploads without one. It returns p.
func (p *Provider) WithToken(token string) *Provider {
	p.token = token
	return p
}

// NewClient returns an unconnected client. It does no I/O, so an unknown
// device id is only refused at Connect (reported as WALoggedOut); a malformed
// one is ENOTFOUND here.
//
// In cluster mode ctx carries the user's lease fence: its token goes with
// every connection's hello, so the simulator can count connections made by a
// node that lost the user (Stats.StaleTokenConnects).
func (p *Provider) NewClient(ctx context.Context, sid juta.SessionID, deviceJID string, h juta.WAHandler) (juta.WAClient, error) {
	if h == nil {
		return nil, juta.Errorf(juta.EINVALID, "nil handler")
	}
	if deviceJID != "" && !validDeviceJID(deviceJID) {
		return nil, juta.Errorf(juta.ENOTFOUND, "no such simulated device")
	}
	f, _ := juta.FenceFrom(ctx)
	return &Client{p: p, sid: sid, jid: deviceJID, h: h, token: f.Token}, nil
}

// defaultConnectTimeout bounds Connect when its context has no deadline.
const defaultConnectTimeout = 10 * time.Second

// Client is one simulated device connection. Its cost while idle and
// connected is the socket, one reader goroutine and these few fields.
type Client struct {
	p   *Provider
	sid juta.SessionID
	h   juta.WAHandler
	// token is the lease token the client was created under (0 without).
	token int64

	connMu sync.Mutex // serialises Connect; never held by event delivery

	mu          sync.Mutex
	gen         uint64 // bumped by Disconnect, so a Connect in flight yields
	jid         string
	cur         *cconn    // the connection, nil while not connected
	events      []queued  // waiting for the handler
	dispatching bool      // a dispatch goroutine is draining events
	room        sync.Cond // on mu: signalled when events shrink or a connection closes
}

var _ juta.WAClient = (*Client)(nil)

// queued is an event with the connection it came from, so that events of a
// connection closed by Disconnect are dropped.
type queued struct {
	cc  *cconn
	ev  juta.WAEvent
	ack string // the delivered message's id, acked once the handler stored it
}

// Connect dials the simulator and says hello. A paired device reports
// WAConnected and then its queued messages; an unpaired one reports WAQR codes.
// A device the server does not know (unlinked) reports WALoggedOut, as
// WhatsApp does, and Connect returns nil. Errors: EUNAVAILABLE when the server
// cannot be reached or does not answer. Connecting while connected is a no-op.
func (c *Client) Connect(ctx context.Context) error {
	c.connMu.Lock()
	defer c.connMu.Unlock()
	c.mu.Lock()
	cur, gen, jid := c.cur, c.gen, c.jid
	c.mu.Unlock()
	if cur != nil {
		return nil
	}
	if _, ok := ctx.Deadline(); !ok {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, defaultConnectTimeout)
		defer cancel()
	}
	nc, err := c.p.dialer.DialContext(ctx, "tcp", c.p.addr)
	if err != nil {
		return &juta.Error{Code: juta.EUNAVAILABLE, Message: "whatsapp simulator unreachable", Err: err}
	}
	cc := &cconn{c: nc, done: make(chan struct{})}
	welcome, err := cc.handshake(ctx, jid, c.token)
	if err != nil {
		nc.Close()
		return err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.gen != gen {
		c.mu.Unlock()
		cc.leave() // the server bound this connection: let it go before returning
		c.mu.Lock()
		return juta.Errorf(juta.ESTATE, "disconnected while connecting")
	}
	switch welcome.Status {
	case statusConnected:
		c.cur = cc
		c.enqueueLocked(cc, juta.WAConnected{})
	case statusLinking:
		c.cur = cc
	case statusLoggedOut:
		nc.Close()
		c.enqueueLocked(cc, juta.WALoggedOut{Reason: juta.ReasonLoggedOut})
		return nil
	default:
		nc.Close()
		return &juta.Error{Code: juta.EUNAVAILABLE, Message: "whatsapp simulator refused the connection",
			Err: fmt.Errorf("%s: %s", welcome.Err, welcome.Detail)}
	}
	go c.readLoop(cc)
	return nil
}

// byeWait bounds how long Disconnect waits for the server to let go.
const byeWait = 2 * time.Second

// Disconnect closes the connection; nothing more is reported for it. It says
// goodbye and waits (briefly) for the server to close, so that the server has
// let go of the device before a reconnect, which then is not a replacement.
func (c *Client) Disconnect() {
	c.mu.Lock()
	c.gen++
	cc := c.cur
	c.cur = nil
	if cc != nil {
		cc.userClosed = true
	}
	c.wakeReaderLocked()
	c.mu.Unlock()
	if cc == nil {
		return
	}
	if cc.write(frame{T: tBye}) == nil {
		t := time.NewTimer(byeWait)
		select {
		case <-cc.done:
		case <-t.C:
		}
		t.Stop()
	}
	cc.c.Close()
}

// PairPhone asks for an 8-character pairing code that the phone enters
// instead of scanning a QR code. ESTATE unless linking; EINVALID for a phone
// that is not E.164.
func (c *Client) PairPhone(ctx context.Context, phone string) (string, error) {
	res, err := c.request(ctx, frame{T: tPair, Phone: phone})
	if err != nil {
		return "", err
	}
	return res.Code, nil
}

// SendText sends text to an E.164 phone or a JID. ESTATE when not connected as
// a device; EINVALID for a bad recipient or empty text; ETOOLARGE for a long
// text; EUNAVAILABLE when the connection drops before the answer. waID is
// the message id to send under ("" = the simulator picks one); sending again
// under an id already sent answers the first result without a second copy.
func (c *Client) SendText(ctx context.Context, to, text, waID string) (string, time.Time, error) {
	if len(text) > maxText {
		return "", time.Time{}, juta.Errorf(juta.ETOOLARGE, "text exceeds %d bytes", maxText)
	}
	res, err := c.request(ctx, frame{T: tSend, To: to, Text: text, WAID: waID})
	if err != nil {
		return "", time.Time{}, err
	}
	return res.WAID, time.UnixMilli(res.SentAt), nil
}

// SendChange sends a reaction (text the emoji, "" takes it back), an edit
// (text the new text) or a delete for everyone of the message key of chat,
// under waID as SendText. ESTATE when not connected as a device; EINVALID
// for another kind.
func (c *Client) SendChange(ctx context.Context, chat string, key juta.MessageKey, kind juta.ChangeKind, text, waID string) (string, time.Time, error) {
	wk, ok := map[juta.ChangeKind]string{juta.ChangeReaction: changeReaction, juta.ChangeEdit: changeEdit, juta.ChangeDelete: changeDelete}[kind]
	if !ok {
		return "", time.Time{}, juta.Errorf(juta.EINVALID, "cannot send a change of kind %q", kind)
	}
	ch := &wireChange{Kind: wk, Targets: []string{key.WAID}, Text: text}
	res, err := c.request(ctx, frame{T: tSend, To: chat, WAID: waID, Change: ch})
	if err != nil {
		return "", time.Time{}, err
	}
	return res.WAID, time.UnixMilli(res.SentAt), nil
}

// Logout unlinks the device and closes the connection; nothing more is
// reported for it. ESTATE when not connected as a device.
func (c *Client) Logout(ctx context.Context) error {
	c.mu.Lock()
	cc := c.cur
	c.mu.Unlock()
	if _, err := c.request(ctx, frame{T: tUnlink}); err != nil {
		return err
	}
	c.mu.Lock()
	if c.cur == cc {
		c.cur = nil
	}
	if cc != nil {
		cc.userClosed = true
	}
	c.jid = ""
	c.wakeReaderLocked()
	c.mu.Unlock()
	if cc != nil {
		cc.c.Close()
	}
	return nil
}

// DeviceJID is the linked device's id, "" until paired.
func (c *Client) DeviceJID() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.jid
}

// request sends a request on the current connection and waits for its answer.
func (c *Client) request(ctx context.Context, f frame) (frame, error) {
	c.mu.Lock()
	cc := c.cur
	c.mu.Unlock()
	if cc == nil {
		return frame{}, juta.Errorf(juta.ESTATE, "not connected")
	}
	res, err := cc.roundTrip(ctx, f)
	if err != nil {
		return frame{}, err
	}
	if res.Err != "" {
		return frame{}, juta.Errorf(res.Err, "%s", res.Detail)
	}
	return res, nil
}
