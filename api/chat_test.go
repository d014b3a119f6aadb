package api

import (
	"net/http"
	"testing"

	"github.com/juta-app/juta"
	"github.com/juta-app/juta/ai/assistant"
)

func TestChatScenarios(t *testing.T) {
	e, _, _ := actionsEnv(t)
	alice, bob := bearerHeader(e.alice.token), bearerHeader(e.bob.token)
	runScenarios(t, e, []scenario{
		{name: "not configured", method: http.MethodPost, url: "/api/chat", headers: alice,
			body: `{"message":"what is pending today?"}`, status: 501, code: juta.ENOTIMPL},
	})
	e.srv.deps.App.Assistant = assistant.NewRules(e.db, nil)
	runScenarios(t, e, []scenario{
		{name: "pending today", method: http.MethodPost, url: "/api/chat", headers: alice,
			body: `{"message":"what is pending today?"}`, status: 200,
			contains: []string{`"intent":"pending"`, `Pay RM250.00`}},
		{name: "malay", method: http.MethodPost, url: "/api/chat", headers: alice,
			body: `{"message":"apa yang pending hari ini?"}`, status: 200, contains: []string{`"intent":"pending"`}},
		{name: "bob sees nothing of alice", method: http.MethodPost, url: "/api/chat", headers: bob,
			body: `{"message":"what is pending today?"}`, status: 200, absent: []string{`Pay RM250.00`, `+60111111111`}},
		{name: "empty", method: http.MethodPost, url: "/api/chat", headers: alice, body: `{"message":"  "}`, status: 400, code: juta.EINVALID},
		{name: "unknown field", method: http.MethodPost, url: "/api/chat", headers: alice, body: `{"msg":"hi"}`, status: 400, code: juta.EINVALID},
	})
}
