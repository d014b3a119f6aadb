package whatsapp

import (
	"context"
	"testing"
	"time"

	"go.mau.fi/whatsmeow"
	"go.mau.fi/whatsmeow/types"
	"go.mau.fi/whatsmeow/types/events"

	"github.com/juta-app/juta"
)

var sixCodes = []string{"qr-1", "qr-2", "qr-3", "qr-4", "qr-5", "qr-6"}

// startQR sets up an attempt on an unpaired device as Connect does, then
// feeds whatsmeow the QR event a server would trigger. The codes travel
// through whatsmeow's real QR channel.
func startQR(t *testing.T) (*Client, *recorder, *attempt) {
	t.Helper()
	p := mustProvider(t)
	rec := &recorder{}
	c := mustClient(t, p, "", rec.handle)
	a, err := c.begin(context.Background())
	if err != nil {
		t.Fatalf("begin: %v", err)
	}
	before := time.Now()
	dispatch(c, &events.QR{Codes: sixCodes})
	evs := rec.waitEvents(t, 1)
	qr, ok := evs[0].(juta.WAQR)
	if !ok || qr.Code != "qr-1" {
		t.Fatalf("first event %#v, want WAQR qr-1", evs[0])
	}
	// The first code of an attempt lives 60 s.
	if qr.ExpiresAt.Before(before.Add(60 * time.Second)) {
		t.Fatalf("first code expires at %v, want at least 60 s after %v", qr.ExpiresAt, before)
	}
	select {
	case <-a.outcome:
	default:
		t.Fatal("the first QR code did not settle the attempt")
	}
	return c, rec, a
}

func TestQRThenPaired(t *testing.T) {
	c, rec, a := startQR(t)
	device := types.NewADJID("60123456789", 0, 3)
	dispatch(c, &events.PairSuccess{ID: device})
	waitClosed(t, a.qrDone, "QR forwarder after pairing")
	evs := rec.snapshot()
	want := juta.WAPaired{DeviceJID: device.String(), Phone: "+60123456789"}
	if len(evs) != 2 || evs[1] != want {
		t.Fatalf("events %#v, want WAQR then %#v", evs, want)
	}
	if c.DeviceJID() != device.String() {
		t.Fatalf("DeviceJID = %q", c.DeviceJID())
	}
}

func TestQRDroppedConnectionIsNotATimeout(t *testing.T) {
	c, rec, a := startQR(t)
	dispatch(c, &events.Disconnected{})
	waitClosed(t, a.qrDone, "QR forwarder after a dropped connection")
	evs := rec.snapshot()
	if len(evs) != 2 {
		t.Fatalf("events %#v, want WAQR then WADisconnected only", evs)
	}
	if _, ok := evs[1].(juta.WADisconnected); !ok {
		t.Fatalf("second event %#v, want WADisconnected", evs[1])
	}
}

func TestQRStopsAtDisconnect(t *testing.T) {
	c, rec, a := startQR(t)
	c.Disconnect()
	waitClosed(t, a.qrDone, "QR forwarder after Disconnect")
	if n := len(rec.snapshot()); n != 1 {
		t.Fatalf("events after Disconnect: %#v", rec.snapshot())
	}
}

// The six codes take 160 s to run out, so the channel's last word is fed
// to the forwarder directly.
func TestQRCodesRunOut(t *testing.T) {
	p := mustProvider(t)
	rec := &recorder{}
	c := mustClient(t, p, "", rec.handle)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	a := &attempt{ctx: ctx, cancel: cancel, outcome: make(chan struct{}), qrDone: make(chan struct{})}
	ch := make(chan whatsmeow.QRChannelItem, 2)
	ch <- whatsmeow.QRChannelItem{Event: whatsmeow.QRChannelEventCode, Code: "last", Timeout: 20 * time.Second}
	ch <- whatsmeow.QRChannelTimeout
	close(ch)
	c.forwardQR(a, ch)
	evs := rec.snapshot()
	if len(evs) != 2 {
		t.Fatalf("events %#v, want WAQR then WAFailed", evs)
	}
	if f, ok := evs[1].(juta.WAFailed); !ok || f.Reason != juta.ReasonQRTimeout {
		t.Fatalf("second event %#v, want WAFailed{%s}", evs[1], juta.ReasonQRTimeout)
	}
}

func waitClosed(t *testing.T, ch <-chan struct{}, what string) {
	t.Helper()
	select {
	case <-ch:
	case <-time.After(10 * time.Second):
		t.Fatalf("%s: still running", what)
	}
}
