package api

import (
	"strings"

	"github.com/gofiber/fiber/v2"

	juta "github.com/juta-app/juta"
	"github.com/juta-app/juta/api/auth"
	"github.com/juta-app/juta/api/stream"
	"github.com/juta-app/juta/app"
)

// access says who may call a route.
type access int

const (
	public   access = iota
	bearer          // Authorization: Bearer <token>
	wsTicket        // the WebSocket: a ticket from POST /api/ws-ticket in ?ticket=, or as bearer; Origin checked
	admin           // an administrator's access token; 404 for everyone else
)

// route is one entry of the routes table. New features add rows here; the
// middleware a row gets follows from its access.
type route struct {
	method string
	path   string
	access access
	handle fiber.Handler
	scope  string // API key scope the route needs (juta.Scope*); "" for public routes
	doc    opDoc  // its OpenAPI operation: a route is served and documented from this one row
}

func (s *Server) routes() []route {
	return []route{
		{fiber.MethodGet, "/healthz", public, s.healthz, "", opDoc{summary: "Liveness", status: 200, resp: typeOf[healthResponse]()}},
		{fiber.MethodGet, "/readyz", public, s.readyz, "", opDoc{summary: "Readiness: 503 unavailable (with Retry-After) while starting, stopping or while PostgreSQL is unreachable", status: 200,
			resp: typeOf[healthResponse](), errors: []int{503}}},
		{fiber.MethodGet, "/api/openapi.json", public, s.openapi, "", opDoc{summary: "This OpenAPI document", status: 200}},
		{fiber.MethodGet, "/api/docs", public, s.docs, "", opDoc{summary: "A readable page of this document (HTML)", status: 200}},

		{fiber.MethodPost, "/api/auth/register", public, s.register, "", opDoc{summary: "Create an account and log in",
			description: "phoneNumber in E.164 (or national form, default region MY); password 8 to 128 characters.",
			body:        typeOf[credentials](), required: []string{"phoneNumber", "password"},
			example: `{"phoneNumber":"+60123456789","password":"correct horse battery"}`,
			status:  201, resp: typeOf[authResponse](), errors: []int{409}}},
		{fiber.MethodPost, "/api/auth/login", public, s.login, "", opDoc{summary: "Log in with phone number and password",
			description: "One generic 401 for any failure; repeated failures lock the number (429 with Retry-After) for every client except one that sends the deviceToken (or juta_device cookie) of an earlier successful login to this number: such a client is counted and locked on its own.",
			body:        typeOf[loginRequest](), required: []string{"phoneNumber", "password"},
			example: `{"phoneNumber":"+60123456789","password":"correct horse battery"}`,
			status:  200, resp: typeOf[authResponse](), errors: []int{401, 403}}},
		{fiber.MethodPost, "/api/auth/refresh", public, s.refresh, "", opDoc{summary: "Trade a refresh token for a new token pair",
			description: "Each refresh token works once; replaying a used one revokes that login's tokens.",
			body:        typeOf[refreshRequest](), required: []string{"refreshToken"},
			example: `{"refreshToken":"…"}`, status: 200, resp: typeOf[authResponse](), errors: []int{401}}},
		{fiber.MethodPost, "/api/auth/logout", public, s.logout, "", opDoc{summary: "Revoke the refresh tokens of one login",
			body: typeOf[refreshRequest](), required: []string{"refreshToken"}, example: `{"refreshToken":"…"}`, status: 204}},
		{fiber.MethodPost, "/api/auth/password", bearer, s.changePassword, "", opDoc{summary: "Change the password (access token only)",
			description: "Revokes every other login's refresh tokens.",
			body:        typeOf[passwordRequest](), required: []string{"currentPassword", "newPassword"},
			example: `{"currentPassword":"correct horse battery","newPassword":"another long password"}`, status: 204,
			tokenOnly: true, errors: []int{403}}},
		{fiber.MethodGet, "/api/me", bearer, s.me, juta.ScopeRead, opDoc{summary: "The caller's account, with its time zone, prayer-time zone and country", status: 200, resp: typeOf[juta.User]()}},
		{fiber.MethodPatch, "/api/me", bearer, s.updateMe, juta.ScopeManage, opDoc{summary: "Change the caller's settings",
			description: "At least one of: timeZone, an IANA zone name (detection reads relative dates (\"esok pukul 3\") in it and the assistant answers in it; a new account starts with the zone of its number's country); prayerZone, a JAKIM e-Solat zone code (WLY01, SBH07, PNG01, ...; default WLY01), where detection computes prayer times (\"lepas asar\"); country, an ISO 3166-1 alpha-2 code (MY, US, CA, ...; a new account starts with its number's country, else MY), whose holidays detection reads (\"Thanksgiving\" is in November in the US, in October in Canada, and no day in Malaysia). All are checked before any is stored; a bad one is a 400 with code invalid.",
			body:        typeOf[meUpdate](), example: zoneExample,
			status: 200, resp: typeOf[juta.User]()}},
		{fiber.MethodGet, "/api/prayer-zones", bearer, s.prayerZones, juta.ScopeRead, opDoc{summary: "The prayer-time zones an account can choose",
			description: "JAKIM e-Solat zone codes with their areas, in code order: the values PATCH /api/me takes as prayerZone.",
			status:      200, resp: typeOf[prayerZoneList]()}},
		{fiber.MethodGet, "/api/me/logins", bearer, s.listLogins, juta.ScopeManage, opDoc{
			summary: "The caller's signed-in devices (logins)",
			description: "One entry per login still able to refresh: when it signed in, when its refresh token was " +
				"last issued, and whether it is the login of the asking token. No token is ever shown.",
			status: 200, resp: typeOf[loginsResponse](), tokenOnly: true, errors: []int{403, 503},
		}},
		{fiber.MethodDelete, "/api/me/logins/:id", bearer, s.revokeLogin, juta.ScopeManage, opDoc{
			summary: "Sign one login out",
			description: "Its refresh tokens stop working, its access tokens are refused from the next request, " +
				"and its open WebSockets close. 404 for a login that is not the caller's or has already ended, " +
				"and for API keys, which have no logins.",
			status: 204, tokenOnly: true, errors: []int{404, 503},
		}},
		{fiber.MethodPost, "/api/me/logins/revoke-others", bearer, s.revokeOtherLogins, juta.ScopeManage, opDoc{
			summary:     "Sign out everywhere else",
			description: "Ends every login of the caller except the one of the asking token.",
			status:      200, resp: typeOf[revokedResponse](), tokenOnly: true, errors: []int{403, 503},
		}},

		{fiber.MethodPost, "/api/keys", bearer, s.createKey, juta.ScopeManage, opDoc{summary: "Create an API key (shown once)",
			description: "A key can only create keys with a subset of its scopes, bound to its own session.",
			body:        typeOf[createKeyRequest](), required: []string{"name", "scopes"},
			example: `{"name":"crm","scopes":["read"]}`, status: 201, resp: typeOf[createdKey](), errors: []int{403, 404}}},
		{fiber.MethodGet, "/api/keys", bearer, s.listKeys, juta.ScopeManage, opDoc{summary: "List the caller's API keys (never their secrets)", status: 200,
			resp: typeOf[juta.Page[juta.APIKey]]()}},
		{fiber.MethodDelete, "/api/keys/:id", bearer, s.revokeKey, juta.ScopeManage, opDoc{summary: "Revoke an API key", status: 204}},

		{fiber.MethodGet, "/api/admin/sessions", admin, s.adminSessions, "", opDoc{summary: "Every session, across users (administrators)", query: pageParams,
			status: 200, resp: typeOf[juta.Page[juta.AdminSession]]()}},
		{fiber.MethodGet, "/api/admin/users", admin, s.adminUsers, "", opDoc{summary: "Every account (administrators)", query: pageParams,
			status: 200, resp: typeOf[juta.Page[juta.AdminUser]]()}},
		{fiber.MethodGet, "/api/admin/stats", admin, s.adminStats, "", opDoc{
			summary: "The service at a glance (administrators)",
			description: "Users active in the last hour (a message stored) versus resting, sessions by state, the " +
				"ingest rate (messages stored per minute over the last hour), webhook lag (events waiting, the age " +
				"of the oldest, p50/p99 delay from event to delivery over the last hour, dead letters), and the " +
				"answering node's health: database, readiness, user actors, held ingest, requests in flight. " +
				"The per-session list is GET /api/admin/sessions.",
			status: 200, resp: typeOf[juta.AdminStats](), errors: []int{503},
		}},
		{fiber.MethodPost, "/api/admin/users/:id/disable", admin, s.disableUser, "", opDoc{summary: "Disable an account, revoke its logins and stop its sessions",
			status: 200, resp: typeOf[juta.AdminUser](), errors: []int{409}}},
		{fiber.MethodPost, "/api/admin/users/:id/enable", admin, s.enableUser, "", opDoc{summary: "Enable a disabled account", status: 200, resp: typeOf[juta.AdminUser]()}},

		{fiber.MethodGet, "/api/status", bearer, s.status, juta.ScopeRead, opDoc{summary: "The caller's sessions with their live state", status: 200, resp: typeOf[statusResponse]()}},
		{fiber.MethodPost, "/api/sessions", bearer, s.createSession, juta.ScopeManage, opDoc{summary: "Create a session; linking starts at once (QR codes follow)",
			description: "403 quota_exceeded once the account has as many sessions as it may (JUTA_ACCOUNT_MAX_SESSIONS, 10 by default).",
			body:        typeOf[createSessionRequest](), bodyOptnl: true, example: `{"name":"shop"}`,
			status: 201, resp: typeOf[juta.Session](), errors: []int{403}}},
		{fiber.MethodGet, "/api/sessions/:id", bearer, s.getSession, juta.ScopeRead, opDoc{summary: "One session", status: 200, resp: typeOf[juta.Session]()}},
		{fiber.MethodGet, "/api/sessions/:id/qr", bearer, s.sessionQR, juta.ScopeManage, opDoc{summary: "The linking QR code the session shows now",
			description: "With ?format=png an image/png of the code. Never cached. Only the owner's access token or a key with manage reaches it (a grantee or a read key gets 403); fetch it when a session.qr event says a new code is ready.",
			query:       []paramDoc{{"format", "json (default) or png", enum("json", "png")}},
			status:      200, resp: typeOf[juta.QRCode](), errors: []int{409, 503}}},
		{fiber.MethodPost, "/api/sessions/:id/pair", bearer, s.pairPhone, juta.ScopeManage, opDoc{summary: "Link by phone pairing code instead of QR",
			body: typeOf[pairRequest](), required: []string{"phoneNumber"}, example: `{"phoneNumber":"+60123456789"}`,
			status: 200, resp: typeOf[pairResponse](), errors: []int{409}}},
		{fiber.MethodGet, "/api/sessions/:id/messages", bearer, s.messages, juta.ScopeRead, opDoc{summary: "The session's messages, newest first",
			query: withPage(
				paramDoc{"q", "case-insensitive substring of the text (at most 256 bytes)", str()},
				paramDoc{"chat", "one chat: a phone number or a JID", str()}),
			status: 200, resp: typeOf[juta.Page[juta.Message]]()}},
		{fiber.MethodGet, "/api/sessions/:id/messages/:messageId", bearer, s.message, juta.ScopeRead, opDoc{summary: "One message of the session",
			description: "The message as the list shows it: its sender's saved name (contactName) and, for a reply, the quoted message as the session stores it (quote). 404 for a message of another session.",
			status:      200, resp: typeOf[juta.Message](), errors: []int{503}}},
		{fiber.MethodGet, "/api/sessions/:id/messages/:messageId/media", bearer, s.messageMedia, juta.ScopeRead, opDoc{summary: "A media message's file, with range requests",
			description: "The bytes of an image, video, audio, voice note, document or sticker: from this server's encrypted cache, or downloaded from WhatsApp through the session first (the session must then be connected: 409 otherwise; 404 when WhatsApp no longer has the file). The file is streamed, decrypted chunk by chunk, whatever its size; readers of a file not cached yet share one download. A single byte range (Range: bytes=first-last, bytes=first- or bytes=-suffix) is answered with 206 and Content-Range; one that starts past the end with 416 range_not_satisfiable and Content-Range: bytes */size; several ranges, a malformed one, or an If-Range other than the file's ETag get the whole file. The Content-Type is the file's for common image, video, audio and PDF types, application/octet-stream otherwise; a document carries its file name in Content-Disposition. ETag is the file's SHA-256; Accept-Ranges: bytes.",
			headers: []paramDoc{{"Range", "one byte range: bytes=first-last, bytes=first- or bytes=-suffix", str()},
				{"If-Range", "the ETag the client holds: the range is served only while the file is that one", str()}},
			status: 200, resp: typeOf[[]byte](), errors: []int{409, 416, 501, 503}}},
		{fiber.MethodGet, "/api/sessions/:id/messages/:messageId/versions", bearer, s.messageVersions, juta.ScopeRead, opDoc{summary: "The texts an edited message had, oldest first",
			description: "The original text (or caption) and then each edit, with when it was written. Empty for a message never edited, and for one deleted for everyone (its versions are erased with it).",
			status:      200, resp: typeOf[versionList](), errors: []int{503}}},

		{fiber.MethodPost, "/api/webhooks", bearer, s.createWebhook, juta.ScopeManage, opDoc{summary: "Create a webhook (its signing secret is shown once)",
			description: "events: types such as message or session.*, or [\"*\"] (the default). 403 quota_exceeded past 25 webhooks per account.",
			body:        typeOf[createWebhookRequest](), required: []string{"url"},
			example: `{"url":"https://hooks.example.com/juta","events":["message"]}`,
			status:  201, resp: typeOf[juta.Webhook](), errors: []int{403, 404, 503}}},
		{fiber.MethodGet, "/api/webhooks", bearer, s.listWebhooks, juta.ScopeRead, opDoc{summary: "List the caller's webhooks", status: 200, resp: typeOf[juta.Page[juta.Webhook]](), errors: []int{503}}},
		{fiber.MethodGet, "/api/webhooks/:id", bearer, s.getWebhook, juta.ScopeRead, opDoc{summary: "One webhook", status: 200, resp: typeOf[juta.Webhook](), errors: []int{503}}},
		{fiber.MethodDelete, "/api/webhooks/:id", bearer, s.deleteWebhook, juta.ScopeManage, opDoc{summary: "Delete a webhook and its deliveries", status: 204, errors: []int{503}}},
		{fiber.MethodGet, "/api/webhooks/:id/deliveries", bearer, s.webhookDeliveries, juta.ScopeRead, opDoc{summary: "The webhook's dead-lettered deliveries, newest first",
			query:  withPage(paramDoc{"status", "", enum("dead", "queued", "delivered")}),
			status: 200, resp: typeOf[juta.Page[juta.WebhookDelivery]](), errors: []int{503}}},
		{fiber.MethodPost, "/api/webhooks/:id/deliveries/:deliveryId/redeliver", bearer, s.redeliverWebhook, juta.ScopeManage, opDoc{summary: "Queue one more attempt at a dead-lettered delivery",
			status: 202, resp: typeOf[juta.WebhookDelivery](), errors: []int{503}}},

		{fiber.MethodGet, "/api/sessions", bearer, s.listSessions, juta.ScopeRead, opDoc{summary: "List the caller's sessions (a session-bound key sees its own)", status: 200,
			resp: typeOf[juta.Page[juta.Session]]()}},
		{fiber.MethodPost, "/api/sessions/:id/start", bearer, s.startSession, juta.ScopeManage, opDoc{summary: "Reconnect a stopped session (or link it anew)", status: 200, resp: typeOf[juta.Session]()}},
		{fiber.MethodPost, "/api/sessions/:id/stop", bearer, s.stopSession, juta.ScopeManage, opDoc{summary: "Disconnect, keeping the device until started", status: 200, resp: typeOf[juta.Session]()}},
		{fiber.MethodPost, "/api/sessions/:id/logout", bearer, s.logoutSession, juta.ScopeManage, opDoc{summary: "Unlink the device from the WhatsApp account", status: 200, resp: typeOf[juta.Session]()}},
		{fiber.MethodDelete, "/api/sessions/:id", bearer, s.deleteSession, juta.ScopeManage, opDoc{summary: "Log out if linked and delete the session with its messages", status: 204}},
		{fiber.MethodPatch, "/api/sessions/:id", bearer, s.patchSession, juta.ScopeManage, opDoc{summary: "Rename a session (at most 100 characters) or set its live-delivery policy",
			description: "Give `name`, `alwaysOn` or both. `alwaysOn: true` keeps the session's WhatsApp connection up while the account is idle, so messages are stored, detected and sent to webhooks as they arrive; `false` lets it sleep with the account and catch up at each wake-up (JUTA_WAKE_INTERVAL). Until set, it is on for a session its owner has a webhook for.",
			body:        typeOf[patchSessionRequest](), example: `{"name":"front desk","alwaysOn":true}`,
			status: 200, resp: typeOf[juta.Session]()}},
		{fiber.MethodGet, "/api/sessions/:id/chats", bearer, s.chats, juta.ScopeRead, opDoc{summary: "The session's chats with their latest message, newest first",
			query: pageParams, status: 200, resp: typeOf[juta.Page[juta.Chat]](), errors: []int{503}}},
		{fiber.MethodPost, "/api/sessions/:id/chats/read", bearer, s.markChatRead, juta.ScopeRead, opDoc{
			summary: "Mark a chat read by the caller",
			description: "Moves the caller's read marker of the chat to upTo (a message id), or to the chat's newest " +
				"message when upTo is left out; a marker never moves back. Each user the session is shared with keeps " +
				"a marker of their own. The chat list's unread counts start after the marker.",
			body: typeOf[chatReadRequest](), required: []string{"chat"},
			example: `{"chat":"+60123456789"}`, status: 204, errors: []int{503},
		}},
		{fiber.MethodGet, "/api/unread", bearer, s.unread, juta.ScopeRead, opDoc{
			summary: "The caller's unread incoming messages per own session",
			description: "Sessions without unread messages are left out; each chat counts at most 100. " +
				"Sessions shared with the caller are not counted.",
			status: 200, resp: typeOf[unreadResponse](), errors: []int{503},
		}},
		{fiber.MethodPost, "/api/sessions/:id/messages", bearer, s.sendMessage, juta.ScopeSend, opDoc{summary: "Send a message of any kind, a reply, a reaction or an edit through a connected session",
			description: "to: a phone number (default region MY) or a JID (a person or a group); text: 1 to 4096 characters. quote (the id of a stored message of that chat) makes it a reply quoting that message (404 not_found for another chat's, a deleted or an unknown message); the stored message names it in quote. Instead of text: location ({latitude, longitude, name?, address?}), contacts ([{displayName, vcard?}], 1 to 257 cards; a card without vcard gets one with the name), or mediaId (from POST /api/sessions/{id}/media) with an optional caption (at most 1024 characters), sent as the kind it was uploaded as (image, video, audio, voice, document, sticker). A multipart/form-data body (to, caption, quote, kind, file) uploads the file and sends it at once; the upload's limits apply (413 too_large, 415 unsupported_media_type). With reactTo (the id of a stored message of that chat) and emoji instead of text, the user reacts to that message (an empty emoji takes the reaction back): the reaction is recorded (a message.reaction event) before the answer, which is the message with its reactions; 404 not_found when the message is not one of that chat. With edit (the id of the user's own text, photo, video or document message of that chat) and text, the message's text or the file's caption (at most 1024 characters) is replaced, every version kept (a message.edited event; the answer is the message as edited): 403 forbidden for another's message, 409 invalid_state once 15 minutes have passed since it was sent (WhatsApp's limit), 400 for a message of another kind (audio, voice note, sticker, location, contact, poll) or a caption too long. Each reaction in reactions says with fromMe whether it is the session user's own. 429 with Retry-After when the session's pace is spent. Every kind is recorded, with its content, before the answer. With an Idempotency-Key the message goes out under a WhatsApp id derived from the key, so a retry after a 503 (the answer lost) sends it again under that id: delivered and stored once.",
			headers:     []paramDoc{idempotencyHeader},
			body:        typeOf[sendRequest](), required: []string{"to"},
			form:    sendForm,
			example: `{"to":"+60129876543","text":"Hello"}`,
			status:  201, resp: typeOf[juta.Message](), errors: []int{409, 413, 415, 429, 503}}},
		{fiber.MethodPost, "/api/sessions/:id/media", bearer, s.uploadMedia, juta.ScopeSend, opDoc{summary: "Upload a file to send: image, video, audio, voice note, document or sticker",
			description: "multipart/form-data with file and optionally kind (default: from the file's type: image/jpeg and image/png as image, video/mp4 and video/3gpp as video, audio as audio, audio/webm as voice, image/webp as sticker, anything else as document). WhatsApp's limits are checked before anything is stored: 16 MB for image, video, audio and voice, 500 kB for a sticker (413 too_large); image jpeg or png, video mp4 or 3gpp, audio aac, mp4, mpeg, amr or ogg, voice ogg (Opus) or a browser's recording in audio/webm (Opus audio only; with kind voice also video/webm or a WebM sniffed from its bytes), remuxed to Ogg Opus without re-encoding and kept, sent and served as audio/ogg; codecs=opus with durationSeconds (400 invalid for a recording cut short), sticker webp (415 unsupported_media_type, also for a WebM with video or another codec); a document may be any type (up to the upload body limit, 16 MB). The file is kept, encrypted, in the owner's media store (403 quota_exceeded past JUTA_MEDIA_QUOTA_MB). The answer's mediaId is what a send names the file by.",
			form:        uploadForm,
			status:      201, resp: typeOf[app.Upload](), errors: []int{400, 413, 415, 503}}},
		{fiber.MethodPost, "/api/sessions/:id/uploads", bearer, s.beginUpload, juta.ScopeSend, opDoc{summary: "Begin a chunked upload of a file too large for one request (documents up to 2 GB)",
			description: "Declares the file: fileName, mimeType (default application/octet-stream), size in bytes, kind (default: from the type, as POST /api/sessions/{id}/media picks it) and optionally sha256 (hex). The kind's limits (413 too_large, 415 unsupported_media_type) and the owner's quota (403 quota_exceeded past JUTA_MEDIA_QUOTA_MB, counting the declared size from now on) are checked before any byte is sent. The answer names the upload and the largest part (chunkSize); parts go with PUT /api/sessions/{id}/uploads/{uploadId}. An upload not finished within 24 hours is deleted with its parts. Access is that of POST /api/sessions/{id}/media.",
			body:        typeOf[app.BeginUpload](), required: []string{"size"},
			example: `{"fileName":"report.pdf","mimeType":"application/pdf","size":41943040,"kind":"document"}`,
			status:  201, resp: typeOf[app.Chunked](), errors: []int{400, 413, 415, 503}}},
		{fiber.MethodGet, "/api/sessions/:id/uploads/:uploadId", bearer, s.uploadState, juta.ScopeSend, opDoc{summary: "A chunked upload's offset: where the next part starts",
			description: "Also in the Upload-Offset header. A client whose part failed asks here and goes on from the offset.",
			status:      200, resp: typeOf[app.Chunked](), errors: []int{503}}},
		{fiber.MethodPut, "/api/sessions/:id/uploads/:uploadId", bearer, s.putUploadPart, juta.ScopeSend, opDoc{summary: "Send one part of a chunked upload",
			description: "The body is the part's bytes (at most chunkSize), Content-Range says where they go: they are taken only at the upload's offset (409 conflict with the offset in Upload-Offset otherwise; a repeat of a stored part with the same bytes answers as the first time). 200 with the new offset, or, for the part that completes the file, 201 with what POST /api/sessions/{id}/media answers (mediaId, kind, mimeType, size, fileName, sha256), sealed into the owner's media store. A file whose SHA-256 is not the declared one is 400 invalid and nothing is stored (the upload is deleted).",
			headers:     []paramDoc{contentRangeHeader}, raw: true,
			status: 200, resp: typeOf[app.Chunked](), created: typeOf[app.Upload](), errors: []int{400, 409, 413, 503}}},
		{fiber.MethodDelete, "/api/sessions/:id/uploads/:uploadId", bearer, s.abandonUpload, juta.ScopeSend, opDoc{summary: "Abandon a chunked upload and delete its parts",
			status: 204, errors: []int{503}}},
		{fiber.MethodGet, "/api/media/limits", bearer, s.getMediaLimits, juta.ScopeRead, opDoc{summary: "What the server takes of each kind of file, and how large a request and a part may be",
			description: "Per kind: the largest file (WhatsApp's limits) and the MIME types it takes (an empty list: any type); uploadLimit is the largest body of a single-request upload (POST /api/sessions/{id}/media, multipart, so a file somewhat smaller), chunkSize the largest part of a chunked upload.",
			status:      200, resp: typeOf[mediaLimits]()}},
		{fiber.MethodDelete, "/api/sessions/:id/messages/:messageId", bearer, s.deleteMessage, juta.ScopeSend, opDoc{summary: "Delete the user's own message for everyone",
			description: "Sent through the session like a message (its pace, Idempotency-Key) and recorded before the answer (a message.deleted event): 200 with the message as it is now, deletedAt set and its content erased. 403 forbidden for a message the user did not send; 404 for an unknown or already deleted message.",
			headers:     []paramDoc{idempotencyHeader},
			status:      200, resp: typeOf[juta.Message](), errors: []int{409, 429, 503}}},
		{fiber.MethodGet, "/api/events", bearer, s.events, juta.ScopeRead, opDoc{summary: "The caller's event log in cursor order",
			description: "Pass nextCursor back as after. Linking codes are never in the log: session.qr carries {sessionId, expiresAt} only.",
			query: []paramDoc{
				{"after", "events after this cursor (default: from the start)", map[string]any{"type": "integer", "minimum": 0}},
				{"limit", "page size (default 100)", intRange(1, maxEventLimit)},
			},
			status: 200, resp: typeOf[eventPage]()}},
		{fiber.MethodGet, "/api/stats", bearer, s.stats, juta.ScopeRead, opDoc{
			summary: "The caller's own activity in aggregate",
			description: "Messages in and out per hour (last 48 hours) and per day (last 30 days, in tz), incoming " +
				"messages by hour of the day, actions by type and status, and how long contacts waited for a reply " +
				"(median and 90th percentile over the last 30 days). Sessions shared with the caller are not counted.",
			query:  []paramDoc{{"tz", "an IANA time zone for days and hours of the day (default UTC)", str()}},
			status: 200, resp: typeOf[juta.Stats](), errors: []int{503},
		}},
		{fiber.MethodPost, "/api/ws-ticket", bearer, s.stream.CreateTicket, juta.ScopeRead, opDoc{summary: "A single-use WebSocket ticket, valid 30 s on this node",
			description: "429 with Retry-After while the account holds as many unredeemed tickets as it may (JUTA_ACCOUNT_MAX_TICKETS). In cluster mode a ticket opens the WebSocket once on any node.",
			status:      201, resp: typeOf[ticketResponse](), errors: []int{429}}},

		{fiber.MethodGet, "/api/actions", bearer, s.listActions, juta.ScopeRead, opDoc{summary: "The caller's suggested actions, newest first",
			query: withPage(
				paramDoc{"status", "", enum("pending", "accepted", "dismissed", "done")},
				paramDoc{"type", "", enum("meeting", "reminder", "payment", "task", "reply_needed")},
				paramDoc{"sessionId", "only this session's; a session shared with the caller lists its owner's actions of it", map[string]any{"type": "integer", "minimum": 1}},
				paramDoc{"dueAfter", "RFC 3339 with offset", dateTime},
				paramDoc{"dueBefore", "RFC 3339 with offset", dateTime}),
			status: 200, resp: typeOf[juta.Page[juta.Action]](), errors: []int{503}}},
		{fiber.MethodPost, "/api/chat", bearer, s.chat, juta.ScopeRead, opDoc{summary: "Ask the assistant about the caller's own messages and actions",
			description: "Not for session-bound keys. 501 not_implemented when this node has no assistant.",
			body:        typeOf[chatRequest](), required: []string{"message"}, example: `{"message":"what is pending?"}`,
			status: 200, resp: typeOf[juta.Answer](), errors: []int{501}}},
		{fiber.MethodGet, "/api/actions/:id", bearer, s.getAction, juta.ScopeRead, opDoc{summary: "One action", status: 200, resp: typeOf[juta.Action](), errors: []int{503}}},
		{fiber.MethodPatch, "/api/actions/:id", bearer, s.patchAction, juta.ScopeSend, opDoc{summary: "Move an action along its lifecycle, snooze it, or set notify",
			description: "pending -> accepted | dismissed; accepted -> done (409 invalid_state otherwise).",
			body:        typeOf[patchActionRequest](), example: `{"status":"accepted"}`,
			status: 200, resp: typeOf[juta.Action](), errors: []int{409, 503}}},
		{fiber.MethodPost, "/api/actions/:id/execute", bearer, s.executeAction, juta.ScopeSend, opDoc{summary: "Send the reply a reply_needed action drafted, once",
			description: "The action is claimed before sending: a second execute is 409, or, with the same Idempotency-Key, the first answer again.",
			headers:     []paramDoc{idempotencyHeader},
			body:        typeOf[executeRequest](), bodyOptnl: true, example: `{"text":"Boleh, see you at 8"}`,
			status: 200, resp: typeOf[executeResponse](), errors: []int{409, 413, 503}}},

		{fiber.MethodPost, "/api/sessions/:id/shares", bearer, s.shareSession, juta.ScopeManage, opDoc{summary: "Share the session with another account as viewer or agent (owner only)",
			description: "A viewer reads the session, its actions and its live events; an agent also sends and acts on its actions; neither manages it. Sharing again changes the role. An unknown session and a phone number without an active account are the same 404, which does not say which.",
			body:        typeOf[shareRequest](), required: []string{"phoneNumber", "role"},
			example: `{"phoneNumber":"+60198765432","role":"viewer"}`,
			status:  201, resp: typeOf[juta.Share](), errors: []int{429, 503}}},
		{fiber.MethodGet, "/api/sessions/:id/shares", bearer, s.listShares, juta.ScopeManage, opDoc{summary: "The session's shares (owner only)", status: 200,
			resp: typeOf[juta.Page[juta.Share]](), errors: []int{503}}},
		{fiber.MethodDelete, "/api/sessions/:id/shares/:phoneNumber", bearer, s.revokeShare, juta.ScopeManage, opDoc{summary: "Revoke a share at once (owner only)",
			description: "The grantee is named by its phone number (E.164; send + as %2B or as is), as in the share list: accounts' internal ids are never handed out. The grantee's next request on the session is a 404 and its WebSocket stops the session's events.",
			status:      204, errors: []int{503}}},
		{fiber.MethodGet, "/api/shared-sessions", bearer, s.sharedSessions, juta.ScopeRead, opDoc{summary: "Sessions other accounts shared with the caller, with role and owner",
			description: "Call the session's routes with its id; a viewer gets 403 forbidden on sends and actions it may not take.",
			status:      200, resp: typeOf[juta.Page[juta.SharedSession]](), errors: []int{503}}},

		{fiber.MethodGet, "/api/ws", wsTicket, s.stream.Handler(), juta.ScopeRead, opDoc{summary: "WebSocket stream of the caller's events",
			description: "Each text frame is one Event. ?after= resumes with nothing missed. Live events of sessions shared with the caller come too, with shared: true and the owner's cursor (not one to resume from); they never name the owner's account; a revoke stops them at once. A session.qr event says a new linking code is ready ({sessionId, expiresAt}); the code itself is only at GET /api/sessions/{id}/qr. Authenticated by ?ticket= or an Authorization header, never a token in the URL; Origin is checked. The credential is checked again on a schedule, at token expiry and at once on a revocation; close codes: 1000 resume from your last cursor, 1001 server shutting down, 1011 internal error, 1013 try again later, 4401 the token expired, its login was revoked (logout, password change, refresh-token reuse) or the API key was deleted, 4403 the account was disabled.",
			query: []paramDoc{
				{"ticket", "a ticket from POST /api/ws-ticket", str()},
				{"after", "resume after this cursor (default: only new events)", map[string]any{"type": "integer", "minimum": 0}},
			},
			status: 101, resp: typeOf[stream.Event]()}},
	}
}

// chain is the middleware of r followed by its handler. Auth routes are
// rate-limited per client IP; routes naming a session check that a
// session-bound key may reach it.
func (s *Server) chain(r route) []fiber.Handler {
	var hs []fiber.Handler
	if r.access != public || strings.HasPrefix(r.path, "/api/auth/") {
		hs = append(hs, noStore)
	}
	if strings.HasPrefix(r.path, "/api/auth/") {
		hs = append(hs, s.authn.LimitIP)
	}
	switch r.access {
	case bearer:
		hs = append(hs, s.authn.Authenticate(false), auth.RequireScope(r.scope))
	case wsTicket:
		hs = append(hs, s.stream.Authenticate(s.authn.Authenticate(false)), auth.RequireScope(r.scope))
	case admin:
		hs = append(hs, s.authn.Authenticate(false), auth.RequireAdmin)
	}
	if r.access != public {
		if guard := s.sessionGuard(r); guard != nil {
			hs = append(hs, guard)
		}
	}
	return append(hs, r.handle)
}
