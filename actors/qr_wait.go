package actors

import (
	"context"
	"errors"
	"time"

	juta "github.com/juta-app/juta"
	"github.com/juta-app/juta/actors/msg"
)

// A session that has just been created (or started again) shows its first QR
// code a moment later: the client has to connect first. A QR request in that
// window waits for the code instead of failing, so that "create a session,
// then ask for its code" works as two plain calls.
const (
	// qrWait bounds the wait; the caller's deadline may shorten it.
	qrWait = 8 * time.Second
	// qrPoll is how often the user actor is asked again while waiting.
	qrPoll = 50 * time.Millisecond
	// qrRetryAfter is what a caller is told when the wait ran out.
	qrRetryAfter = time.Second
	// msgNoQRYet is the message of the one EUNAVAILABLE answer that is worth
	// waiting for: the session is linking and its first code is on its way.
	msgNoQRYet = "no QR code yet; retry shortly"
)

// QR returns the code the session shows now, waiting (bounded by qrWait and
// ctx) while a linking session has not shown its first code yet. When the wait
// runs out the error is EUNAVAILABLE with a RetryAfter.
func (r *Runtime) QR(ctx context.Context, uid juta.UserID, sid juta.SessionID) (juta.QRCode, error) {
	deadline := time.Now().Add(qrWait)
	if d, ok := ctx.Deadline(); ok && d.Add(-2*qrPoll).Before(deadline) {
		deadline = d.Add(-2 * qrPoll) // keep time to answer before the caller gives up
	}
	for {
		qr, err := r.qrOnce(ctx, uid, sid)
		if !noQRYet(err) {
			return qr, withRetryAfter(err)
		}
		if !time.Now().Add(qrPoll).Before(deadline) {
			return qr, &juta.Error{Code: juta.EUNAVAILABLE, Message: msgNoQRYet, RetryAfter: qrRetryAfter}
		}
		t := time.NewTimer(qrPoll)
		select {
		case <-ctx.Done():
			t.Stop()
			return qr, &juta.Error{Code: juta.EUNAVAILABLE, Message: msgNoQRYet, RetryAfter: qrRetryAfter}
		case <-t.C:
		}
	}
}

func noQRYet(err error) bool {
	var e *juta.Error
	return errors.As(err, &e) && e.Code == juta.EUNAVAILABLE && e.Message == msgNoQRYet
}

func (r *Runtime) qrOnce(ctx context.Context, uid juta.UserID, sid juta.SessionID) (juta.QRCode, error) {
	res, err := r.request(ctx, &msg.QRRequest{UserId: int64(uid), SessionId: int64(sid)})
	if err != nil {
		return juta.QRCode{}, err
	}
	rep := res.(*msg.QRReply)
	if err := errorOf(rep.GetError()); err != nil {
		return juta.QRCode{}, err
	}
	return juta.QRCode{Code: rep.GetCode(), ExpiresAt: timeOf(rep.GetExpiresAtNs())}, nil
}

// withRetryAfter restores the hint an unavailable answer loses on the wire.
func withRetryAfter(err error) error {
	var e *juta.Error
	if errors.As(err, &e) && e.Code == juta.EUNAVAILABLE && e.RetryAfter == 0 {
		return &juta.Error{Code: e.Code, Message: e.Message, Err: e.Err, RetryAfter: qrRetryAfter}
	}
	return err
}
