package api

import (
	"encoding/json"
	"strconv"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/gofiber/fiber/v2"

	"github.com/juta-app/juta"
)

// A page of messages is the largest answer a client polls for, so it is
// written by hand: the same bytes encoding/json produces (a test holds them
// equal), without reflection and with one reused buffer per request.

var pageBuffers = sync.Pool{New: func() any { b := make([]byte, 0, 16<<10); return &b }}

// sendMessagePage answers with page as JSON.
func sendMessagePage(c *fiber.Ctx, page juta.Page[juta.Message]) error {
	bp := pageBuffers.Get().(*[]byte)
	buf := appendMessagePage((*bp)[:0], page)
	c.Set(fiber.HeaderContentType, fiber.MIMEApplicationJSON)
	c.Response().SetBody(buf) // copies into the response's own buffer
	if cap(buf) <= 256<<10 {
		*bp = buf
		pageBuffers.Put(bp)
	}
	return nil
}

// appendMessagePage appends {"items":[...],"nextCursor":...} as encoding/json
// would write juta.Page[juta.Message], nil items as [].
func appendMessagePage(b []byte, page juta.Page[juta.Message]) []byte {
	b = append(b, `{"items":[`...)
	for i := range page.Items {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendMessage(b, &page.Items[i])
	}
	b = append(b, ']')
	if page.NextCursor != "" {
		b = append(b, `,"nextCursor":`...)
		b = appendJSONString(b, page.NextCursor)
	}
	return append(b, '}')
}

func appendMessage(b []byte, m *juta.Message) []byte {
	b = append(b, `{"id":`...)
	b = strconv.AppendInt(b, m.ID, 10)
	b = append(b, `,"sessionId":`...)
	b = strconv.AppendInt(b, int64(m.SessionID), 10)
	b = append(b, `,"chat":`...)
	b = appendJSONString(b, m.Chat)
	b = append(b, `,"sender":`...)
	b = appendJSONString(b, m.Sender)
	if m.SenderName != "" {
		b = append(b, `,"senderName":`...)
		b = appendJSONString(b, m.SenderName)
	}
	b = append(b, `,"waId":`...)
	b = appendJSONString(b, m.WAID)
	b = append(b, `,"fromMe":`...)
	b = strconv.AppendBool(b, m.FromMe)
	b = append(b, `,"text":`...)
	b = appendJSONString(b, m.Text)
	b = appendContent(b, &m.Content)
	if !m.MessageState.IsZero() {
		b = appendMembers(b, &m.MessageState)
	}
	if m.History {
		b = append(b, `,"history":true`...)
	}
	if m.Transcript {
		b = append(b, `,"transcript":true`...)
	}
	b = append(b, `,"sentAt":`...)
	b = appendJSONTime(b, m.SentAt)
	b = append(b, `,"storedAt":`...)
	b = appendJSONTime(b, m.StoredAt)
	return append(b, '}')
}

// appendContent writes the members of the embedded Content. Plain text (the
// bulk of a page) is just its kind; anything richer is rare enough to go
// through encoding/json, whose object's braces are dropped.
func appendContent(b []byte, c *juta.Content) []byte {
	if c.IsText() {
		return append(b, `,"kind":"text"`...)
	}
	return appendMembers(b, c)
}

// appendMembers writes the members of v's JSON object after a comma, as
// encoding/json writes an embedded struct's; v always has one member at least.
func appendMembers(b []byte, v any) []byte {
	doc, err := json.Marshal(v)
	if err != nil || len(doc) <= 2 {
		return b // Content and MessageState hold nothing encoding/json refuses
	}
	b = append(b, ',')
	return append(b, doc[1:len(doc)-1]...)
}

// appendJSONTime writes t as time.Time's MarshalJSON does for years 0-9999,
// the only ones Postgres timestamps and WhatsApp produce.
func appendJSONTime(b []byte, t time.Time) []byte {
	b = append(b, '"')
	b = t.AppendFormat(b, time.RFC3339Nano)
	return append(b, '"')
}

const hexDigits = "0123456789abcdef"

// appendJSONString quotes s as encoding/json does: HTML-sensitive characters,
// control characters, U+2028 and U+2029 escaped, invalid UTF-8 replaced by
// U+FFFD.
func appendJSONString(b []byte, s string) []byte {
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' && c != '<' && c != '>' && c != '&' {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			b = appendEscapedByte(b, c)
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
			i += size
			start = i
			continue
		}
		if r == '\u2028' || r == '\u2029' {
			b = append(b, s[start:i]...)
			b = append(b, '\\', 'u', '2', '0', '2', hexDigits[r&0xF])
			i += size
			start = i
			continue
		}
		i += size
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}

func appendEscapedByte(b []byte, c byte) []byte {
	switch c {
	case '"', '\\':
		return append(b, '\\', c)
	case '\b':
		return append(b, '\\', 'b')
	case '\f':
		return append(b, '\\', 'f')
	case '\n':
		return append(b, '\\', 'n')
	case '\r':
		return append(b, '\\', 'r')
	case '\t':
		return append(b, '\\', 't')
	}
	return append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xF])
}
