package sim

import (
	"context"
	"errors"
	"io"
	"net"
	"sync"
	"time"

	juta "github.com/juta-app/juta"
)

// cconn is the client side of one connection.
type cconn struct {
	c    net.Conn
	wmu  sync.Mutex    // serialises writes
	done chan struct{} // closed when the reader has ended

	pmu     sync.Mutex
	nextReq uint64
	pending map[uint64]*waiter // nil while no request is in flight
	dead    error              // set when the reader ended

	// Guarded by Client.mu.
	userClosed bool // Disconnect or Logout: report nothing more
	terminal   bool // replaced, logged out or failed: no WADisconnected
}

type waiter struct {
	ch       chan frame
	endsConn bool // a successful answer means the server will close: stay quiet
}

// leave says goodbye on a connection whose reader never started and waits
// (at most byeWait) for the server to close it, so that the server has let
// go of the device before anyone reconnects it.
func (cc *cconn) leave() {
	if cc.write(frame{T: tBye}) == nil {
		_ = cc.c.SetReadDeadline(time.Now().Add(byeWait))
		_, _ = io.Copy(io.Discard, cc.c)
	}
	cc.c.Close()
}

func (cc *cconn) write(f frame) error {
	b, err := encodeFrame(f)
	if errors.Is(err, errFrameTooLarge) {
		return juta.Errorf(juta.ETOOLARGE, "request exceeds %d bytes", maxFrame)
	}
	if err != nil {
		return err
	}
	cc.wmu.Lock()
	defer cc.wmu.Unlock()
	_ = cc.c.SetWriteDeadline(time.Now().Add(5 * time.Second))
	_, err = cc.c.Write(b)
	return err
}

// handshake sends hello and reads the welcome within ctx's deadline.
func (cc *cconn) handshake(ctx context.Context, jid string, token int64) (frame, error) {
	dl, _ := ctx.Deadline()
	_ = cc.c.SetDeadline(dl)
	defer cc.c.SetDeadline(time.Time{})
	unavailable := func(err error) error {
		return &juta.Error{Code: juta.EUNAVAILABLE, Message: "whatsapp simulator handshake failed", Err: err}
	}
	if err := cc.write(frame{T: tHello, V: protocolVersion, Device: jid, Token: token}); err != nil {
		return frame{}, unavailable(err)
	}
	f, err := readFrame(cc.c)
	if err != nil {
		return frame{}, unavailable(err)
	}
	if f.T != tWelcome {
		return frame{}, unavailable(errors.New("unexpected frame " + f.T))
	}
	return f, nil
}

// roundTrip sends a request and waits for the answer with the same id.
func (cc *cconn) roundTrip(ctx context.Context, f frame) (frame, error) {
	w := &waiter{ch: make(chan frame, 1), endsConn: f.T == tUnlink}
	cc.pmu.Lock()
	if cc.dead != nil {
		cc.pmu.Unlock()
		return frame{}, juta.Errorf(juta.ESTATE, "not connected")
	}
	cc.nextReq++
	f.Req = cc.nextReq
	if cc.pending == nil {
		cc.pending = make(map[uint64]*waiter)
	}
	cc.pending[f.Req] = w
	cc.pmu.Unlock()
	defer cc.forget(f.Req)
	if err := cc.write(f); err != nil {
		if juta.ErrorCode(err) == juta.ETOOLARGE {
			return frame{}, err
		}
		return frame{}, &juta.Error{Code: juta.EUNAVAILABLE, Message: "connection lost", Err: err}
	}
	select {
	case res, ok := <-w.ch:
		if !ok {
			return frame{}, juta.Errorf(juta.EUNAVAILABLE, "connection lost before the answer")
		}
		return res, nil
	case <-ctx.Done():
		return frame{}, &juta.Error{Code: juta.EUNAVAILABLE, Message: "no answer in time", Err: ctx.Err()}
	}
}

func (cc *cconn) forget(req uint64) {
	cc.pmu.Lock()
	delete(cc.pending, req)
	if len(cc.pending) == 0 {
		cc.pending = nil // an idle connection keeps no map
	}
	cc.pmu.Unlock()
}

// answer hands a response to its waiter; it reports whether the connection
// is about to be closed by the server as the answer's consequence.
func (cc *cconn) answer(f frame) (endsConn bool) {
	cc.pmu.Lock()
	w := cc.pending[f.Req]
	delete(cc.pending, f.Req)
	cc.pmu.Unlock()
	if w == nil {
		return false // the caller gave up
	}
	w.ch <- f
	return w.endsConn && f.Err == ""
}

// fail wakes every waiter once the reader has ended.
func (cc *cconn) fail(err error) {
	cc.pmu.Lock()
	defer cc.pmu.Unlock()
	cc.dead = err
	for id, w := range cc.pending {
		close(w.ch)
		delete(cc.pending, id)
	}
}

// readLoop is the connection's one goroutine. It never calls the handler
// itself, so a handler may call the client (SendText) without deadlock.
func (c *Client) readLoop(cc *cconn) {
	var err error
	for {
		var f frame
		if f, err = readFrame(cc.c); err != nil {
			break
		}
		if !c.handleFrame(cc, f) {
			break
		}
	}
	cc.c.Close()
	cc.fail(err)
	close(cc.done)
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.cur == cc {
		c.cur = nil
	}
	if !cc.userClosed && !cc.terminal {
		c.enqueueLocked(cc, juta.WADisconnected{Err: err})
	}
}

// handleFrame turns one server frame into events; false ends the connection.
func (c *Client) handleFrame(cc *cconn, f frame) bool {
	switch f.T {
	case tRes:
		if cc.answer(f) {
			c.endQuietly(cc)
			return false
		}
		return true
	case tMsg:
		if f.Msg == nil {
			return false
		}
		c.enqueueIncoming(cc, eventOf(f.Msg), f.Msg.ID)
		return true
	case tQR:
		c.enqueue(cc, juta.WAQR{Code: f.Code, ExpiresAt: time.UnixMilli(f.Expires)})
		return true
	case tPaired:
		c.mu.Lock()
		c.jid = f.Device
		c.enqueueLocked(cc, juta.WAPaired{DeviceJID: f.Device, Phone: f.Phone})
		c.enqueueLocked(cc, juta.WAConnected{})
		c.mu.Unlock()
		return true
	case tFailed:
		c.endWith(cc, juta.WAFailed{Reason: f.Reason, Err: errors.New("linking attempt ended: " + f.Reason)})
	case tReplaced:
		c.endWith(cc, juta.WAReplaced{})
	case tLogout:
		c.endWith(cc, juta.WALoggedOut{Reason: f.Reason})
	}
	return false // a terminal notice, or a frame this version does not know
}

// endWith reports a terminal event; no WADisconnected follows it.
func (c *Client) endWith(cc *cconn, ev juta.WAEvent) {
	c.mu.Lock()
	defer c.mu.Unlock()
	cc.terminal = true
	c.enqueueLocked(cc, ev)
}

func (c *Client) endQuietly(cc *cconn) {
	c.mu.Lock()
	defer c.mu.Unlock()
	cc.userClosed = true
}

func (c *Client) enqueue(cc *cconn, ev juta.WAEvent) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.enqueueLocked(cc, ev)
}

// maxPending bounds the incoming messages waiting for the handler. At the
// bound the reader stops reading, TCP flow control holds the server's writes,
// and the server keeps the rest queued: a slow store costs backpressure, not
// memory. (A handler that waits on a SendText answer while the queue is full
// waits until its own deadline: the answer sits behind the unread messages.)
const maxPending = 256

// enqueueIncoming queues a message, waiting while maxPending are pending,
// unless the connection was closed meanwhile (the message then comes again
// on the next connection).
func (c *Client) enqueueIncoming(cc *cconn, in juta.WAEvent, ack string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.room.L = &c.mu
	for len(c.events) >= maxPending && !cc.userClosed {
		c.room.Wait()
	}
	if !cc.userClosed {
		c.events = append(c.events, queued{cc: cc, ev: in, ack: ack})
		c.startDispatchLocked()
	}
}

// wakeReaderLocked wakes a reader waiting for room in the queue.
func (c *Client) wakeReaderLocked() {
	if c.room.L != nil {
		c.room.Broadcast()
	}
}

// enqueueLocked queues an event and starts a dispatcher if none runs. The
// dispatcher exits when the queue is empty, so an idle client has none.
func (c *Client) enqueueLocked(cc *cconn, ev juta.WAEvent) {
	c.events = append(c.events, queued{cc: cc, ev: ev})
	c.startDispatchLocked()
}

func (c *Client) startDispatchLocked() {
	if !c.dispatching {
		c.dispatching = true
		go c.dispatch()
	}
}

// dispatch calls the handler for each queued event, one at a time, and acks
// a message only when the handler stored it.
func (c *Client) dispatch() {
	for {
		c.mu.Lock()
		if len(c.events) == 0 {
			c.dispatching = false
			c.events = nil
			c.mu.Unlock()
			return
		}
		q := c.events[0]
		c.events[0] = queued{}
		c.events = c.events[1:]
		drop := q.cc.userClosed
		c.wakeReaderLocked()
		c.mu.Unlock()
		if drop {
			continue
		}
		stored := c.h(q.ev)
		if q.ack != "" && stored {
			// A failed write leaves the message unacked: it comes again.
			_ = q.cc.write(frame{T: tAck, WAID: q.ack})
		}
	}
}
