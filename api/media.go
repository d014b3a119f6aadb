package api

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"log/slog"
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

// messageMedia streams a message's file: from the blob store, or downloaded
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
	if !m.Kind.HasMedia() || m.Media == nil || m.DeletedAt != nil || len(m.Media.FileSHA256) != sha256.Size {
		return juta.Errorf(juta.ENOTFOUND, "this message has no media")
	}
	data, err := md.Blobs.Blob(ctx, uid, m.Media.FileSHA256)
	if juta.ErrorCode(err) == juta.ENOTFOUND {
		data, err = s.fetchMedia(c, md, m)
	}
	if err != nil {
		return fmt.Errorf("media of message %d: %w", mid, err)
	}
	return sendMedia(c, m, data)
}

// fetchMedia downloads the file through the session, checks it and caches it.
func (s *Server) fetchMedia(c *fiber.Ctx, md MediaDeps, m juta.Message) ([]byte, error) {
	if md.Fetcher == nil {
		return nil, juta.Errorf(juta.ENOTIMPL, "this node does not download media")
	}
	ctx, cancel := s.callContext(c)
	defer cancel()
	data, err := md.Fetcher.FetchMedia(ctx, m.UserID, m.SessionID, m.Kind, *m.Media, m.Size)
	if err != nil {
		return nil, err
	}
	if sum := sha256.Sum256(data); !bytes.Equal(sum[:], m.Media.FileSHA256) {
		return nil, fmt.Errorf("downloaded media does not match its checksum")
	}
	if _, err := md.Blobs.PutBlob(ctx, m.UserID, data, md.Quota); err != nil {
		// Served anyway: the cache is an optimisation, the quota a bound on it.
		s.log.Log(ctx, slog.LevelInfo, "media not cached", "message_id", m.ID, "code", juta.ErrorCode(err))
	}
	return data, nil
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
