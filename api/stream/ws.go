package stream

import (
	"context"
	"encoding/json"
	"time"

	"github.com/gofiber/contrib/websocket"
	"github.com/gofiber/fiber/v2"

	"github.com/juta-app/juta"
	"github.com/juta-app/juta/api/auth"
)

const (
	wsHandshakeTimeout = 10 * time.Second
	wsWriteTimeout     = 10 * time.Second
	// wsCloseGrace is how long a closing stream waits for the peer's close reply.
	wsCloseGrace = 2 * time.Second
	// wsReadLimit: clients have nothing to say yet beyond control frames.
	wsReadLimit = 4096
)

// Handler returns the /api/ws handler. Everything that can fail with an HTTP
// answer (origin, auth, ?after=) is checked before the upgrade; the caller
// comes from a single-use ticket or an Authorization header, never from a
// long-lived credential in the URL (see Authenticate).
func (s *Service) Handler() fiber.Handler {
	upgrade := websocket.New(s.serve, websocket.Config{
		HandshakeTimeout: wsHandshakeTimeout,
		RecoverHandler:   s.recoverStream,
	})
	return func(c *fiber.Ctx) error {
		if !websocket.IsWebSocketUpgrade(c) {
			return juta.Errorf(juta.EINVALID, "this endpoint needs a WebSocket upgrade")
		}
		after, err := ParseAfter(c.Query("after"))
		if err != nil {
			return err
		}
		c.Locals(localAfter, after)
		return upgrade(c)
	}
}

// serve runs one WebSocket for its whole life on the connection's goroutine:
// it subscribes, writes events and pings, and closes when the subscription
// ends, the peer goes away, or the server shuts down.
func (s *Service) serve(conn *websocket.Conn) {
	uid, _ := conn.Locals(auth.LocalUserID).(juta.UserID)
	p, _ := conn.Locals(auth.LocalPrincipal).(juta.Principal)
	cred, _ := conn.Locals(auth.LocalCredential).(auth.Credential)
	after, _ := conn.Locals(localAfter).(int64)
	rid, _ := conn.Locals(LocalRequestID).(string)
	log := s.log.With("request_id", rid, "user_id", int64(uid))

	if !s.streams.enter() {
		closeStream(conn, websocket.CloseGoingAway, "server shutting down")
		return
	}
	defer s.streams.leave()

	// The subscription lives as long as this context: the Runtime closes the
	// event channel when it ends.
	ctx, cancel := context.WithCancel(s.base)
	defer cancel()
	sub, err := s.ports().Runtime.Subscribe(ctx, uid, after)
	if err != nil {
		log.Warn("websocket subscribe failed", "code", juta.ErrorCode(err), "error", err)
		closeStream(conn, websocket.CloseTryAgainLater, juta.ErrorCode(err))
		return
	}
	defer sub.Close()

	readerDone := make(chan struct{})
	go s.readStream(conn, cancel, readerDone)

	guard := s.guardStream(ctx, cred, log)
	defer guard.stop()
	feed := s.newSharedFeed(ctx, uid, p, log)
	defer feed.close()
	code, reason := s.writeStream(ctx, conn, p, sub.Events(), feed, guard)
	if code != 0 {
		closeStream(conn, code, reason)
	}
	// Unblock the reader (it ends on the peer's close reply or the deadline)
	// before returning: the connection is torn down after this function.
	_ = conn.SetReadDeadline(time.Now().Add(wsCloseGrace))
	<-readerDone
	log.Debug("websocket closed", "close_code", code)
}

// readStream consumes what the peer sends (pongs, close) and ends the stream
// when the peer leaves or stops answering pings.
func (s *Service) readStream(conn *websocket.Conn, cancel context.CancelFunc, done chan<- struct{}) {
	defer close(done)
	defer cancel()
	wait := 2 * s.cfg.PingInterval
	conn.SetReadLimit(wsReadLimit)
	_ = conn.SetReadDeadline(time.Now().Add(wait))
	conn.SetPongHandler(func(string) error {
		return conn.SetReadDeadline(time.Now().Add(wait))
	})
	for {
		if _, _, err := conn.ReadMessage(); err != nil {
			return
		}
	}
}

// writeStream sends events and pings until something ends the stream. It
// returns the close code to send, or 0 when the connection is already gone.
func (s *Service) writeStream(ctx context.Context, conn *websocket.Conn, p juta.Principal, events <-chan juta.Event, feed *sharedFeed, guard *streamGuard) (int, string) {
	ping := time.NewTicker(s.cfg.PingInterval)
	defer ping.Stop()
	for {
		select {
		case <-ctx.Done():
			if s.base.Err() != nil {
				return websocket.CloseGoingAway, "server shutting down"
			}
			return 0, ""
		case ev, ok := <-events:
			if !ok {
				if s.base.Err() != nil {
					return websocket.CloseGoingAway, "server shutting down"
				}
				if ctx.Err() != nil {
					return 0, ""
				}
				// The Runtime ended the subscription (e.g. the user's actor
				// restarted): a clean close tells the client to resume
				// from its last cursor.
				return websocket.CloseNormalClosure, "resume from your last cursor"
			}
			feed.notice(ev)
			if !Visible(p, ev) {
				continue
			}
			if err := writeFrame(conn, ToWire(ev)); err != nil {
				return 0, ""
			}
		case se := <-feed.out:
			if !feed.deliverable(se) {
				continue
			}
			w := ToWire(se.ev)
			w.Shared = true
			if err := writeFrame(conn, w); err != nil {
				return 0, ""
			}
		case <-feed.lost:
			return websocket.CloseNormalClosure, "resume from your last cursor"
		case c := <-guard.ended:
			return c.code, c.reason
		case <-ping.C:
			if err := conn.WriteControl(websocket.PingMessage, nil, time.Now().Add(wsWriteTimeout)); err != nil {
				return 0, ""
			}
		}
	}
}

func writeFrame(conn *websocket.Conn, w Event) error {
	// A broken document must not break the frame; the cursor still advances.
	frame, err := json.Marshal(w)
	if err != nil {
		return err
	}
	if err := conn.SetWriteDeadline(time.Now().Add(wsWriteTimeout)); err != nil {
		return err
	}
	return conn.WriteMessage(websocket.TextMessage, frame)
}

func closeStream(conn *websocket.Conn, code int, reason string) {
	msg := websocket.FormatCloseMessage(code, reason)
	_ = conn.WriteControl(websocket.CloseMessage, msg, time.Now().Add(wsWriteTimeout))
}

// recoverStream keeps a panicking stream from taking the process down and
// from sending the panic to the client (the library default does both wrong).
func (s *Service) recoverStream(conn *websocket.Conn) {
	if r := recover(); r != nil {
		s.log.Error("websocket stream panicked", "panic", r)
		closeStream(conn, websocket.CloseInternalServerErr, juta.EINTERNAL)
	}
}
