package api

import (
	"fmt"
	"net/http"
	"testing"

	"github.com/juta-app/juta"
)

// Text the store would refuse (a NUL) is refused before anything is sent, on
// every route that sends: a message must never go out unrecorded.
func TestUnstorableTextIsNeverSent(t *testing.T) {
	t.Parallel()
	e := newShareEnv(t)
	alice := bearerHeader(e.alice.token)
	runScenarios(t, e.testEnv, []scenario{
		{name: "send with a NUL", method: http.MethodPost, url: fmt.Sprintf("/api/sessions/%d/messages", e.shop.ID),
			headers: alice, body: `{"to":"+60123456789","text":"pay\u0000now"}`, status: http.StatusBadRequest, code: juta.EINVALID},
		{name: "execute with a NUL", method: http.MethodPost, url: fmt.Sprintf("/api/actions/%d/execute", e.shopAction.ID),
			headers: alice, body: `{"text":"sure\u0000"}`, status: http.StatusBadRequest, code: juta.EINVALID},
		{name: "the action was left as it was", method: http.MethodGet, url: fmt.Sprintf("/api/actions/%d", e.shopAction.ID),
			headers: alice, status: http.StatusOK, contains: []string{`"status":"pending"`}},
	})
	if n := e.send.sends.Load(); n != 0 {
		t.Fatalf("SendText called %d times, want none", n)
	}
}
