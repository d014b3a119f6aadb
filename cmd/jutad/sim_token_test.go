package main

import (
	"bytes"
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/juta-app/juta/persistence/pgtest"
)

// With JUTA_SIM_TOKEN on `jutad sim` and on the node: the simulator's phone
// API refuses a scan without the token (401) and takes it with the token,
// and the node's device uploads the photo the user sends with it.
func TestSimulatorTokenEndToEnd(t *testing.T) {
	dbURL := pgtest.MustURL(t)
	const token = "sim-token-for-tests"
	simAddr := freeAddr(t)
	startProc(t, simAddr, []string{"JUTA_LOG_LEVEL=warn", "JUTA_SIM_TOKEN=" + token}, "sim", "--addr", simAddr, "--duplicate-rate", "0")
	waitHTTP(t, "http://"+simAddr+"/sim/stats")
	srv := startServer(t, dbURL, simAddr, "JUTA_SIM_TOKEN="+token)
	base := "http://" + srv.addr
	ownerPhone, contact := "+60123466001", "+60123466002"
	owner := register(t, base, ownerPhone)
	var s session
	if code := call(t, "POST", base+"/api/sessions", owner.token, map[string]string{"name": "shop"}, &s); code != 201 {
		t.Fatalf("create session: status %d", code)
	}
	var qr struct {
		Code string `json:"qr"`
	}
	eventually(t, 10*time.Second, "a QR code", func() bool {
		return call(t, "GET", fmt.Sprintf("%s/api/sessions/%d/qr", base, s.ID), owner.token, nil, &qr) == 200
	})
	scan := map[string]string{"qr": qr.Code}
	for _, wrong := range []string{"", "not-the-token"} {
		if code := call(t, "POST", phoneURL(simAddr, ownerPhone, "scan"), wrong, scan, nil); code != http.StatusUnauthorized {
			t.Fatalf("scan with %q: status %d", wrong, code)
		}
	}
	if code := call(t, "POST", phoneURL(simAddr, ownerPhone, "scan"), token, scan, nil); code != 200 {
		t.Fatalf("scan with the token: status %d", code)
	}
	owner.waitConnected(s.ID)

	photo := bytes.Repeat([]byte("\x89PNG slip "), 100)
	code, body := owner.form(fmt.Sprintf("/api/sessions/%d/messages", s.ID), "photo-1",
		map[string]string{"to": contact, "caption": "resit"}, "slip.png", "image/png", photo)
	if code != http.StatusCreated {
		t.Fatalf("send photo: status %d, body %s", code, body)
	}
}
