package api

import (
	"context"
	"testing"

	"github.com/juta-app/juta"
)

// When the runtime ends the owner's stream (its actor moved or passivated,
// or the stream fell behind), the node resumes it from the last cursor it
// saw: a grantee's socket gets what was published meanwhile, once, in order.
func TestSharedOwnerStreamResumesFromItsLastCursor(t *testing.T) {
	t.Parallel()
	e := newShareEnv(t)
	if _, _, err := e.db.ShareSession(context.Background(), e.alice.id, e.shop.ID, e.bob.phone, juta.ShareViewer); err != nil {
		t.Fatal(err)
	}
	addr := e.serve(t)
	conn := mustDialWS(t, addr, "?ticket="+e.mustTicket(t, bearerHeader(e.bob.token)), nil)
	eventually(t, "the socket following the shop", func() bool { return e.srv.stream.Followers(e.alice.id) == 1 })
	eventually(t, "the owner's stream", func() bool { return e.rt.liveSubscriptions(e.alice.id) == 1 })
	e.rt.publish(e.alice.id, e.shop.ID, juta.EventMessage, `{"n":1}`)
	if f := readFrame(t, conn); string(f.Data) != `{"n":1}` {
		t.Fatalf("frame %+v, want n 1", f)
	}
	e.rt.endSubscriptions(e.alice.id)
	e.rt.publish(e.alice.id, e.shop.ID, juta.EventMessage, `{"n":2}`) // while the stream is down, or just after
	eventually(t, "the owner's stream resumed", func() bool { return e.rt.liveSubscriptions(e.alice.id) == 1 })
	e.rt.publish(e.alice.id, e.shop.ID, juta.EventMessage, `{"n":3}`)
	for _, want := range []string{`{"n":2}`, `{"n":3}`} {
		if f := readFrame(t, conn); string(f.Data) != want {
			t.Fatalf("frame %+v, want %s", f, want)
		}
	}
}
