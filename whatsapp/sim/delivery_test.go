package sim

import (
	"context"
	"fmt"
	"strings"
	"sync/atomic"
	"testing"

	juta "github.com/juta-app/juta"
)

const (
	alice = "+60111111111" // owner of the linked devices
	bob   = "+60122222222" // a contact
)

func texts(msgs []juta.WAIncoming) []string {
	out := make([]string, len(msgs))
	for i, m := range msgs {
		out[i] = m.Text
	}
	return out
}

func TestOfflineQueueRedeliveredInOrder(t *testing.T) {
	s, addr := mustRunServer(t, Options{})
	c, _ := linkDevice(t, s, addr, alice)
	jid := c.DeviceJID()
	c.Disconnect()
	eventually(t, "device offline", func() bool { return s.Stats().Connections == 0 })

	var want []string
	for i := range 5 {
		want = append(want, fmt.Sprintf("m%d", i))
		sendFrom(t, s, bob, alice, want[i])
	}
	if q := s.Stats().Queued; q != 5 {
		t.Fatalf("queued = %d, want 5", q)
	}
	_, r := reconnect(t, addr, jid)
	msgs := waitCount[juta.WAIncoming](t, r, 5)
	if fmt.Sprint(texts(msgs)) != fmt.Sprint(want) {
		t.Fatalf("order %v, want %v", texts(msgs), want)
	}
	for _, m := range msgs {
		if m.Chat != bob || m.Sender != bob || m.FromMe || m.WAID == "" || m.SentAt.IsZero() {
			t.Fatalf("bad message %+v", m)
		}
	}
	evs := r.snapshot()
	if _, ok := evs[0].(juta.WAConnected); !ok {
		t.Fatalf("first event %T, want WAConnected", evs[0])
	}
	eventually(t, "all acked", func() bool { st := s.Stats(); return st.Queued == 0 && st.Delivered == 5 })
	if st := s.Stats(); st.Redelivered != 0 || st.Duplicates != 0 {
		t.Fatalf("stats %+v", st)
	}
}

func TestUnackedMessageRedelivered(t *testing.T) {
	s, addr := mustRunServer(t, Options{})
	c, r := linkDevice(t, s, addr, alice)
	jid := c.DeviceJID()
	r.setAccept(func(juta.WAIncoming) bool { return false }) // storing fails
	id := sendFrom(t, s, bob, alice, "first")
	sendFrom(t, s, bob, alice, "second")
	waitCount[juta.WAIncoming](t, r, 2)
	c.Disconnect()
	eventually(t, "device offline", func() bool { return s.Stats().Connections == 0 })
	if st := s.Stats(); st.Queued != 2 || st.Delivered != 0 {
		t.Fatalf("after nack: %+v", st)
	}

	_, r2 := reconnect(t, addr, jid)
	msgs := waitCount[juta.WAIncoming](t, r2, 2)
	if msgs[0].WAID != id || fmt.Sprint(texts(msgs)) != "[first second]" {
		t.Fatalf("redelivered %v (first id %s), want first then second with id %s", texts(msgs), msgs[0].WAID, id)
	}
	eventually(t, "acked", func() bool { st := s.Stats(); return st.Delivered == 2 && st.Queued == 0 })
	if st := s.Stats(); st.Redelivered != 2 {
		t.Fatalf("redelivered = %d, want 2", st.Redelivered)
	}
}

func TestDroppedConnectionBeforeAckRedelivers(t *testing.T) {
	s, addr := mustRunServer(t, Options{})
	c, r := linkDevice(t, s, addr, alice)
	jid := c.DeviceJID()
	// The handler drops the connection while "storing", so no ack is sent.
	r.setAccept(func(juta.WAIncoming) bool { c.Disconnect(); return true })
	sendFrom(t, s, bob, alice, "hello")
	waitCount[juta.WAIncoming](t, r, 1)
	eventually(t, "device offline", func() bool { return s.Stats().Connections == 0 })

	_, r2 := reconnect(t, addr, jid)
	if m := waitCount[juta.WAIncoming](t, r2, 1)[0]; m.Text != "hello" {
		t.Fatalf("got %q", m.Text)
	}
	eventually(t, "acked", func() bool { return s.Stats().Delivered == 1 })
}

func TestDuplicateDeliveryAtRateOne(t *testing.T) {
	s, addr := mustRunServer(t, Options{DuplicateRate: 1, Seed: 7})
	_, r := linkDevice(t, s, addr, alice)
	id := sendFrom(t, s, bob, alice, "once")
	msgs := waitCount[juta.WAIncoming](t, r, 2)
	if msgs[0].WAID != id || msgs[1].WAID != id {
		t.Fatalf("ids %s %s, want both %s", msgs[0].WAID, msgs[1].WAID, id)
	}
	eventually(t, "stats", func() bool { st := s.Stats(); return st.Duplicates == 1 && st.Delivered == 1 })
}

func TestNoDuplicatesAtRateZero(t *testing.T) {
	s, addr := mustRunServer(t, Options{})
	_, r := linkDevice(t, s, addr, alice)
	for i := range 20 {
		sendFrom(t, s, bob, alice, fmt.Sprint(i))
	}
	waitCount[juta.WAIncoming](t, r, 20)
	eventually(t, "acked", func() bool { return s.Stats().Delivered == 20 })
	if n := len(ofType[juta.WAIncoming](r.snapshot())); n != 20 || s.Stats().Duplicates != 0 {
		t.Fatalf("got %d messages, stats %+v", n, s.Stats())
	}
}

func TestSendTextReachesInboxAndDevices(t *testing.T) {
	s, addr := mustRunServer(t, Options{})
	a1, _ := linkDevice(t, s, addr, alice)
	_, a2 := linkDevice(t, s, addr, alice)
	_, b1 := linkDevice(t, s, addr, bob)
	ctx := context.Background()

	id, sentAt, err := a1.SendText(ctx, bob, "hi bob", "")
	if err != nil {
		t.Fatal(err)
	}
	if id == "" || sentAt.IsZero() {
		t.Fatalf("id %q sentAt %v", id, sentAt)
	}
	in := waitCount[juta.WAIncoming](t, b1, 1)[0]
	if in.WAID != id || in.Chat != alice || in.Sender != alice || in.FromMe || in.Text != "hi bob" {
		t.Fatalf("bob's device got %+v", in)
	}
	own := waitCount[juta.WAIncoming](t, a2, 1)[0]
	if own.WAID != id || own.Chat != bob || !own.FromMe {
		t.Fatalf("alice's other device got %+v", own)
	}
	inbox := s.Inbox(bob)
	if len(inbox) != 1 || inbox[0].From != alice || inbox[0].Text != "hi bob" || inbox[0].ID != id {
		t.Fatalf("bob's inbox %+v", inbox)
	}
	// A JID recipient works too; a bad one and an empty text do not.
	if _, _, err := a1.SendText(ctx, "60122222222@s.whatsapp.net", "again", ""); err != nil {
		t.Fatal(err)
	}
	if _, _, err := a1.SendText(ctx, "bob", "x", ""); juta.ErrorCode(err) != juta.EINVALID {
		t.Fatalf("bad recipient: %v", err)
	}
	if _, _, err := a1.SendText(ctx, bob, "", ""); juta.ErrorCode(err) != juta.EINVALID {
		t.Fatalf("empty text: %v", err)
	}
	if _, _, err := a1.SendText(ctx, bob, strings.Repeat("a", maxText+1), ""); juta.ErrorCode(err) != juta.ETOOLARGE {
		t.Fatalf("long text: %v", err)
	}
}

func TestHandlerMayCallClient(t *testing.T) {
	s, addr := mustRunServer(t, Options{})
	c, r := linkDevice(t, s, addr, alice)
	var replied atomic.Int32
	r.setAccept(func(in juta.WAIncoming) bool {
		// An auto-reply from inside the handler must not deadlock the reader.
		if _, _, err := c.SendText(context.Background(), in.Chat, "auto reply", ""); err == nil {
			replied.Add(1)
		}
		return true
	})
	sendFrom(t, s, bob, alice, "ping")
	eventually(t, "reply sent", func() bool { return replied.Load() == 1 })
	if inbox := s.Inbox(bob); len(inbox) != 1 || inbox[0].Text != "auto reply" {
		t.Fatalf("bob's inbox %+v", inbox)
	}
}

func TestSendWhenNotConnected(t *testing.T) {
	_, addr := mustRunServer(t, Options{})
	r := newRecorder()
	c := newClient(t, addr, "", r)
	if _, _, err := c.SendText(context.Background(), bob, "x", ""); juta.ErrorCode(err) != juta.ESTATE {
		t.Fatalf("send before connect: %v", err)
	}
	mustConnect(t, c)
	if _, _, err := c.SendText(context.Background(), bob, "x", ""); juta.ErrorCode(err) != juta.ESTATE {
		t.Fatalf("send while linking: %v", err)
	}
	if err := c.Logout(context.Background()); juta.ErrorCode(err) != juta.ESTATE {
		t.Fatalf("logout while linking: %v", err)
	}
}

func TestSendTextUnderRepeatedIDDeliversOnce(t *testing.T) {
	s, addr := mustRunServer(t, Options{})
	a1, _ := linkDevice(t, s, addr, alice)
	_, b1 := linkDevice(t, s, addr, bob)
	ctx := context.Background()

	const chosen = "3EB0AABBCCDDEEFF00112233445566778899"
	id, sentAt, err := a1.SendText(ctx, bob, "only once", chosen)
	if err != nil || id != chosen {
		t.Fatalf("first send: id %q, %v", id, err)
	}
	again, againAt, err := a1.SendText(ctx, bob, "only once", chosen)
	if err != nil || again != id || !againAt.Equal(sentAt) {
		t.Fatalf("repeat answered %q at %v (%v), want %q at %v", again, againAt, err, id, sentAt)
	}
	// A later message on the same link arrives after any second copy would.
	next, _, err := a1.SendText(ctx, bob, "next", "")
	if err != nil || next == id {
		t.Fatalf("next send: id %q, %v", next, err)
	}
	got := waitCount[juta.WAIncoming](t, b1, 2)
	if got[0].WAID != id || got[1].WAID != next {
		t.Fatalf("bob's device got %+v", got)
	}
	if inbox := s.Inbox(bob); len(inbox) != 2 || inbox[0].ID != id || inbox[1].ID != next {
		t.Fatalf("bob's inbox %+v", inbox)
	}
	if _, _, err := a1.SendText(ctx, bob, "x", "not an id!"); juta.ErrorCode(err) != juta.EINVALID {
		t.Fatalf("bad id: %v", err)
	}
}
