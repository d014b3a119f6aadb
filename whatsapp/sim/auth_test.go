package sim

import (
	"bytes"
	"context"
	"net/http"
	"os"
	"regexp"
	"strings"
	"testing"

	juta "github.com/juta-app/juta"
)

// With a token, every route of the phone API that changes state (each POST
// route the mux serves, read from its source so that a new one cannot be
// left out, and the devices' upload) refuses a request without it, or with
// another, as a 401 unauthorized problem, before it does anything; reads
// stay open, the token lets requests through, and a device of a provider
// given the token uploads and sends a file while one without it cannot.
func TestStateChangingRoutesNeedTheToken(t *testing.T) {
	t.Parallel()
	s, addr := mustRunServer(t, Options{Token: "sim-secret"})
	src, err := os.ReadFile("phoneapi.go")
	if err != nil {
		t.Fatal(err)
	}
	var posts []string
	for _, m := range regexp.MustCompile(`mux\.Handle\("(/sim/[^"]+)", route\(http\.MethodPost`).FindAllStringSubmatch(string(src), -1) {
		p := strings.ReplaceAll(m[1], "{phone}", "%2B60111111111")
		posts = append(posts, strings.ReplaceAll(p, "{group}", "120363025246125486@g.us"))
	}
	if len(posts) < 8 {
		t.Fatalf("found %d POST routes in phoneapi.go", len(posts))
	}
	posts = append(posts, uploadPath)
	for _, p := range posts {
		for _, auth := range []string{"", "Bearer wrong", "sim-secret"} {
			status, _, problem := callAuth(t, addr, http.MethodPost, p, `{"to":"+60122222222","text":"hi"}`, auth)
			if status != http.StatusUnauthorized || problem["code"] != juta.EUNAUTHORIZED {
				t.Errorf("POST %s with %q: %d %v", p, auth, status, problem)
			}
		}
	}
	if st := s.Stats(); st.Queued+st.Delivered != 0 {
		t.Errorf("refused requests changed the network: %+v", st)
	}
	for _, p := range []string{"/sim/stats", "/sim/devices", "/sim/phones/%2B60111111111/inbox"} {
		if status, _, _ := callAuth(t, addr, http.MethodGet, p, "", ""); status != http.StatusOK {
			t.Errorf("GET %s without the token: %d", p, status)
		}
	}
	if status, _, body := callAuth(t, addr, http.MethodPost, "/sim/phones/%2B60111111111/messages",
		`{"to":"+60122222222","text":"hi"}`, "Bearer sim-secret"); status != http.StatusOK {
		t.Errorf("a send with the token: %d %v", status, body)
	}

	data := []byte("\xff\xd8\xff a photo")
	for _, token := range []string{"sim-secret", ""} {
		r := newRecorder()
		cl, err := NewProvider(addr).WithToken(token).NewClient(context.Background(), 1, "", r.handle)
		if err != nil {
			t.Fatal(err)
		}
		c := cl.(*Client)
		t.Cleanup(c.Disconnect)
		mustConnect(t, c)
		if _, err := s.ScanQR("+60133333333", waitCount[juta.WAQR](t, r, 1)[0].Code); err != nil {
			t.Fatalf("scan: %v", err)
		}
		waitCount[juta.WAConnected](t, r, 1)
		photo := juta.WAOutgoing{Content: juta.Content{Kind: juta.KindImage, MIME: "image/jpeg", Size: int64(len(data))}, File: bytes.NewReader(data)}
		_, err = c.SendMessage(context.Background(), "+60122222222", photo, "")
		if (err == nil) != (token != "") {
			t.Errorf("a device uploading with token %q: %v", token, err)
		}
	}
}

// callAuth is call with an Authorization header ("" for none).
func callAuth(t testing.TB, addr, method, path, body, auth string) (int, http.Header, map[string]any) {
	t.Helper()
	if auth == "" {
		return call(t, addr, method, path, body)
	}
	return callWith(t, addr, method, path, body, map[string]string{"Authorization": auth})
}
