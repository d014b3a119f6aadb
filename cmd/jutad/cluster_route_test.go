//go:build cluster

package main

import (
	"fmt"
	"testing"
	"time"
)

// otherNode returns a node of e other than name.
func (e *clusterEnv) otherNode(name string) string {
	for n := range e.nodes {
		if n != name {
			return n
		}
	}
	e.t.Fatalf("no node besides %s", name)
	return ""
}

// waitOwner waits until sid's user is held by a node and returns it.
func (e *clusterEnv) waitOwner(sid int64) string {
	e.t.Helper()
	var node string
	eventually(e.t, 20*time.Second, fmt.Sprintf("session %d's user placed", sid), func() bool {
		node = e.owner(sid)
		return node != ""
	})
	return node
}

// Requests on a node that does not hold the user are answered by the node
// that does, over protoactor remote: a session is created, shows its QR
// code, is linked, lists, sends and is renamed, each through the other node,
// and the user never leaves its holder.
func TestClusterRequestsOnAnyNode(t *testing.T) {
	e := newClusterEnv(t, 2, 0)
	const phone = "+60123580001"
	first := register(t, "http://"+e.nodes["node-0"].addr, phone)
	var s session
	if code := call(t, "POST", first.base+"/api/sessions", first.token, map[string]string{"name": "shop"}, &s); code != 201 {
		t.Fatalf("create session on node-0: status %d", code)
	}
	owner := e.waitOwner(s.ID)
	other := e.otherNode(owner)
	c := &client{t: t, base: "http://" + e.nodes[other].addr, token: first.token}
	t.Logf("user held by %s, requests on %s", owner, other)

	var qr struct {
		Code string `json:"qr"`
	}
	eventually(t, 10*time.Second, "a QR code through the other node", func() bool {
		return call(t, "GET", fmt.Sprintf("%s/api/sessions/%d/qr", c.base, s.ID), c.token, nil, &qr) == 200
	})
	if code := call(t, "POST", phoneURL(e.sim.addr, phone, "scan"), "", map[string]string{"qr": qr.Code}, nil); code != 200 {
		t.Fatalf("scan: status %d", code)
	}
	c.waitConnected(s.ID)

	var list struct{ Items []session }
	if code := call(t, "GET", c.base+"/api/sessions", c.token, nil, &list); code != 200 || len(list.Items) != 1 ||
		list.Items[0].State != "connected" {
		t.Fatalf("list through %s: status %d, %+v", other, code, list)
	}
	if code, body := c.sendAs(s.ID, "", map[string]string{"to": "+60123580002", "text": "hello from the other node"}); code != 201 {
		t.Fatalf("send through %s: status %d: %s", other, code, body)
	}
	var renamed struct{ Name string }
	if code := call(t, "PATCH", fmt.Sprintf("%s/api/sessions/%d", c.base, s.ID), c.token,
		map[string]string{"name": "kedai"}, &renamed); code != 200 || renamed.Name != "kedai" {
		t.Fatalf("rename through %s: status %d, %+v", other, code, renamed)
	}
	var second session
	if code := call(t, "POST", c.base+"/api/sessions", c.token, map[string]string{"name": "two"}, &second); code != 201 {
		t.Fatalf("create a second session through %s: status %d", other, code)
	}
	if now := e.owner(s.ID); now != owner {
		t.Fatalf("the user moved from %s to %q", owner, now)
	}
}
