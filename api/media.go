package api

import (
	"context"
	"encoding/hex"
	"fmt"
	"io"
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
	// Uploads keeps the parts of chunked uploads; nil answers 503.
	Uploads juta.UploadStore
	// Quota bounds each user's cached media in bytes (0: no limit). A file
	// over it is still served, just not cached.
	Quota int64
	// Voice makes voice notes of uploaded browser recordings (WebM Opus to
	// Ogg Opus); nil refuses such uploads with 415.
	Voice juta.VoiceRemuxer
}

// messageVersions lists the texts an edited message had, oldest first.
func (s *Server) messageVersions(c *fiber.Ctx) error {
	sid, mid, err := s.callerMessage(c)
	if err != nil {
		return err
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

// messageMedia answers a message's file, or the range asked for, streamed
// from the blob store (downloaded through the session first and cached
// when it is not there yet). Access is the message listing's.
func (s *Server) messageMedia(c *fiber.Ctx) error {
	sid, mid, err := s.callerMessage(c)
	if err != nil {
		return err
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
	if m.Media == nil {
		return juta.Errorf(juta.ENOTFOUND, "this message has no media")
	}
	etag := `"` + hex.EncodeToString(m.Media.FileSHA256) + `"`
	rng, partial := requestedRange(c, etag)
	// The body is written after the handler returns: its reads need a
	// context that lives until fasthttp closes the stream.
	sctx, stop := context.WithCancel(context.WithoutCancel(c.UserContext()))
	rc, sp, err := s.media.Open(sctx, md.Blobs, md.Fetcher, m, rng)
	if err != nil {
		stop()
		if juta.ErrorCode(err) == juta.ERANGE {
			c.Set(fiber.HeaderContentRange, fmt.Sprintf("bytes */%d", sp.Size))
		}
		return fmt.Errorf("media of message %d: %w", mid, err)
	}
	mediaHeaders(c, m, etag)
	status := fiber.StatusOK
	if partial {
		status = fiber.StatusPartialContent
		c.Set(fiber.HeaderContentRange, fmt.Sprintf("bytes %d-%d/%d", sp.Off, sp.Off+sp.Len-1, sp.Size))
	}
	c.Status(status).Context().SetBodyStream(&stopCloser{ReadCloser: rc, stop: stop}, int(sp.Len))
	return nil
}

// stopCloser ends a stream's context when fasthttp closes the stream.
type stopCloser struct {
	io.ReadCloser
	stop context.CancelFunc
}

func (s *stopCloser) Close() error {
	defer s.stop()
	return s.ReadCloser.Close()
}

// requestedRange is the one byte range asked for (RFC 9110 section 14), and
// whether there is one: a malformed Range, several ranges, or an If-Range
// that is not the file's ETag (a strong comparison; a date never matches,
// as the route sends no Last-Modified) ask for the whole file, as the RFC
// allows.
func requestedRange(c *fiber.Ctx, etag string) (juta.ByteRange, bool) {
	rng, ok := parseRange(c.Get(fiber.HeaderRange))
	if !ok {
		return juta.WholeBlob, false
	}
	if ir := c.Get(fiber.HeaderIfRange); ir != "" && ir != etag {
		return juta.WholeBlob, false
	}
	return rng, true
}

// mediaHeaders are a file's headers: its type only when it is a common
// image, video, audio or PDF type (the sender chooses it), sandboxed.
func mediaHeaders(c *fiber.Ctx, m juta.Message, etag string) {
	typ := "application/octet-stream"
	if inlineMIME.MatchString(m.MIME) {
		typ = m.MIME
	}
	c.Set(fiber.HeaderContentType, typ)
	c.Set(fiber.HeaderXContentTypeOptions, "nosniff")
	c.Set(fiber.HeaderContentSecurityPolicy, "sandbox; default-src 'none'")
	c.Set(fiber.HeaderCacheControl, "private, max-age=86400")
	c.Set(fiber.HeaderETag, etag)
	c.Set(fiber.HeaderAcceptRanges, "bytes")
	if m.FileName != "" {
		c.Set(fiber.HeaderContentDisposition, "attachment; filename*=UTF-8''"+pathEscape(m.FileName))
	}
}

// parseRange reads a single "bytes=first-last", "bytes=first-" or
// "bytes=-suffix" range; ok is false for anything else (no range, several,
// malformed). Whether it is satisfiable is the store's to say.
func parseRange(h string) (juta.ByteRange, bool) {
	spec, found := strings.CutPrefix(h, "bytes=")
	if !found || strings.Contains(spec, ",") {
		return juta.ByteRange{}, false
	}
	first, last, found := strings.Cut(strings.TrimSpace(spec), "-")
	if !found {
		return juta.ByteRange{}, false
	}
	if first == "" { // the last n bytes
		n, err := strconv.ParseInt(last, 10, 64)
		if err != nil || n < 0 {
			return juta.ByteRange{}, false
		}
		return juta.SuffixRange(n), true
	}
	start, err := strconv.ParseInt(first, 10, 64)
	if err != nil || start < 0 {
		return juta.ByteRange{}, false
	}
	if last == "" {
		return juta.ByteRange{First: start, Last: -1}, true
	}
	end, err := strconv.ParseInt(last, 10, 64)
	if err != nil || end < start {
		return juta.ByteRange{}, false
	}
	return juta.ByteRange{First: start, Last: end}, true
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
