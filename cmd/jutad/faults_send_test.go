package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"testing"
	"time"
)

// sendWithKey posts a message through u's session with an Idempotency-Key
// and returns the status.
func (e *faultEnv) sendWithKey(t testing.TB, u *faultUser, key, to, text string) int {
	b, _ := json.Marshal(map[string]string{"to": to, "text": text})
	req, _ := http.NewRequest(http.MethodPost, fmt.Sprintf("%s/api/sessions/%d/messages", e.base(), u.s.ID), bytes.NewReader(b))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+u.c.token)
	req.Header.Set("Idempotency-Key", key)
	res, err := (&http.Client{Timeout: 60 * time.Second}).Do(req)
	if err != nil {
		t.Fatalf("send %s: %v", key, err)
	}
	res.Body.Close()
	return res.StatusCode
}

// inboxCount is how many times text reached phone.
func (e *faultEnv) inboxCount(t testing.TB, phone, text string) int {
	var out struct{ Items []struct{ Text string } }
	if code := call(t, "GET", phoneURL(e.sim.addr, phone, "inbox"), "", nil, &out); code != http.StatusOK {
		t.Fatalf("inbox: %d", code)
	}
	n := 0
	for _, it := range out.Items {
		if it.Text == text {
			n++
		}
	}
	return n
}

// storedCount is how many of u's stored messages of the session hold text.
func (e *faultEnv) storedCount(t testing.TB, u *faultUser, text string) int {
	var out struct{ Items []struct{ Text string } }
	u2 := fmt.Sprintf("%s/api/sessions/%d/messages?q=%s", e.base(), u.s.ID, url.QueryEscape(text))
	if code := call(t, "GET", u2, u.c.token, nil, &out); code != http.StatusOK {
		t.Fatalf("stored messages: %d", code)
	}
	n := 0
	for _, it := range out.Items {
		if it.Text == text {
			n++
		}
	}
	return n
}

// sendsAcrossADroppedLink: a send made while the link is down fails and,
// retried with its key once the session is back, is sent once; a send whose
// answer the drop swallowed (the simulator had sent it) is reported as
// failed, and its retry, sent again under the same WhatsApp id, succeeds
// without a second copy.
func (e *faultEnv) sendsAcrossADroppedLink(t *testing.T) {
	u, to := e.users[0], "+60123479999"
	run := fmt.Sprint(time.Now().UnixNano())
	text := func(k string) string { return "send " + run + " " + k }
	if code := e.sendWithKey(t, u, run+"-a", to, text("a")); code != http.StatusCreated {
		t.Fatalf("send on a healthy link: %d", code)
	}

	e.link.Down()
	eventually(t, 30*time.Second, "session disconnected", func() bool {
		var s session
		return call(t, "GET", fmt.Sprintf("%s/api/sessions/%d", e.base(), u.s.ID), u.c.token, nil, &s) == 200 && s.State != "connected"
	})
	down := e.sendWithKey(t, u, run+"-b", to, text("b"))
	e.link.Up()
	u.c.waitConnected(u.s.ID)

	// An answer lost in flight: the simulator's answer is held back, and the
	// link drops once the message has reached the inbox.
	e.link.SetLatency(3 * time.Second)
	lost := make(chan int, 1)
	go func() { lost <- e.sendWithKey(t, u, run+"-c", to, text("c")) }()
	eventually(t, 30*time.Second, "the held send delivered", func() bool { return e.inboxCount(t, to, text("c")) == 1 })
	e.link.Down()
	e.link.SetLatency(0)
	lostCode := <-lost
	e.link.Up()
	u.c.waitConnected(u.s.ID)

	// The session may report connected before it has seen the drop and
	// reconnected: a 409 (not connected, which releases the key) is retried
	// as a client would.
	final := map[string]int{}
	for _, k := range []string{"a", "b", "c"} {
		eventually(t, 30*time.Second, "send "+k+" once the session is back", func() bool {
			final[k] = e.sendWithKey(t, u, run+"-"+k, to, text(k))
			return final[k] != http.StatusConflict
		})
	}
	t.Logf("link down: %d, retried: %d; answer lost: %d, retried: %d", down, final["b"], lostCode, final["c"])
	if down == http.StatusCreated || lostCode == http.StatusCreated {
		t.Fatalf("a send across the dropped link was reported sent (down %d, lost answer %d)", down, lostCode)
	}
	for _, k := range []string{"a", "b", "c"} {
		n, stored := e.inboxCount(t, to, text(k)), e.storedCount(t, u, text(k))
		if n > 1 || stored > 1 || (final[k] == http.StatusCreated && (n != 1 || stored != 1)) {
			t.Errorf("send %s: answered %d, in the inbox %d times, stored %d times", k, final[k], n, stored)
		}
	}
	if final["a"] != http.StatusCreated || final["b"] != http.StatusCreated || final["c"] != http.StatusCreated {
		t.Errorf("retries: a %d (a replay of the first 201), b %d (sent now), c %d (sent again under its id); want 201 for all",
			final["a"], final["b"], final["c"])
	}
}
