package app

import (
	"bufio"
	"bytes"
	"context"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/juta-app/juta"
)

// maxFileName bounds a document's file name (what file systems allow).
const maxFileName = 255

// File is a file the user uploads to send: its bytes, its name and type as
// the client gave them, and the kind to send it as ("" picks one from the
// type, see juta.MediaKindOf).
type File struct {
	Name string
	MIME string
	Kind juta.MessageKind
	Data []byte
}

// Upload is an uploaded file: the id a send names it by, and what it is.
type Upload struct {
	MediaID  string           `json:"mediaId"`
	Kind     juta.MessageKind `json:"kind"`
	MIME     string           `json:"mimeType"`
	Size     int64            `json:"size"`
	FileName string           `json:"fileName,omitempty"`
	SHA256   string           `json:"sha256"`
	// Duration is how long a voice note made from a recording plays.
	Duration int `json:"durationSeconds,omitempty"`
}

// mediaIDPrefix starts every media id (its format's version).
const mediaIDPrefix = "m1."

// Upload checks f, for the owner's session sid, against WhatsApp's limits for its kind (before anything
// is stored: ETOOLARGE, EMEDIATYPE, EINVALID) and keeps it in the owner's
// blob store (EQUOTA past the quota). The media id names the file and what
// it is sent as; a send checks it all again, so an id a client made up
// sends nothing the client could not upload.
func (s *Sends) Upload(ctx context.Context, owner juta.UserID, sid juta.SessionID, f File) (Upload, error) {
	return s.UploadStream(ctx, owner, sid, FileStream{Name: f.Name, MIME: f.MIME, Kind: f.Kind,
		Size: int64(len(f.Data)), Body: bytes.NewReader(f.Data)})
}

// FileStream is a file the user uploads to send, read as it arrives: Size
// is what the client declared (-1: unknown), Body the bytes.
type FileStream struct {
	Name string
	MIME string
	Kind juta.MessageKind
	Size int64
	Body io.Reader
}

// UploadStream is Upload of a file that is never held whole in memory: the
// limits are checked from the declared size and type before anything is
// read, and enforced while the file streams into the blob store (ETOOLARGE
// past the kind's limit; nothing is stored then).
func (s *Sends) UploadStream(ctx context.Context, owner juta.UserID, sid juta.SessionID, f FileStream) (Upload, error) {
	if s.Blobs == nil {
		return Upload{}, juta.Errorf(juta.EUNAVAILABLE, "media uploads are not available")
	}
	body := bufio.NewReaderSize(f.Body, sniffLen)
	u, err := checkFile(f, body)
	if err != nil {
		return Upload{}, err
	}
	// The session must be the owner's: another's is ENOTFOUND, as on every
	// session route.
	if _, err := s.Runtime.Session(ctx, owner, sid); err != nil {
		return Upload{}, fmt.Errorf("upload to session %d: %w", sid, err)
	}
	return s.store(ctx, owner, u, body)
}

// store streams the checked upload u's bytes from body into the owner's
// blob store and names the file by its media id.
func (s *Sends) store(ctx context.Context, owner juta.UserID, u Upload, body io.Reader) (Upload, error) {
	info, err := s.writeUpload(ctx, owner, &u, body)
	if err != nil {
		return Upload{}, err
	}
	if info.Size == 0 {
		return Upload{}, juta.Errorf(juta.EINVALID, "the file is empty")
	}
	u.Size, u.SHA256 = info.Size, hex.EncodeToString(info.SHA256)
	doc, _ := json.Marshal(u)
	u.MediaID = mediaIDPrefix + base64.RawURLEncoding.EncodeToString(doc)
	return u, nil
}

// writeUpload streams the file of upload u into the owner's blobs: as it
// is, or a browser's voice recording remuxed to Ogg Opus on the way (u then
// names the Ogg file and how long it plays).
func (s *Sends) writeUpload(ctx context.Context, owner juta.UserID, u *Upload, body io.Reader) (juta.BlobInfo, error) {
	limit := juta.MediaLimits[u.Kind]
	if u.Kind != juta.KindVoice || !juta.IsVoiceRecording(u.MIME) {
		length := func() time.Duration { return 0 }
		if u.Kind == juta.KindVoice && s.Voice != nil { // an Ogg voice note: its length read on the way
			body, length = s.Voice.VoiceLength(body)
		}
		info, err := s.Blobs.WriteBlob(ctx, owner, body, limit, s.Quota)
		if err != nil {
			return info, fmt.Errorf("store upload of user %d: %w", owner, err)
		}
		if d := length(); d > 0 {
			u.Duration = seconds(d)
		}
		return info, nil
	}
	if s.Voice == nil {
		return juta.BlobInfo{}, juta.Errorf(juta.EMEDIATYPE, "voice notes recorded as WebM are not taken here; send Ogg Opus")
	}
	ogg, done := remux(s.Voice, body)
	info, err := s.Blobs.WriteBlob(ctx, owner, ogg, limit, s.Quota)
	d, rerr := done()
	if rerr != nil { // the recording's fault, or its reader's: the store only saw the pipe close
		return juta.BlobInfo{}, fmt.Errorf("remux voice note of user %d: %w", owner, rerr)
	}
	if err != nil {
		return info, fmt.Errorf("store voice note of user %d: %w", owner, err)
	}
	u.MIME, u.Duration = juta.VoiceMIME, seconds(d)
	return info, nil
}

// errStored is how a remux learns that the store stopped reading.
var errStored = errors.New("the store stopped reading")

// remux runs v on src in a goroutine and gives its output as a reader.
// done, called once the reader is no longer read, ends the goroutine and
// returns how long the note plays, or why the remux failed (nil when it
// only stopped because the reader was abandoned).
func remux(v juta.VoiceRemuxer, src io.Reader) (ogg io.Reader, done func() (time.Duration, error)) {
	pr, pw := io.Pipe()
	type result struct {
		d   time.Duration
		err error
	}
	ch := make(chan result, 1)
	go func() {
		d, err := v.RemuxVoice(pw, src)
		pw.CloseWithError(err) // nil: the reader sees EOF
		ch <- result{d, err}
	}()
	return pr, func() (time.Duration, error) {
		pr.CloseWithError(errStored)
		r := <-ch
		if errors.Is(r.err, errStored) {
			r.err = nil
		}
		return r.d, r.err
	}
}

// seconds is d in whole seconds as WhatsApp shows a voice note's length,
// at least 1 for any sound.
func seconds(d time.Duration) int {
	n := int((d + time.Second/2) / time.Second)
	if n == 0 && d > 0 {
		n = 1
	}
	return n
}

// sniffLen is how much of a file its type is sniffed from (what
// http.DetectContentType reads).
const sniffLen = 512

// checkFile is the upload f would be, or why WhatsApp would refuse it, from
// its declared size and type. A type the client did not name is sniffed
// from the first bytes of body, which stay unread.
func checkFile(f FileStream, body *bufio.Reader) (Upload, error) {
	mime := strings.ToLower(strings.TrimSpace(f.MIME))
	if mime == "" || mime == "application/octet-stream" {
		head, _ := body.Peek(sniffLen)
		mime = http.DetectContentType(head)
	}
	return checkDeclared(f.Name, mime, f.Kind, f.Size)
}

// checkDeclared is the upload a file of this name, type, kind ("": from
// the type) and size (< 0: unknown, enforced while it streams) would be,
// or why WhatsApp would refuse it.
func checkDeclared(name, mime string, kind juta.MessageKind, size int64) (Upload, error) {
	if kind == "" {
		kind = juta.MediaKindOf(mime)
	}
	if kind == juta.KindVoice && strings.HasPrefix(mime, "video/webm") {
		// A WebM is video/webm to a sniffer (and to some recorders) whatever
		// it holds; the remux refuses one that has video.
		mime = "audio/webm"
	}
	limitMIME := mime
	if juta.IsVoiceRecording(mime) && kind == juta.KindVoice {
		limitMIME = juta.VoiceMIME // what is kept and sent
	}
	u := Upload{Kind: kind, MIME: mime, Size: size}
	if kind == juta.KindDocument {
		u.FileName = name
	}
	declared := size
	if declared < 0 { // unknown: the limit is enforced while streaming
		declared = 1
	}
	if err := juta.CheckMedia(kind, limitMIME, declared); err != nil {
		return Upload{}, err
	}
	if len(u.FileName) > maxFileName || !juta.StorableText(u.FileName) || !juta.StorableText(mime) || utf8.RuneCountInString(mime) > 255 {
		return Upload{}, juta.Errorf(juta.EINVALID, "the file name and type must be UTF-8 without NUL characters, at most %d bytes", maxFileName)
	}
	return u, nil
}

// MediaSize is the size of the uploaded file mediaID names (0 for none or
// a malformed id: the send refuses it).
func MediaSize(mediaID string) int64 {
	c, err := mediaContent(mediaID)
	if err != nil {
		return 0
	}
	return c.Size
}

// mediaContent is the content of a send of the uploaded file mediaID.
func mediaContent(mediaID string) (juta.Content, error) {
	bad := juta.Errorf(juta.EINVALID, "mediaId is not the id of an uploaded file")
	raw, ok := strings.CutPrefix(mediaID, mediaIDPrefix)
	if !ok {
		return juta.Content{}, bad
	}
	doc, err := base64.RawURLEncoding.DecodeString(raw)
	var u Upload
	if err != nil || json.Unmarshal(doc, &u) != nil {
		return juta.Content{}, bad
	}
	sha, err := hex.DecodeString(u.SHA256)
	if err != nil || len(sha) != 32 {
		return juta.Content{}, bad
	}
	return juta.Content{Kind: u.Kind, MIME: u.MIME, Size: u.Size, FileName: u.FileName, Duration: u.Duration,
		Media: &juta.MediaRef{FileSHA256: sha}}, nil
}
