package api

import (
	"encoding/hex"
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/juta-app/juta"
)

// MediaDeps serve message media. The media route answers 503 while Blobs or
// Messages is nil, and 501 for a file not cached yet while Fetcher is nil.
type MediaDeps struct {
	Messages juta.MessageStore
	Blobs    juta.BlobStore
	Fetcher  juta.MediaFetcher
	// Quota bounds each user's cached media in bytes (0: no limit). A file
	// over it is still served, just not cached.
	Quota int64
}

// messageVersions lists the texts an edited message had, oldest first.
func (s *Server) messageVersions(c *fiber.Ctx) error {
	sid, err := s.callerSession(c)
	if err != nil {
		return err
	}
	mid, err := strconv.ParseInt(c.Params("messageId"), 10, 64)
	if err != nil || mid <= 0 {
		return juta.Errorf(juta.ENOTFOUND, "message not found")
	}
	if s.deps.Media.Messages == nil {
		return juta.Errorf(juta.EUNAVAILABLE, "messages are not available")
	}
	uid := userID(c)
	ctx, cancel := s.callContext(c)
	defer cancel()
	vs, err := s.deps.Media.Messages.MessageVersions(ctx, uid, sid, mid)
	if err != nil {
		return fmt.Errorf("versions of message %d: %w", mid, err)
	}
	return c.JSON(versionList{Items: vs})
}

// versionList is the answer of the versions route.
type versionList struct {
	Items []juta.MessageVersion `json:"items"`
}

// inlineMIME are the types served as themselves; anything else (HTML, SVG,
// scripts: the sender chooses the type) goes out as application/octet-stream.
var inlineMIME = regexp.MustCompile(`^(image/(jpeg|png|gif|webp)|video/(mp4|3gpp|quicktime)|audio/(ogg|mpeg|mp4|aac|amr|wav)|application/pdf)(;.*)?$`)

// messageMedia answers a message's file: from the blob store, or downloaded
// through the session first and cached. Access is the message listing's.
func (s *Server) messageMedia(c *fiber.Ctx) error {
	sid, err := s.callerSession(c)
	if err != nil {
		return err
	}
	mid, err := strconv.ParseInt(c.Params("messageId"), 10, 64)
	if err != nil || mid <= 0 {
		return juta.Errorf(juta.ENOTFOUND, "message not found")
	}
	md := s.deps.Media
	if md.Blobs == nil || md.Messages == nil {
		return juta.Errorf(juta.EUNAVAILABLE, "media is not available")
	}
	uid := userID(c)
	ctx, cancel := s.callContext(c)
	defer cancel()
	m, err := md.Messages.Message(ctx, uid, sid, mid)
	if err != nil {
		return fmt.Errorf("media of message %d: %w", mid, err)
	}
	data, err := juta.LoadMedia(ctx, md.Blobs, md.Fetcher, m, md.Quota)
	if err != nil {
		return fmt.Errorf("media of message %d: %w", mid, err)
	}
	return sendMedia(c, m, data)
}

// sendMedia answers with data, or the one byte range asked for (RFC 9110
// section 14). A range it cannot satisfy, or several ranges, are ignored and
// the whole file is sent, as the RFC allows.
func sendMedia(c *fiber.Ctx, m juta.Message, data []byte) error {
	typ := "application/octet-stream"
	if inlineMIME.MatchString(m.MIME) {
		typ = m.MIME
	}
	c.Set(fiber.HeaderContentType, typ)
	c.Set(fiber.HeaderXContentTypeOptions, "nosniff")
	c.Set(fiber.HeaderContentSecurityPolicy, "sandbox; default-src 'none'")
	c.Set(fiber.HeaderCacheControl, "private, max-age=86400")
	c.Set(fiber.HeaderETag, `"`+hex.EncodeToString(m.Media.FileSHA256)+`"`)
	c.Set(fiber.HeaderAcceptRanges, "bytes")
	if m.FileName != "" {
		c.Set(fiber.HeaderContentDisposition, "attachment; filename*=UTF-8''"+pathEscape(m.FileName))
	}
	size := int64(len(data))
	start, end, ok := parseRange(c.Get(fiber.HeaderRange), size)
	if !ok {
		return c.Status(fiber.StatusOK).Send(data)
	}
	c.Set(fiber.HeaderContentRange, fmt.Sprintf("bytes %d-%d/%d", start, end, size))
	return c.Status(fiber.StatusPartialContent).Send(data[start : end+1])
}

// parseRange reads a single "bytes=first-last", "bytes=first-" or
// "bytes=-suffix" range of a body of size bytes; ok is false for anything
// else (no range, several, malformed, unsatisfiable).
func parseRange(h string, size int64) (start, end int64, ok bool) {
	spec, found := strings.CutPrefix(h, "bytes=")
	if !found || size <= 0 || strings.Contains(spec, ",") {
		return 0, 0, false
	}
	first, last, found := strings.Cut(strings.TrimSpace(spec), "-")
	if !found {
		return 0, 0, false
	}
	if first == "" { // the last n bytes
		n, err := strconv.ParseInt(last, 10, 64)
		if err != nil || n <= 0 {
			return 0, 0, false
		}
		return max(size-n, 0), size - 1, true
	}
	start, err := strconv.ParseInt(first, 10, 64)
	if err != nil || start < 0 || start >= size {
		return 0, 0, false
	}
	end = size - 1
	if last != "" {
		e, err := strconv.ParseInt(last, 10, 64)
		if err != nil || e < start {
			return 0, 0, false
		}
		end = min(e, size-1)
	}
	return start, end, true
}

// pathEscape percent-encodes a file name for Content-Disposition (RFC 8187).
func pathEscape(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		ch := s[i]
		if ch < 0x80 && (ch >= 'a' && ch <= 'z' || ch >= 'A' && ch <= 'Z' || ch >= '0' && ch <= '9' || strings.IndexByte("!#$&+-.^_`|~", ch) >= 0) {
			b.WriteByte(ch)
			continue
		}
		fmt.Fprintf(&b, "%%%02X", ch)
	}
	return b.String()
}
