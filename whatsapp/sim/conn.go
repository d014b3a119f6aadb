package sim

import (
	"errors"
	"io"
	"net"
	"time"

	"sync"

	juta "github.com/juta-app/juta"
)

// account is one phone number on the network.
type account struct {
	phone   string
	devices []*device // linked devices, in link order
	nextDev int       // device numbers are never reused, so old ids stay dead
	inbox   []InboxItem
	// newest is the largest lease token a connection for the account
	// presented (cluster mode): a connection with a smaller one comes from a
	// node that lost the account's user.
	newest int64
	past   []wireMsg // the latest messages of the account's chats, for history batches
}

// maxInbox bounds a phone's inbox; the oldest items go first.
const maxInbox = 1000

// device is one linked device with its delivery queue.
type device struct {
	jid   string
	phone string
	conn  *sconn   // the live connection, nil while offline
	queue []*qitem // not yet acknowledged, in send order
	live  int      // connections bound to it right now (1 unless replaced)
	sent  sentLog  // ids it chose for its sends, to answer repeats
}

// qitem is one message waiting for a device's acknowledgement.
type qitem struct {
	m      wireMsg
	sentOn *sconn // the connection it was last written to
	sends  int
}

// sconn is the server side of one device connection. Writers hold wmu for the
// whole of a batch so that frames of one batch stay in order; lock order is
// always wmu before Server.mu.
type sconn struct {
	s   *Server
	c   net.Conn
	wmu sync.Mutex

	// Guarded by Server.mu.
	dev  *device      // bound device, nil while linking
	tok  int64        // the lease token of the hello, 0 without one
	link *linkAttempt // non-nil while linking
	gone bool
}

// writeLocked writes one frame; the caller holds wmu. A failed write closes
// the connection so its reader ends and cleans up.
func (sc *sconn) writeLocked(f frame) error {
	b, err := encodeFrame(f)
	if err != nil {
		return err
	}
	_ = sc.c.SetWriteDeadline(time.Now().Add(sc.s.opts.WriteTimeout))
	if _, err := sc.c.Write(b); err != nil {
		sc.c.Close()
		return err
	}
	return nil
}

func (sc *sconn) send(f frame) error {
	sc.wmu.Lock()
	defer sc.wmu.Unlock()
	return sc.writeLocked(f)
}

// serveWA runs one device connection until it ends; r yields the hello frame
// (with the byte sniff consumed) and then the connection itself.
func (s *Server) serveWA(c net.Conn, r io.Reader) {
	sc := &sconn{s: s, c: c}
	defer s.dropConn(sc)
	hello, err := readFrame(r)
	if err != nil || hello.T != tHello {
		s.log.Debug("sim bad hello", "remote", c.RemoteAddr().String(), "err", err)
		return
	}
	if hello.V != protocolVersion {
		_ = sc.send(frame{T: tWelcome, Status: statusError, Err: juta.EINVALID, Detail: "unsupported protocol version"})
		return
	}
	_ = c.SetReadDeadline(time.Time{})
	sc.tok = hello.Token
	if !s.register(sc) {
		return
	}
	if hello.Device == "" {
		s.startLinking(sc)
	} else if !s.resume(sc, hello.Device) {
		return
	}
	for {
		f, err := readFrame(c)
		if err != nil {
			if !errors.Is(err, io.EOF) && !errors.Is(err, net.ErrClosed) {
				s.log.Debug("sim connection read failed", "remote", c.RemoteAddr().String(), "err", err)
			}
			return
		}
		if !s.handleFrame(sc, f) {
			return
		}
	}
}

// handleFrame dispatches one client frame; false ends the connection.
func (s *Server) handleFrame(sc *sconn, f frame) bool {
	switch f.T {
	case tAck:
		s.handleAck(sc, f)
	case tPair:
		s.handlePair(sc, f)
	case tSend:
		s.handleSend(sc, f)
	case tUnlink:
		return s.handleUnlink(sc, f)
	case tBye:
		return false // dropConn unbinds before the client sees the close
	default:
		s.log.Debug("sim unexpected frame", "type", f.T)
		return false
	}
	return true
}

func (s *Server) register(sc *sconn) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return false
	}
	s.conns[sc] = struct{}{}
	return true
}

// dropConn forgets the connection, then closes it: a client that waits for
// the close after "bye" may reconnect at once without being seen twice.
func (s *Server) dropConn(sc *sconn) {
	defer sc.c.Close()
	s.mu.Lock()
	defer s.mu.Unlock()
	sc.gone = true
	delete(s.conns, sc)
	s.endLinkLocked(sc)
	if d := sc.dev; d != nil {
		d.live--
		if d.conn == sc {
			d.conn = nil
		}
	}
}

// resume binds a connection to an existing device, replacing any connection
// the device had, and delivers the device's queue. False when refused.
func (s *Server) resume(sc *sconn, jid string) bool {
	sc.wmu.Lock()
	s.mu.Lock()
	dev := s.devices[jid]
	if dev == nil {
		s.mu.Unlock()
		_ = sc.writeLocked(frame{T: tWelcome, Status: statusLoggedOut, Reason: juta.ReasonLoggedOut})
		sc.wmu.Unlock()
		return false
	}
	old := s.bindLocked(sc, dev)
	s.mu.Unlock()
	err := sc.writeLocked(frame{T: tWelcome, Status: statusConnected, Device: dev.jid, Phone: dev.phone})
	if err == nil {
		s.flushLocked(sc)
	}
	sc.wmu.Unlock()
	if old != nil {
		s.log.Info("sim device connection replaced", "device", jid)
		_ = old.send(frame{T: tReplaced})
		old.c.Close()
	}
	return err == nil
}

// bindLocked makes sc the device's live connection and returns the one it
// replaces, if any.
func (s *Server) bindLocked(sc *sconn, dev *device) *sconn {
	old := dev.conn
	dev.conn = sc
	sc.dev = dev
	dev.live++
	if old != nil {
		s.st.Replacements++
	}
	s.noteTokenLocked(sc, dev)
	s.st.MaxConnectionsPerDevice = max(s.st.MaxConnectionsPerDevice, dev.live)
	return old
}

// flushLocked writes every queued message not yet written to sc, in queue
// order; the caller holds sc.wmu, which keeps concurrent flushes in order.
func (s *Server) flushLocked(sc *sconn) {
	s.mu.Lock()
	dev := sc.dev
	if dev == nil || dev.conn != sc {
		s.mu.Unlock()
		return
	}
	var out []wireMsg
	for _, it := range dev.queue {
		if it.sentOn == sc {
			continue
		}
		if it.sends > 0 {
			s.st.Redelivered++
		}
		it.sends++
		it.sentOn = sc
		out = append(out, it.m)
	}
	s.mu.Unlock()
	for i := range out {
		if sc.writeLocked(frame{T: tMsg, Msg: &out[i]}) != nil {
			return // the next connection gets them again
		}
	}
}

// flush delivers what is queued for the devices behind conns.
func (s *Server) flush(conns []*sconn) {
	for _, sc := range conns {
		sc.wmu.Lock()
		s.flushLocked(sc)
		sc.wmu.Unlock()
	}
}

// unlinkLocked removes a device and its queue and returns its live
// connection, which the caller tells and closes.
func (s *Server) unlinkLocked(dev *device) *sconn {
	delete(s.devices, dev.jid)
	if a := s.accounts[dev.phone]; a != nil {
		for i, d := range a.devices {
			if d == dev {
				a.devices = append(a.devices[:i], a.devices[i+1:]...)
				break
			}
		}
	}
	s.st.Queued -= len(dev.queue)
	dev.queue = nil
	c := dev.conn
	dev.conn = nil
	return c
}

func (s *Server) accountLocked(phone string) *account {
	a := s.accounts[phone]
	if a == nil {
		a = &account{phone: phone}
		s.accounts[phone] = a
	}
	return a
}

// noteTokenLocked counts a connection whose lease token is older than the
// newest one seen for the device's account: a node that lost the user
// connected it anyway. Only tokens the simulator has seen are compared.
func (s *Server) noteTokenLocked(sc *sconn, dev *device) {
	acct := s.accounts[dev.phone]
	if sc.tok == 0 || acct == nil {
		return
	}
	if sc.tok < acct.newest {
		s.st.StaleTokenConnects++
		s.log.Warn("sim connection with a stale lease token", "device", dev.jid)
		return
	}
	acct.newest = sc.tok
}
