package api

import (
	"reflect"

	"github.com/juta-app/juta"
)

// The data of each event type, for the document: WebSocket and webhook
// consumers get one schema per type, selected by "type" (a discriminated
// union). The contract tests validate real events against them.

type sessionDeletedData struct {
	ID juta.SessionID `json:"id"`
}

// eventVariant is one member of the union: the event types it covers, the
// schema name and the Go type of its data.
type eventVariant struct {
	name  string
	types []string
	data  reflect.Type
}

var eventVariants = []eventVariant{
	{"SessionStateEvent", []string{juta.EventSessionState}, typeOf[juta.Session]()},
	{"SessionQREvent", []string{juta.EventSessionQR}, typeOf[juta.QRNotice]()},
	{"SessionDeletedEvent", []string{juta.EventSessionGone}, typeOf[sessionDeletedData]()},
	{"MessageEvent", []string{juta.EventMessage, juta.EventMessageEdited, juta.EventMessageDeleted,
		juta.EventMessageReaction, juta.EventMessageStatus, juta.EventMessageTranscribed}, typeOf[juta.Message]()},
	{"ActionEvent", []string{juta.EventActionCreated, juta.EventActionUpdated, juta.EventActionDue}, typeOf[juta.Action]()},
	{"ShareEvent", []string{juta.EventShareGranted, juta.EventShareRevoked}, typeOf[juta.ShareNotice]()},
	{"ChatUpdatedEvent", []string{juta.EventChatUpdated}, typeOf[juta.ChatUpdate]()},
}

// eventUnion replaces the generic Event component (whose data is any JSON)
// with a union of one schema per event type, discriminated by "type".
func eventUnion(g *schemaGen) {
	envelope, _ := g.defs["Event"].(map[string]any)
	if envelope == nil {
		return
	}
	props := envelope["properties"].(map[string]any)
	var refs []any
	mapping := map[string]any{}
	for _, v := range eventVariants {
		own := map[string]any{}
		for k, p := range props {
			own[k] = p
		}
		typeSchema := map[string]any{"type": "string", "enum": v.types}
		own["type"] = typeSchema
		own["data"] = g.ref(v.data)
		g.defs[v.name] = map[string]any{
			"type": "object", "properties": own, "required": envelope["required"],
			"additionalProperties": false,
		}
		ref := "#/components/schemas/" + v.name
		refs = append(refs, map[string]any{"$ref": ref})
		for _, t := range v.types {
			mapping[t] = ref
		}
	}
	g.defs["Event"] = map[string]any{
		"description":   "One event of the caller's log, as the WebSocket sends it and GET /api/events lists it; a webhook body has the same `type` and `data` (with the delivery `id`). `type` selects the schema of `data`.",
		"oneOf":         refs,
		"discriminator": map[string]any{"propertyName": "type", "mapping": mapping},
	}
}

// metricsPath documents /metrics, which the wiring mounts beside the API.
func metricsPath() map[string]any {
	return map[string]any{"get": map[string]any{
		"operationId": "getMetrics",
		"summary":     "Prometheus metrics",
		"description": "Text exposition format. When the node has JUTA_METRICS_TOKEN, it requires `Authorization: Bearer <token>`; otherwise it is open.",
		"tags":        []string{"metrics"},
		"security":    []any{map[string]any{}, map[string]any{"metricsToken": []string{}}},
		"responses": map[string]any{
			"200": map[string]any{"description": "OK", "headers": commonHeaders(),
				"content": map[string]any{"text/plain": map[string]any{"schema": str()}}},
			"401": map[string]any{"$ref": "#/components/responses/Problem",
				"description": "a token is configured and this one is missing or wrong"},
			"405":     map[string]any{"$ref": "#/components/responses/Problem", "description": "Method Not Allowed"},
			"default": map[string]any{"$ref": "#/components/responses/Problem"},
		},
	}}
}

// commonHeaders are the response headers every answer of the API carries.
func commonHeaders() map[string]any {
	return map[string]any{"X-Request-Id": map[string]any{"$ref": "#/components/headers/X-Request-Id"}}
}

func componentHeaders() map[string]any {
	return map[string]any{
		"X-Request-Id": map[string]any{
			"description": "the caller's X-Request-Id when short and plain, else one the server made; it is in the server's log lines",
			"schema":      str(),
		},
		"Retry-After": map[string]any{
			"description": "seconds to wait before trying again",
			"schema":      map[string]any{"type": "integer", "minimum": 0},
		},
		"Idempotent-Replayed": map[string]any{
			"description": "true when the answer is the stored first answer of an earlier request with the same Idempotency-Key",
			"schema":      map[string]any{"type": "string", "enum": []string{"true"}},
		},
	}
}

// tagDocs are the document's top-level tags, one per first path segment.
var tagDocs = map[string]string{
	"health": "liveness and readiness", "openapi": "this document", "docs": "a readable page of this document",
	"auth": "accounts and tokens", "me": "the caller's account and settings", "keys": "API keys",
	"admin": "administrators only", "status": "the caller's sessions at a glance", "sessions": "WhatsApp sessions, their chats and messages",
	"webhooks": "webhook subscriptions and deliveries", "events": "the caller's event log", "ws-ticket": "WebSocket tickets",
	"ws": "the live event stream", "actions": "suggested actions", "chat": "the assistant",
	"shared-sessions": "sessions other users shared with the caller", "metrics": "Prometheus metrics",
}
