package api

import (
	"context"
	"encoding/json"
	"net/http"
	"testing"
	"time"

	"github.com/juta-app/juta"
)

// GET /api/stats aggregates the caller's own messages in the zone asked for;
// another user sees none of them, and a bad zone is a 400.
func TestStatsRoute(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t)
	e.srv.deps.Data.Stats = e.db
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	sess, err := e.db.CreateSession(ctx, e.alice.id, "shop")
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now().UTC()
	for i, fromMe := range []bool{false, false, true} {
		m := juta.Message{UserID: e.alice.id, SessionID: sess.ID, Chat: "+60111111111", Sender: "+60111111111",
			WAID: "w" + string(rune('a'+i)), Text: "hi", FromMe: fromMe, SentAt: now.Add(time.Duration(i-3) * time.Minute)}
		if _, _, _, err := e.db.StoreMessage(ctx, m); err != nil {
			t.Fatal(err)
		}
	}
	get := func(token, query string) juta.Stats {
		t.Helper()
		res := e.do(t, http.MethodGet, "/api/stats"+query, bearerHeader(token), "")
		if res.status != http.StatusOK {
			t.Fatalf("status %d: %s", res.status, res.body)
		}
		var st juta.Stats
		if err := json.Unmarshal(res.body, &st); err != nil {
			t.Fatal(err)
		}
		return st
	}
	sum := func(st juta.Stats) (in, out int64) {
		for _, b := range st.Days {
			in, out = in+b.In, out+b.Out
		}
		return in, out
	}
	st := get(e.alice.token, "?tz=Asia/Kuala_Lumpur")
	if in, out := sum(st); st.TimeZone != "Asia/Kuala_Lumpur" || in != 2 || out != 1 || st.ReplyTime.Replies != 1 {
		t.Errorf("alice: zone %q, %d in, %d out, %d replies; want 2 in, 1 out, 1 reply", st.TimeZone, in, out, st.ReplyTime.Replies)
	}
	if in, out := sum(get(e.bob.token, "")); in != 0 || out != 0 {
		t.Errorf("bob sees %d in, %d out of alice's messages", in, out)
	}
	runScenarios(t, e, []scenario{
		{name: "unknown zone", method: http.MethodGet, url: "/api/stats?tz=Mars/Olympus", headers: bearerHeader(e.alice.token), status: http.StatusBadRequest, code: juta.EINVALID},
		{name: "server zone refused", method: http.MethodGet, url: "/api/stats?tz=Local", headers: bearerHeader(e.alice.token), status: http.StatusBadRequest, code: juta.EINVALID},
		{name: "no token", method: http.MethodGet, url: "/api/stats", status: http.StatusUnauthorized, code: juta.EUNAUTHORIZED},
	})
}

// Without a stats store the route answers 503.
func TestStatsUnavailable(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t)
	res := e.do(t, http.MethodGet, "/api/stats", bearerHeader(e.alice.token), "")
	scenario{status: http.StatusServiceUnavailable, code: juta.EUNAVAILABLE}.check(t, res)
}
