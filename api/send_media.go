package api

import (
	"context"
	"io"
	"mime/multipart"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/gofiber/fiber/v2"
	"github.com/valyala/fasthttp"

	"github.com/juta-app/juta"
	"github.com/juta-app/juta/app"
)

const (
	// maxCaptionLen bounds a media caption: 1024 characters (Meta's WhatsApp
	// Cloud API reference, "Media messages": caption).
	maxCaptionLen = juta.MaxCaption
	// DefaultUploadLimit caps the body of the routes that take a file: the
	// largest media WhatsApp sends as such (16 MB) and the multipart framing.
	DefaultUploadLimit = 16<<20 + 64<<10
)

// uploadLimits gives the routes that take a file (takesFile) a body limit
// of limit; other requests keep the server's.
func uploadLimits(limit int) func(*fasthttp.RequestHeader) fasthttp.RequestConfig {
	return func(h *fasthttp.RequestHeader) fasthttp.RequestConfig {
		path := string(h.RequestURI())
		path, _, _ = strings.Cut(path, "?")
		if takesFile(string(h.Method()), path) {
			return fasthttp.RequestConfig{MaxRequestBodySize: limit}
		}
		return fasthttp.RequestConfig{}
	}
}

// takesFile says whether a request of method to path may carry a file:
// POST /api/sessions/{id}/media and .../messages, and a part of a chunked
// upload, PUT /api/sessions/{id}/uploads/{uploadId}.
func takesFile(method, path string) bool {
	if !strings.HasPrefix(path, "/api/sessions/") {
		return false
	}
	switch method {
	case fiber.MethodPost:
		return (strings.HasSuffix(path, "/media") || strings.HasSuffix(path, "/messages")) && strings.Count(path, "/") == 4
	case fiber.MethodPut:
		return strings.Count(path, "/") == 5 && strings.Split(path, "/")[4] == "uploads"
	}
	return false
}

// uploadMedia answers POST /api/sessions/{id}/media (multipart, "file" and
// optionally "kind"): 201 with the upload and the mediaId a send names it by.
// WhatsApp's size and type limits are checked before anything is stored.
func (s *Server) uploadMedia(c *fiber.Ctx) error {
	sid, err := s.callerSession(c)
	if err != nil {
		return err
	}
	form, err := multipartForm(c)
	if err != nil {
		return err
	}
	f, err := formFile(form)
	if err != nil {
		return err
	}
	ctx, cancel := s.callContext(c)
	defer cancel()
	u, err := s.sends(c).Upload(ctx, userID(c), sid, f)
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(u)
}

// sendBody is the send a request asks for: JSON, or multipart/form-data
// with "to", "caption", "quote", "kind" and "file", whose file is uploaded
// first.
func (s *Server) sendBody(ctx context.Context, c *fiber.Ctx, sid juta.SessionID) (sendRequest, error) {
	if !strings.HasPrefix(strings.ToLower(c.Get(fiber.HeaderContentType)), fiber.MIMEMultipartForm) {
		return parseSendRequest(c.Body())
	}
	form, err := multipartForm(c)
	if err != nil {
		return sendRequest{}, err
	}
	in := sendRequest{To: formValue(form, "to"), Caption: formValue(form, "caption")}
	if q := formValue(form, "quote"); q != "" {
		if in.Quote, err = strconv.ParseInt(q, 10, 64); err != nil || in.Quote <= 0 {
			return sendRequest{}, juta.Errorf(juta.EINVALID, "quote must be the id of a message")
		}
	}
	if in.To, err = parseRecipient(in.To); err != nil {
		return sendRequest{}, err
	}
	if err := checkCaption(in.Caption); err != nil {
		return sendRequest{}, err
	}
	f, err := formFile(form)
	if err != nil {
		return sendRequest{}, err
	}
	u, err := s.sends(c).Upload(ctx, userID(c), sid, f)
	if err != nil {
		return sendRequest{}, err
	}
	in.MediaID, in.Text = u.MediaID, in.Caption
	return in, nil
}

// parseKinds checks a send of a location, contact cards or an uploaded file
// (with a caption), each alone, optionally quoting a message.
func parseKinds(to string, in sendRequest) (sendRequest, error) {
	n := 0
	for _, set := range []bool{in.Location != nil, in.Contacts != nil, in.MediaID != ""} {
		if set {
			n++
		}
	}
	switch {
	case n != 1:
		return sendRequest{}, juta.Errorf(juta.EINVALID, "a send carries one of text, location, contacts or mediaId")
	case in.Text != "":
		return sendRequest{}, juta.Errorf(juta.EINVALID, "a location, contacts or file has no text (a file has a caption)")
	case in.Caption != "" && in.MediaID == "":
		return sendRequest{}, juta.Errorf(juta.EINVALID, "caption goes with mediaId")
	}
	if err := checkCaption(in.Caption); err != nil {
		return sendRequest{}, err
	}
	out := sendRequest{To: to, Quote: in.Quote, Location: in.Location, Contacts: in.Contacts, MediaID: in.MediaID, Text: in.Caption}
	// The content rules are the root's, checked here so that a bad request
	// is refused before it takes a key.
	probe := juta.Outgoing{To: to, Text: out.Text}
	switch {
	case in.Location != nil:
		probe.Content = juta.Content{Kind: juta.KindLocation, Location: in.Location}
	case in.Contacts != nil:
		probe.Content = juta.Content{Kind: juta.KindContact, Contacts: in.Contacts}
	default:
		return out, nil // the media id is checked by the send
	}
	return out, juta.CheckOutgoingContent(&probe)
}

func checkCaption(caption string) error {
	if utf8.RuneCountInString(caption) > maxCaptionLen || !juta.StorableText(caption) {
		return juta.Errorf(juta.EINVALID, "caption must be at most %d characters of UTF-8 without NUL", maxCaptionLen)
	}
	return nil
}

// multipartForm parses a multipart/form-data body: EINVALID when it is not one.
func multipartForm(c *fiber.Ctx) (*multipart.Form, error) {
	form, err := c.MultipartForm()
	if err != nil {
		return nil, juta.Errorf(juta.EINVALID, "the body must be multipart/form-data with a file field")
	}
	return form, nil
}

func formValue(form *multipart.Form, name string) string {
	if v := form.Value[name]; len(v) == 1 {
		return strings.Clone(v[0])
	}
	return ""
}

// formFile reads the one "file" of form, with the kind it is sent as
// ("kind", optional) and its name and type as the client gave them.
func formFile(form *multipart.Form) (app.File, error) {
	files := form.File["file"]
	if len(files) != 1 {
		return app.File{}, juta.Errorf(juta.EINVALID, "one file field is required")
	}
	fh := files[0]
	kind := juta.MessageKind(formValue(form, "kind"))
	if kind != "" && !kind.HasMedia() {
		return app.File{}, juta.Errorf(juta.EINVALID, "kind must be image, video, audio, voice, document or sticker")
	}
	r, err := fh.Open()
	if err != nil {
		return app.File{}, juta.Errorf(juta.EINVALID, "the file cannot be read")
	}
	defer r.Close()
	data, err := io.ReadAll(r)
	if err != nil {
		return app.File{}, juta.Errorf(juta.EINVALID, "the file cannot be read")
	}
	return app.File{Name: strings.Clone(fh.Filename), MIME: strings.Clone(fh.Header.Get(fiber.HeaderContentType)),
		Kind: kind, Data: data}, nil
}
