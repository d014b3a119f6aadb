package sim

import (
	"bytes"
	"context"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"time"

	juta "github.com/juta-app/juta"
)

// uploadPath is where devices upload the files they send (WhatsApp's media
// servers in the simulated network); the answer names the file by its
// SHA-256, and GET /sim/media/{sha256} serves it.
const uploadPath = "/sim/media"

// SendMessage sends a reply, location, contact cards or file to the E.164
// phone or JID under waID as SendText does. A file is uploaded to the
// server first; the answer's Media is its path there. ETOOLARGE when the
// content does not fit a message of the simulated network.
func (c *Client) SendMessage(ctx context.Context, to string, out juta.WAOutgoing, waID string) (juta.WASent, error) {
	content := out.Content
	if content.Quote != nil {
		q := *content.Quote
		q.ID = 0 // the sender's own row id means nothing to the recipient
		content.Quote = &q
	}
	var ref *juta.MediaRef
	if content.Kind.HasMedia() {
		sha, err := c.upload(ctx, out.File, content.Size)
		if err != nil {
			return juta.WASent{}, err
		}
		ref = &juta.MediaRef{DirectPath: MediaPath(sha), FileSHA256: sha}
		content.Media = &juta.MediaRef{FileSHA256: sha}
	}
	if b, _ := json.Marshal(content); len(b) > maxText {
		return juta.WASent{}, juta.Errorf(juta.ETOOLARGE, "content exceeds %d bytes", maxText)
	}
	res, err := c.request(ctx, frame{T: tSend, To: to, Text: out.Text, WAID: waID, C: &content})
	if err != nil {
		return juta.WASent{}, err
	}
	return juta.WASent{ID: res.WAID, SentAt: time.UnixMilli(res.SentAt), Media: ref}, nil
}

// upload streams the size bytes of file to the server's media store, as a
// device does, and returns its SHA-256.
func (c *Client) upload(ctx context.Context, file io.Reader, size int64) ([]byte, error) {
	if file == nil || size <= 0 || size > maxDeviceFile {
		return nil, juta.Errorf(juta.ETOOLARGE, "a file must have 1 to %d bytes", maxDeviceFile)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, "http://"+c.p.addr+uploadPath, io.NopCloser(io.LimitReader(file, size)))
	if err != nil {
		return nil, err
	}
	req.ContentLength = size
	if c.p.token != "" {
		req.Header.Set("Authorization", "Bearer "+c.p.token)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		return nil, fmt.Errorf("upload media: %w", err)
	}
	defer res.Body.Close()
	var out struct {
		SHA256 string `json:"sha256"`
	}
	if res.StatusCode != http.StatusCreated {
		return nil, fmt.Errorf("upload media: HTTP %d", res.StatusCode)
	}
	if err := json.NewDecoder(io.LimitReader(res.Body, 1<<10)).Decode(&out); err != nil {
		return nil, fmt.Errorf("upload media: %w", err)
	}
	sha, err := hex.DecodeString(out.SHA256)
	if err != nil || len(sha) != 32 {
		return nil, fmt.Errorf("upload media: bad checksum %q", out.SHA256)
	}
	return sha, nil
}

// serveUpload keeps a file a device uploads and answers its SHA-256.
func (s *Server) serveUpload(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		writeProblemStatus(w, http.StatusMethodNotAllowed, juta.EINVALID, "method not allowed")
		return
	}
	data, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxDeviceFile))
	if err != nil || len(data) == 0 {
		writeProblem(w, juta.Errorf(juta.ETOOLARGE, "a file must have 1 to %d bytes", maxDeviceFile))
		return
	}
	s.mu.Lock()
	sha := s.files.put(data)
	s.mu.Unlock()
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(http.StatusCreated)
	_ = json.NewEncoder(w).Encode(map[string]string{"sha256": hex.EncodeToString(sha)})
}

// File returns the file the server keeps under this SHA-256 (sent by a
// phone or uploaded by a device), for tests to compare.
func (s *Server) File(sha []byte) ([]byte, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	data, ok := s.files.byHash[hex.EncodeToString(sha)]
	return bytes.Clone(data), ok
}

// checkSentContentLocked checks the content of a send request: a known kind
// that is not a change or a poll, storable strings, a size that fits a
// message, and for a file one the server keeps.
func (s *Server) checkSentContentLocked(f frame) error {
	c := f.C
	if f.Change != nil || !c.Kind.Valid() || c.Kind == juta.KindPoll || c.Kind == juta.KindUnsupported {
		return juta.Errorf(juta.EINVALID, "a device sends a text, reply, location, contacts or file")
	}
	if err := checkLen(f.Text); err != nil {
		return err
	}
	if !juta.StorableContent(c) || !juta.StorableText(f.Text) {
		return juta.Errorf(juta.EINVALID, "content must be UTF-8 without NUL characters")
	}
	if b, _ := json.Marshal(c); len(b) > maxText {
		return juta.Errorf(juta.ETOOLARGE, "content exceeds %d bytes", maxText)
	}
	if c.Kind.HasMedia() {
		if c.Media == nil {
			return juta.Errorf(juta.EINVALID, "a %s needs an uploaded file", c.Kind)
		}
		if _, ok := s.files.byHash[hex.EncodeToString(c.Media.FileSHA256)]; !ok {
			return juta.Errorf(juta.EINVALID, "no uploaded file has this checksum")
		}
	}
	return nil
}
