package api

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/juta-app/juta"
)

// TestOpenAPIMatchesHandlers calls every operation of the document as its
// owner would, with the documented example body, and checks the documented
// success status and that the body validates against the documented schema
// (every member the handler sends is in the document, every required one is
// there, with its type). Reads go first, deletes last.
func TestOpenAPIMatchesHandlers(t *testing.T) {
	t.Parallel()
	f := newTenantFixture(t)
	e := f.e
	e.srv.SetReady(true)
	e.srv.deps.App.Assistant = fixedAssistant{}
	adminUser := e.mustCreate(t, "+60135551111", juta.RoleAdmin)
	spare := e.mustSession(t, e.alice.id, "spare")
	qr := e.mustSession(t, e.alice.id, "linking")
	e.rt.mu.Lock()
	s := e.rt.sessions[qr.ID]
	s.State = juta.StateQR
	e.rt.sessions[qr.ID] = s
	e.rt.qr[qr.ID] = juta.QRCode{Code: "2@linking", ExpiresAt: time.Now().Add(time.Minute)}
	e.rt.mu.Unlock()
	// Two logins of alice: one keeps its family through the password change
	// (it makes the change), the other's refresh token is revoked by it.
	keep, other := e.mustLogin(t, e.alice.phone, testPassword), e.mustLogin(t, e.alice.phone, testPassword)
	// The change ends every other login's access tokens too: alice acts
	// through the login that survives it.
	f.alice = bearerHeader(keep.Token)

	res := e.do(t, http.MethodGet, "/api/openapi.json", nil, "")
	var root map[string]any
	if err := json.Unmarshal(res.body, &root); err != nil {
		t.Fatal(err)
	}
	ops := fetchDoc(t, e.testEnv).ops()
	sort.SliceStable(ops, func(i, j int) bool { return methodRank(ops[i].method) < methodRank(ops[j].method) })

	for _, o := range ops {
		if o.path == "/api/ws" || mounted(o.path) {
			continue // a WebSocket upgrade, its frames checked below; /metrics is the wiring's
		}
		ids := map[string]int64{}
		for k, v := range f.ids {
			ids[k] = v
		}
		ids["users"] = int64(e.bob.id) // the administrator disables bob, not the caller
		switch o.String() {
		case "POST /api/sessions/{id}/logout", "POST /api/sessions/{id}/stop", "POST /api/sessions/{id}/start",
			"DELETE /api/sessions/{id}":
			ids["sessions"] = int64(spare.ID)
		case "GET /api/sessions/{id}/qr":
			ids["sessions"] = int64(qr.ID)
		case "DELETE /api/me/logins/{id}":
			// Earlier operations ended alice's other logins: start one to end.
			rt, err := e.db.CreateRefreshToken(context.Background(), e.alice.id, make([]byte, 32), time.Now().Add(time.Hour))
			if err != nil {
				t.Fatal(err)
			}
			ids["logins"] = rt.FamilyID
		}
		headers, reqBody := f.alice, body(t, o)
		switch {
		case strings.HasPrefix(o.path, "/api/admin/"):
			headers = bearerHeader(adminUser.token)
		case o.String() == "POST /api/auth/password":
			headers = bearerHeader(keep.Token)
		case o.String() == "POST /api/auth/register":
			reqBody = `{"phoneNumber":"+60135552222","password":"` + testPassword + `"}`
		case o.String() == "POST /api/auth/refresh":
			reqBody = refreshBody(keep.RefreshToken)
		case o.String() == "POST /api/auth/logout":
			reqBody = refreshBody(other.RefreshToken)
		case o.String() == "PUT /api/sessions/{id}/uploads/{uploadId}":
			headers = map[string]string{"Content-Range": partRange}
			for k, v := range f.alice {
				headers[k] = v
			}
		}
		t.Run(o.String(), func(t *testing.T) {
			res := e.do(t, o.method, f.url(t, o, ids), headers, reqBody)
			code, schema := o.successSchema()
			if strconv.Itoa(res.status) != code {
				t.Fatalf("status %d, the document says %s; body: %s", res.status, code, res.body)
			}
			if schema == nil {
				return
			}
			for _, msg := range validateBody(root, schema, res.body) {
				t.Error(msg)
			}
		})
	}
	checkFrameSchema(t, f, root)
}

func methodRank(m string) int {
	switch m {
	case http.MethodGet:
		return 0
	case http.MethodDelete:
		return 2
	}
	return 1
}

// checkFrameSchema reads one WebSocket frame and validates it against the
// message schema the document gives /api/ws.
func checkFrameSchema(t *testing.T, f *tenantFixture, root map[string]any) {
	t.Helper()
	addr := f.e.serve(t)
	conn := mustDialWS(t, addr, "?after=0&ticket="+f.e.mustTicket(t, f.alice), nil)
	m, _ := json.Marshal(juta.Message{ID: 7, SessionID: f.aliceSession.ID, Chat: "+60111111111", Sender: "+60111111111",
		WAID: "w1", Text: "hi", SentAt: time.Now(), StoredAt: time.Now()})
	f.e.rt.publish(f.e.alice.id, f.aliceSession.ID, juta.EventMessage, string(m))
	_ = conn.SetReadDeadline(time.Now().Add(10 * time.Second))
	_, msg, err := conn.ReadMessage()
	if err != nil {
		t.Fatalf("read frame: %v", err)
	}
	paths, _ := root["paths"].(map[string]any)
	item, _ := paths["/api/ws"].(map[string]any)
	get, _ := item["get"].(map[string]any)
	resps, _ := get["responses"].(map[string]any)
	r101, _ := resps["101"].(map[string]any)
	schema, _ := r101["x-websocket-message"].(map[string]any)
	if schema == nil {
		t.Fatal("/api/ws documents no frame schema")
	}
	for _, m := range validateBody(root, schema, msg) {
		t.Errorf("frame: %s", m)
	}
}

// fixedAssistant answers every question the same way.
type fixedAssistant struct{}

func (fixedAssistant) Answer(_ context.Context, _ juta.UserID, q string) (juta.Answer, error) {
	return juta.Answer{Text: fmt.Sprintf("%d characters asked", len(q)), Intent: "unknown"}, nil
}
