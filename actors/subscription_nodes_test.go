package actors

import (
	"testing"

	"github.com/asynkron/protoactor-go/actor"

	juta "github.com/juta-app/juta"
	"github.com/juta-app/juta/actors/msg"
)

// Actor ids are unique within one node only: a subscriber of another node
// with the same id as a local one (and going away at once, as an
// unreachable node's does) neither replaces nor removes the local one.
func TestSubscribersOfTwoNodesWithOneIdAreKeptApart(t *testing.T) {
	h := newHarness(t, Config{})
	uid, phone := h.user(), newPhone()
	h.link(uid, phone)
	sub, err := h.rt.Subscribe(ctxT(), uid, -1)
	if err != nil {
		t.Fatal(err)
	}
	defer sub.Close()
	hub := sub.(*subscription).hub
	hub.mu.Lock()
	id := hub.pid.GetId()
	hub.mu.Unlock()
	other := actor.NewPID("127.0.0.1:1", id) // the same id on a node that cannot be reached
	res, err := h.rt.request(ctxT(), &msg.SubscribeRequest{UserId: int64(uid), Subscriber: other})
	if err != nil || res.(*msg.SubscribeReply).GetError() != nil {
		t.Fatalf("subscribe the other node's subscriber: %v, %v", res, err)
	}
	if _, err := h.sim.SendFromPhone("+60199990071", phone, "still there?"); err != nil {
		t.Fatal(err)
	}
	if ev := next(t, sub, juta.EventMessage); ev.Cursor == 0 {
		t.Fatalf("event without a cursor: %+v", ev)
	}
}
