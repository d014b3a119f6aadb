package webhook

import (
	"bytes"
	"context"
	"crypto/tls"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strconv"
	"syscall"
	"time"

	"github.com/juta-app/juta"
)

// maxResponseRead is how much of a response body is drained so that the
// connection can be reused; the rest is dropped with the connection.
const maxResponseRead = 64 << 10

// payload is the body of a delivery.
type payload struct {
	ID        int64           `json:"id"` // the delivery id, as in X-Juta-Delivery
	Cursor    int64           `json:"cursor"`
	Type      string          `json:"type"`
	SessionID juta.SessionID  `json:"sessionId,omitempty"`
	Data      json.RawMessage `json:"data"`
	CreatedAt time.Time       `json:"createdAt"`
}

// result is the outcome of one request.
type result struct {
	status int
	err    error
}

func (r result) ok() bool { return r.err == nil && r.status >= 200 && r.status < 300 }

// failure describes a failed attempt without the URL or any response body,
// which may carry the receiver's secrets.
func (r result) failure(ev juta.Event, deliveryID int64) *juta.WebhookFailure {
	f := &juta.WebhookFailure{Cursor: ev.Cursor, EventType: ev.Type, DeliveryID: deliveryID, Status: r.status}
	switch {
	case r.err != nil:
		f.Error = describe(r.err)
	case r.status >= 300 && r.status < 400:
		f.Error = "HTTP " + strconv.Itoa(r.status) + " (redirects are not followed)"
	default:
		f.Error = "HTTP " + strconv.Itoa(r.status)
	}
	return f
}

func newClient(timeout time.Duration, allowPrivate bool) *http.Client {
	d := newGuardedDialer(timeout, allowPrivate)
	return &http.Client{
		Transport: &http.Transport{
			Proxy:                 nil, // a proxy would reach what the guard refuses
			DialContext:           d.DialContext,
			TLSHandshakeTimeout:   timeout,
			ResponseHeaderTimeout: timeout,
			MaxIdleConns:          100,
			MaxIdleConnsPerHost:   2,
			IdleConnTimeout:       90 * time.Second,
			ForceAttemptHTTP2:     true,
		},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
}

// send posts ev to wh once, signed, within timeout.
func (w *Worker) send(ctx context.Context, wh juta.Webhook, deliveryID int64, ev juta.Event, timeout time.Duration) result {
	ev = ev.Redacted()
	body, err := json.Marshal(payload{
		ID: deliveryID, Cursor: ev.Cursor, Type: ev.Type, SessionID: ev.SessionID,
		Data: json.RawMessage(ev.Data), CreatedAt: ev.CreatedAt,
	})
	if err != nil {
		return result{err: err}
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, wh.URL, bytes.NewReader(body))
	if err != nil {
		return result{err: err}
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "Juta-Webhooks/1")
	req.Header.Set(HeaderSignature, Sign(wh.Secret, time.Now(), body))
	req.Header.Set(HeaderEvent, ev.Type)
	req.Header.Set(HeaderDelivery, strconv.FormatInt(deliveryID, 10))
	req.Header.Set(HeaderCursor, strconv.FormatInt(ev.Cursor, 10))
	res, err := w.client.Do(req)
	if err != nil {
		return result{err: err}
	}
	_, _ = io.Copy(io.Discard, io.LimitReader(res.Body, maxResponseRead))
	_ = res.Body.Close()
	return result{status: res.StatusCode}
}

// describe turns a transport error into one of a few fixed phrases. The
// error's own text is never kept: *url.Error repeats the URL (which may hold
// a token), and dial and DNS errors name this server's resolver and the
// addresses it tried, which tell a webhook's owner about our network.
func describe(err error) string {
	var (
		ne   net.Error
		dns  *net.DNSError
		cert *tls.CertificateVerificationError
		rec  tls.RecordHeaderError
	)
	switch {
	case errors.Is(err, errBlocked):
		return errBlocked.Error()
	case errors.As(err, &dns) && dns.IsNotFound:
		return "the host name does not resolve"
	case errors.Is(err, context.DeadlineExceeded), errors.As(err, &ne) && ne.Timeout():
		return "timed out"
	case errors.As(err, &dns):
		return "the host name could not be resolved"
	case errors.Is(err, syscall.ECONNREFUSED):
		return "connection refused"
	case errors.Is(err, syscall.ECONNRESET), errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		return "connection closed before a response"
	case errors.Is(err, syscall.EHOSTUNREACH), errors.Is(err, syscall.ENETUNREACH):
		return "host unreachable"
	case errors.As(err, &cert):
		return "TLS certificate not accepted"
	case errors.As(err, &rec):
		return "TLS handshake failed"
	}
	return "connection failed"
}

func (w *Worker) logAttempt(wh juta.Webhook, ev juta.Event, deliveryID int64, res result, kind string) {
	level, attrs := slog.LevelDebug, []any{
		"webhook_id", wh.ID, "user_id", wh.UserID, "cursor", ev.Cursor, "delivery_id", deliveryID,
		"event_type", ev.Type, "kind", kind, "status", res.status,
	}
	if !res.ok() {
		level = slog.LevelInfo
		attrs = append(attrs, "error", res.failure(ev, deliveryID).Error)
	}
	w.log.Log(context.Background(), level, "webhook attempt", attrs...)
}
