package app

import (
	"bytes"
	"context"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/juta-app/juta"
)

// Chunked is a chunked upload as its client sees it: where to send the next
// part, and how large a part may be.
type Chunked struct {
	UploadID  string    `json:"uploadId"`
	ChunkSize int       `json:"chunkSize"`
	Offset    int64     `json:"offset"`
	Size      int64     `json:"size"`
	ExpiresAt time.Time `json:"expiresAt"`
}

// BeginUpload is what a client declares of a file it will send in parts.
type BeginUpload struct {
	FileName string           `json:"fileName"`
	MIME     string           `json:"mimeType"`
	Size     int64            `json:"size"`
	Kind     juta.MessageKind `json:"kind"`
	SHA256   string           `json:"sha256,omitempty"`
}

// Part is one part of a chunked upload: its bytes, where they start and
// the whole file's size (the Content-Range a client sent).
type Part struct {
	Offset int64
	Total  int64
	Data   []byte
}

// Begin checks the declared file against WhatsApp's limits for its kind
// (ETOOLARGE, EMEDIATYPE, EINVALID) and the owner's quota (EQUOTA) before
// any byte is sent, and records the upload.
func (s *Sends) Begin(ctx context.Context, owner juta.UserID, sid juta.SessionID, b BeginUpload) (Chunked, error) {
	if s.Blobs == nil || s.Uploads == nil {
		return Chunked{}, juta.Errorf(juta.EUNAVAILABLE, "media uploads are not available")
	}
	mime := strings.ToLower(strings.TrimSpace(b.MIME))
	if mime == "" {
		mime = "application/octet-stream"
	}
	u, err := checkDeclared(b.FileName, mime, b.Kind, b.Size)
	if err != nil {
		return Chunked{}, err
	}
	var sum []byte
	if b.SHA256 != "" {
		if sum, err = hex.DecodeString(b.SHA256); err != nil || len(sum) != 32 {
			return Chunked{}, juta.Errorf(juta.EINVALID, "sha256 must be 64 hexadecimal digits")
		}
	}
	if _, err := s.Runtime.Session(ctx, owner, sid); err != nil {
		return Chunked{}, fmt.Errorf("upload to session %d: %w", sid, err)
	}
	p, err := s.Uploads.CreateUpload(ctx, owner, juta.PendingUpload{Session: sid, FileName: u.FileName,
		MIME: u.MIME, Kind: u.Kind, Size: u.Size, SHA256: sum}, s.Quota)
	if err != nil {
		return Chunked{}, fmt.Errorf("begin upload of user %d: %w", owner, err)
	}
	return chunked(p), nil
}

func chunked(p juta.PendingUpload) Chunked {
	return Chunked{UploadID: p.ID, ChunkSize: juta.UploadChunkSize, Offset: p.Received, Size: p.Size, ExpiresAt: p.ExpiresAt}
}

// UploadState is the owner's upload id of session sid (ENOTFOUND for
// another session's, an expired or an unknown one).
func (s *Sends) UploadState(ctx context.Context, owner juta.UserID, sid juta.SessionID, id string) (Chunked, error) {
	p, err := s.pending(ctx, owner, sid, id)
	return chunked(p), err
}

func (s *Sends) pending(ctx context.Context, owner juta.UserID, sid juta.SessionID, id string) (juta.PendingUpload, error) {
	if s.Uploads == nil {
		return juta.PendingUpload{}, juta.Errorf(juta.EUNAVAILABLE, "media uploads are not available")
	}
	p, err := s.Uploads.Upload(ctx, owner, id)
	if err == nil && p.Session != sid {
		err = juta.Errorf(juta.ENOTFOUND, "upload not found")
	}
	return p, err
}

// Abandon deletes the upload and its parts.
func (s *Sends) Abandon(ctx context.Context, owner juta.UserID, sid juta.SessionID, id string) error {
	if _, err := s.pending(ctx, owner, sid, id); err != nil {
		return err
	}
	return s.Uploads.DeleteUpload(ctx, owner, id)
}

// PutPart stores one part at the upload's offset (ECONFLICT elsewhere,
// unless it repeats a stored part exactly, which answers the same). The
// part that completes the file seals it into the blob store and answers
// the Upload that POST .../media would (done true), as does any repeat of it;
// a file whose checksum is not the declared one is refused (EINVALID) and
// the upload deleted, storing nothing.
func (s *Sends) PutPart(ctx context.Context, owner juta.UserID, sid juta.SessionID, id string, part Part) (Chunked, *Upload, error) {
	p, err := s.pending(ctx, owner, sid, id)
	if err != nil {
		return Chunked{}, nil, err
	}
	if err := checkPart(p, part); err != nil {
		return chunked(p), nil, err
	}
	if p, err = s.Uploads.PutUploadPart(ctx, owner, id, part.Offset, part.Data); err != nil {
		return chunked(p), nil, err
	}
	if !p.Done() {
		return chunked(p), nil, nil
	}
	u, err := s.seal(ctx, owner, p)
	return chunked(p), u, err
}

// checkPart refuses a part that cannot belong to p whatever its offset.
func checkPart(p juta.PendingUpload, part Part) error {
	switch {
	case part.Total != p.Size:
		return juta.Errorf(juta.EINVALID, "the upload has %d bytes, not %d", p.Size, part.Total)
	case len(part.Data) == 0 || len(part.Data) > juta.UploadChunkSize:
		return juta.Errorf(juta.EINVALID, "a part holds 1 to %d bytes", juta.UploadChunkSize)
	case part.Offset < 0 || part.Offset+int64(len(part.Data)) > p.Size:
		return juta.Errorf(juta.EINVALID, "the part ends past the upload's %d bytes", p.Size)
	}
	return nil
}

// seal writes the complete upload p into the blob store, once: a repeat of
// its last part answers the stored result. Sealing one file twice (two
// repeats at once) stores it once, blobs being content-addressed.
func (s *Sends) seal(ctx context.Context, owner juta.UserID, p juta.PendingUpload) (*Upload, error) {
	var u Upload
	if p.Result != nil {
		if err := json.Unmarshal(p.Result, &u); err != nil {
			return nil, fmt.Errorf("answer of upload %s: %w", p.ID, err)
		}
		return &u, nil
	}
	if p.SHA256 != nil && !bytes.Equal(p.SHA256, p.Sum) {
		if err := s.Uploads.DeleteUpload(ctx, owner, p.ID); err != nil {
			return nil, err
		}
		return nil, juta.Errorf(juta.EINVALID, "the file's SHA-256 is %x, not the declared %x: nothing was stored", p.Sum, p.SHA256)
	}
	rc, err := s.Uploads.UploadParts(ctx, owner, p.ID)
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	u, err = s.store(ctx, owner, Upload{Kind: p.Kind, MIME: p.MIME, FileName: p.FileName}, rc)
	if err != nil {
		return nil, err
	}
	if u.MIME == p.MIME && u.SHA256 != hex.EncodeToString(p.Sum) { // a voice recording is kept remuxed
		return nil, fmt.Errorf("upload %s: stored %s, received %x", p.ID, u.SHA256, p.Sum)
	}
	doc, _ := json.Marshal(u)
	if err := s.Uploads.FinishUpload(ctx, owner, p.ID, doc); err != nil {
		return nil, err
	}
	return &u, nil
}
