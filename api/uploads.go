package api

import (
	"context"
	"regexp"
	"strconv"

	"github.com/gofiber/fiber/v2"

	"github.com/juta-app/juta"
	"github.com/juta-app/juta/app"
)

// headerUploadOffset tells a client of a chunked upload where the next part
// starts: on every answer about the upload, and on a 409 for a part sent
// elsewhere, so that it resumes without another request.
const headerUploadOffset = "Upload-Offset"

// uploadIDRE is the form of the ids the store makes (16 random bytes,
// base64url): anything else is no upload.
var uploadIDRE = regexp.MustCompile(`^[A-Za-z0-9_-]{16,64}$`)

// beginUpload answers POST /api/sessions/{id}/uploads: 201 with the upload
// to send the parts of, after the declared file has been checked against
// WhatsApp's limits and the owner's quota.
func (s *Server) beginUpload(c *fiber.Ctx) error {
	sid, err := s.callerSession(c)
	if err != nil {
		return err
	}
	var in app.BeginUpload
	if err := decodeJSON(c.Body(), &in); err != nil {
		return err
	}
	ctx, cancel := s.callContext(c)
	defer cancel()
	u, err := s.sends(c).Begin(ctx, userID(c), sid, in)
	if err != nil {
		return err
	}
	c.Set(headerUploadOffset, "0")
	return c.Status(fiber.StatusCreated).JSON(u)
}

// callerUpload parses :id and :uploadId.
func (s *Server) callerUpload(c *fiber.Ctx) (juta.SessionID, string, error) {
	sid, err := s.callerSession(c)
	if err != nil {
		return 0, "", err
	}
	id := c.Params("uploadId")
	if !uploadIDRE.MatchString(id) {
		return 0, "", juta.Errorf(juta.ENOTFOUND, "upload not found")
	}
	return sid, string([]byte(id)), nil
}

// uploadState answers GET /api/sessions/{id}/uploads/{uploadId}.
func (s *Server) uploadState(c *fiber.Ctx) error {
	sid, id, err := s.callerUpload(c)
	if err != nil {
		return err
	}
	ctx, cancel := s.callContext(c)
	defer cancel()
	u, err := s.sends(c).UploadState(ctx, userID(c), sid, id)
	if err != nil {
		return err
	}
	c.Set(headerUploadOffset, strconv.FormatInt(u.Offset, 10))
	return c.JSON(u)
}

// abandonUpload answers DELETE /api/sessions/{id}/uploads/{uploadId}.
func (s *Server) abandonUpload(c *fiber.Ctx) error {
	sid, id, err := s.callerUpload(c)
	if err != nil {
		return err
	}
	ctx, cancel := s.callContext(c)
	defer cancel()
	if err := s.sends(c).Abandon(ctx, userID(c), sid, id); err != nil {
		return err
	}
	return c.SendStatus(fiber.StatusNoContent)
}

// putUploadPart answers PUT /api/sessions/{id}/uploads/{uploadId}: the body
// is the part Content-Range places. 200 with the upload's new offset, or,
// for the part that completes the file, 201 with what POST .../media
// answers. The file is sealed with a deadline that grows with its size
// (juta.MediaTimeout), and is not abandoned when the client goes away
// meanwhile: a repeat of the last part then finds it sealed (or, while it
// is being sealed, seals it too: the store keeps one copy).
func (s *Server) putUploadPart(c *fiber.Ctx) error {
	sid, id, err := s.callerUpload(c)
	if err != nil {
		return err
	}
	off, total, n, err := parseContentRange(c.Get(fiber.HeaderContentRange))
	if err != nil {
		// Whether the upload is the caller's is told first (404).
		if _, serr := s.sends(c).UploadState(c.UserContext(), userID(c), sid, id); serr != nil {
			return serr
		}
		return err
	}
	body := c.Body()
	if int64(len(body)) != n {
		return juta.Errorf(juta.EINVALID, "Content-Range names %d bytes, the body has %d", n, len(body))
	}
	ctx, cancel := context.WithTimeout(context.WithoutCancel(c.UserContext()), juta.MediaTimeout(s.cfg.RequestTimeout, total))
	defer cancel()
	// fasthttp reuses the body's memory once the handler returns; the part
	// is stored before that, so it is not copied.
	st, done, err := s.sends(c).PutPart(ctx, userID(c), sid, id, app.Part{Offset: off, Total: total, Data: body})
	if st.UploadID != "" {
		c.Set(headerUploadOffset, strconv.FormatInt(st.Offset, 10))
	}
	if err != nil {
		return err
	}
	if done != nil {
		return c.Status(fiber.StatusCreated).JSON(done)
	}
	return c.JSON(st)
}

// contentRangeRE is "bytes first-last/total" (RFC 9110 section 14.4).
var contentRangeRE = regexp.MustCompile(`^bytes ([0-9]{1,15})-([0-9]{1,15})/([0-9]{1,15})$`)

// parseContentRange reads a part's place: its offset, the file's total size
// and the part's length.
func parseContentRange(h string) (off, total, n int64, err error) {
	m := contentRangeRE.FindStringSubmatch(h)
	if m == nil {
		return 0, 0, 0, juta.Errorf(juta.EINVALID, "Content-Range must be bytes first-last/total")
	}
	first, _ := strconv.ParseInt(m[1], 10, 64)
	last, _ := strconv.ParseInt(m[2], 10, 64)
	total, _ = strconv.ParseInt(m[3], 10, 64)
	if last < first || last >= total {
		return 0, 0, 0, juta.Errorf(juta.EINVALID, "Content-Range %q is not a range of the file", h)
	}
	return first, total, last - first + 1, nil
}

// mediaLimits is what the server takes of each kind of file, and how it
// takes a file in: whole in one request up to uploadLimit bytes (the
// multipart body), or in parts of chunkSize through the uploads routes.
type mediaLimits struct {
	Kinds       []kindLimit `json:"kinds"`
	UploadLimit int64       `json:"uploadLimit"`
	ChunkSize   int64       `json:"chunkSize"`
}

// kindLimit is one kind's largest file and its accepted MIME types (none
// listed: any type).
type kindLimit struct {
	Kind    juta.MessageKind `json:"kind"`
	MaxSize int64            `json:"maxSize"`
	Types   []string         `json:"types"`
}

// mediaLimitsOf builds the answer from juta.MediaLimits, juta.MediaTypes and,
// for voice notes, the browsers' recordings made into them
// (juta.VoiceRecordingTypes).
func mediaLimitsOf(uploadLimit int) mediaLimits {
	out := mediaLimits{UploadLimit: int64(uploadLimit), ChunkSize: juta.UploadChunkSize}
	for _, k := range []juta.MessageKind{juta.KindImage, juta.KindVideo, juta.KindAudio, juta.KindVoice, juta.KindDocument, juta.KindSticker} {
		types := append([]string{}, juta.MediaTypes[k]...)
		if k == juta.KindVoice {
			types = append(types, juta.VoiceRecordingTypes...) // remuxed to Ogg Opus on upload
		}
		out.Kinds = append(out.Kinds, kindLimit{Kind: k, MaxSize: juta.MediaLimits[k], Types: types})
	}
	return out
}

// getMediaLimits answers GET /api/media/limits.
func (s *Server) getMediaLimits(c *fiber.Ctx) error {
	return c.JSON(mediaLimitsOf(s.cfg.UploadLimit))
}
