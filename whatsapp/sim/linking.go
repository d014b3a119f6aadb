package sim

import (
	"time"

	juta "github.com/juta-app/juta"
)

// linkAttempt is the QR/pairing state of a connection that is not a device
// yet. Its timer exists only for the life of the attempt.
type linkAttempt struct {
	shown     int // QR codes issued so far
	code      string
	timer     *time.Timer
	pairCode  string
	pairPhone string
}

var errNoSuchCode = juta.Errorf(juta.ENOTFOUND, "no session shows this code")

// startLinking answers the hello of a device-less connection with its first QR
// code; rotateQR issues the next ones.
func (s *Server) startLinking(sc *sconn) {
	sc.wmu.Lock()
	defer sc.wmu.Unlock()
	s.mu.Lock()
	sc.link = &linkAttempt{}
	qr := s.nextQRLocked(sc)
	s.mu.Unlock()
	if sc.writeLocked(frame{T: tWelcome, Status: statusLinking}) == nil {
		_ = sc.writeLocked(qr)
	}
}

// nextQRLocked replaces the attempt's code with a fresh one and arms the timer
// for its expiry.
func (s *Server) nextQRLocked(sc *sconn) frame {
	a := sc.link
	delete(s.qrs, a.code)
	a.shown++
	life := s.opts.QRNext
	if a.shown == 1 {
		life = s.opts.QRFirst
	}
	a.code = newQRCode()
	s.qrs[a.code] = sc
	if a.timer == nil {
		a.timer = time.AfterFunc(life, func() { s.rotateQR(sc) })
	} else {
		a.timer.Reset(life)
	}
	return frame{T: tQR, Code: a.code, Expires: time.Now().Add(life).UnixMilli()}
}

// rotateQR runs when a code expires: show the next one, or end the attempt
// after the last.
func (s *Server) rotateQR(sc *sconn) {
	sc.wmu.Lock()
	defer sc.wmu.Unlock()
	s.mu.Lock()
	if sc.link == nil || sc.gone {
		s.mu.Unlock()
		return
	}
	if sc.link.shown >= qrPerAttempt {
		s.endLinkLocked(sc)
		s.mu.Unlock()
		_ = sc.writeLocked(frame{T: tFailed, Reason: juta.ReasonQRTimeout})
		sc.c.Close()
		return
	}
	f := s.nextQRLocked(sc)
	s.mu.Unlock()
	_ = sc.writeLocked(f)
}

// endLinkLocked stops the attempt's timer and forgets its codes.
func (s *Server) endLinkLocked(sc *sconn) {
	a := sc.link
	if a == nil {
		return
	}
	if a.timer != nil {
		a.timer.Stop()
	}
	delete(s.qrs, a.code)
	if a.pairCode != "" {
		delete(s.pairs, a.pairCode)
	}
	sc.link = nil
}

// handlePair answers a client's request for a phone pairing code.
func (s *Server) handlePair(sc *sconn, f frame) {
	res := frame{T: tRes, Req: f.Req}
	phone := f.Phone
	s.mu.Lock()
	switch {
	case !validPhone(phone):
		res.Err, res.Detail = juta.EINVALID, "phone must be E.164"
	case sc.link == nil:
		res.Err, res.Detail = juta.ESTATE, "pairing is only possible while linking"
	default:
		a := sc.link
		if a.pairCode != "" {
			delete(s.pairs, a.pairCode)
		}
		code := newPairCode()
		for s.pairs[code] != nil {
			code = newPairCode()
		}
		a.pairCode, a.pairPhone = code, phone
		s.pairs[code] = sc
		res.Code = code
	}
	s.mu.Unlock()
	_ = sc.send(res)
}

// ScanQR links phone's account to the connection showing code, as the phone
// API's scan route does. ENOTFOUND for an unknown or expired code.
func (s *Server) ScanQR(phone, code string) (deviceJID string, err error) {
	s.mu.Lock()
	sc := s.qrs[code]
	s.mu.Unlock()
	if sc == nil {
		return "", errNoSuchCode
	}
	return s.link(sc, phone, func(a *linkAttempt) bool { return a.code == code })
}

// SubmitPairCode links phone's account to the connection that asked for code
// for this phone. ENOTFOUND otherwise.
func (s *Server) SubmitPairCode(phone, code string) (deviceJID string, err error) {
	code = normalizePairCode(code)
	s.mu.Lock()
	sc := s.pairs[code]
	s.mu.Unlock()
	if sc == nil {
		return "", errNoSuchCode
	}
	return s.link(sc, phone, func(a *linkAttempt) bool { return a.pairCode == code && a.pairPhone == phone })
}

// link turns a linking connection into a new device of phone's account. still
// re-checks, under the lock, that the code is still the one shown.
func (s *Server) link(sc *sconn, phone string, still func(*linkAttempt) bool) (string, error) {
	if !validPhone(phone) {
		return "", juta.Errorf(juta.EINVALID, "phone must be E.164")
	}
	sc.wmu.Lock()
	defer sc.wmu.Unlock()
	s.mu.Lock()
	if sc.gone || sc.link == nil || !still(sc.link) {
		s.mu.Unlock()
		return "", errNoSuchCode
	}
	s.endLinkLocked(sc)
	acct := s.accountLocked(phone)
	acct.nextDev++
	dev := &device{jid: deviceJID(phone, acct.nextDev), phone: phone}
	acct.devices = append(acct.devices, dev)
	s.devices[dev.jid] = dev
	s.bindLocked(sc, dev)
	s.mu.Unlock()
	s.log.Info("sim device linked", "device", dev.jid)
	// A failed write leaves a linked device nobody knows the id of, as when a
	// real phone links and the browser tab closes.
	if sc.writeLocked(frame{T: tPaired, Device: dev.jid, Phone: phone}) == nil && s.queueHistory(dev) {
		s.flushLocked(sc)
	}
	return dev.jid, nil
}
