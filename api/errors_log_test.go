package api

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/juta-app/juta"
)

// A transient, expected 503 (no QR code yet) is answered with Retry-After
// where known and logged below ERROR; ERROR is kept for our own bugs.
func TestUnavailableIsNotLoggedAsAnError(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t)
	s := e.rt.addSession(e.alice.id, "new", juta.StateNew)
	res := e.do(t, http.MethodGet, fmt.Sprintf("/api/sessions/%d/qr", s.ID), bearerHeader(e.alice.token), "")
	checkProblem(t, res, http.StatusServiceUnavailable, juta.EUNAVAILABLE)
	logs := e.logs.String()
	if !strings.Contains(logs, `"msg":"request not served"`) {
		t.Fatalf("the 503 is not logged at all:\n%s", logs)
	}
	for _, line := range strings.Split(logs, "\n") {
		if strings.Contains(line, `"level":"ERROR"`) {
			t.Errorf("logged as an error: %s", line)
		}
	}
}
