package sim

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"strings"
	"time"

	juta "github.com/juta-app/juta"
)

// Media limits of the simulator: WhatsApp's own are larger, but the phone API
// carries files inside JSON and tests need no more.
const (
	maxMediaBytes = 16 << 20
	// maxDeviceFile bounds a file a device uploads (and downloads): past the
	// 16 MB of a single-request upload, so that documents sent in parts are
	// tested end to end, but not WhatsApp's 2 GB, which the simulator would
	// hold in memory.
	maxDeviceFile = 64 << 20
	// maxMediaBody caps a phone API message body that carries a file
	// (base64 makes 4 bytes of 3).
	maxMediaBody = maxMediaBytes/3*4 + maxBody
	// maxFiles bounds the files the server keeps; the oldest go first.
	maxFiles = 1000
)

// mediaPathPrefix starts every media path the simulator hands out; the rest
// is the file's SHA-256 in hex, so the same file is kept once.
const mediaPathPrefix = "/sim/media/"

// PhoneMessage is a message a phone sends through the phone API: text, or
// any kind with its content. Data is the file of a media kind (base64 in
// JSON); its size and checksum are computed, never taken from the caller.
type PhoneMessage struct {
	To   string `json:"to"`
	Name string `json:"name,omitempty"` // the sender's push name
	Text string `json:"text"`           // the text, or the caption
	juta.Content
	Data []byte `json:"data,omitempty"`
}

// fileStore keeps the simulator's media files by SHA-256, oldest first out.
type fileStore struct {
	byHash map[string][]byte
	order  []string
}

func (f *fileStore) put(data []byte) []byte {
	sum := sha256.Sum256(data)
	h := hex.EncodeToString(sum[:])
	if f.byHash == nil {
		f.byHash = make(map[string][]byte)
	}
	if _, ok := f.byHash[h]; !ok {
		if len(f.order) >= maxFiles {
			delete(f.byHash, f.order[0])
			f.order = f.order[1:]
		}
		f.byHash[h] = bytes.Clone(data)
		f.order = append(f.order, h)
	}
	return sum[:]
}

// checkPhoneMessage validates what a kind needs and returns the content to
// deliver (nil for text).
func checkPhoneMessage(in *PhoneMessage) (*juta.Content, error) {
	c := in.Content
	c.Media, c.Size = nil, 0
	if q := c.Quote; q != nil {
		if q.WAID == "" || len(q.WAID) > 128 || len(q.Sender) > 128 {
			return nil, juta.Errorf(juta.EINVALID, "quote needs the waId of the message replied to (at most 128 bytes)")
		}
		// A phone names the quoted message as WhatsApp does: id and sender.
		c.Quote = &juta.Quote{WAID: q.WAID, Sender: q.Sender}
	}
	if !c.Kind.Valid() {
		return nil, juta.Errorf(juta.EINVALID, "unknown kind %q", c.Kind)
	}
	if err := checkLen(in.Text); err != nil {
		return nil, err
	}
	if len(in.Name) > 256 || !juta.StorableText(in.Name) {
		return nil, juta.Errorf(juta.EINVALID, "name must be at most 256 bytes of UTF-8 without NUL characters")
	}
	switch {
	case c.Kind.HasMedia():
		if len(in.Data) == 0 {
			return nil, juta.Errorf(juta.EINVALID, "a %s needs data", c.Kind)
		}
		if len(in.Data) > maxMediaBytes {
			return nil, juta.Errorf(juta.ETOOLARGE, "data exceeds %d bytes", maxMediaBytes)
		}
		c.Size = int64(len(in.Data))
	case c.Kind.String() == string(juta.KindText):
		if in.Text == "" {
			return nil, juta.Errorf(juta.EINVALID, "text is empty")
		}
		if c.Quote == nil {
			return nil, nil
		}
	case c.Kind == juta.KindLocation && c.Location == nil,
		c.Kind == juta.KindContact && len(c.Contacts) == 0,
		c.Kind == juta.KindPoll && (c.Poll == nil || len(c.Poll.Options) < 2),
		c.Kind == juta.KindUnsupported && c.TypeName == "":
		return nil, juta.Errorf(juta.EINVALID, "a %s needs its details", c.Kind)
	}
	if !juta.StorableContent(&c) {
		return nil, juta.Errorf(juta.EINVALID, "content must be UTF-8 without NUL characters")
	}
	if b, _ := json.Marshal(c); len(b) > maxText {
		return nil, juta.Errorf(juta.ETOOLARGE, "content exceeds %d bytes", maxText)
	}
	return &c, nil
}

func checkLen(text string) error {
	if len(text) > maxText {
		return juta.Errorf(juta.ETOOLARGE, "text exceeds %d bytes", maxText)
	}
	return nil
}

// SendMessageFromPhone sends any kind of message from phone, as the phone
// API's messages route does, and returns the message id. A media file is
// kept by the server and served at its path (see MediaPath).
func (s *Server) SendMessageFromPhone(phone string, in PhoneMessage) (string, error) {
	to, ok := normalizeAddress(in.To)
	group := strings.HasSuffix(in.To, groupServer)
	if !validPhone(phone) || (!ok && !group) {
		return "", juta.Errorf(juta.EINVALID, "phones must be E.164")
	}
	c, err := checkPhoneMessage(&in)
	if err != nil {
		return "", err
	}
	s.mu.Lock()
	if c != nil && c.Kind.HasMedia() {
		c.Media = &juta.MediaRef{FileSHA256: s.files.put(in.Data)}
	}
	if group {
		m, flush, err := s.postGroupLocked(phone, in.To, wireMsg{Text: in.Text, C: c, Name: in.Name}, nil, false)
		s.mu.Unlock()
		s.flush(flush)
		return m.ID, err
	}
	m, flush := s.postLocked(phone, to, wireMsg{Text: in.Text, C: c, Name: in.Name}, nil, false)
	s.mu.Unlock()
	s.flush(flush)
	return m.ID, nil
}

// contentOf is the content a client reports for a delivered message: the
// media path is the file's address on the server.
func contentOf(m *wireMsg) juta.Content {
	if m.C == nil {
		return juta.Content{}
	}
	c := *m.C
	if c.Media != nil {
		c.Media = &juta.MediaRef{DirectPath: MediaPath(c.Media.FileSHA256), FileSHA256: c.Media.FileSHA256}
	}
	return c.Storable()
}

// MediaPath is where the server serves the file with this SHA-256.
func MediaPath(sha []byte) string { return mediaPathPrefix + hex.EncodeToString(sha) }

// serveMedia answers GET /sim/media/{sha256} with the file, ranges included.
func (s *Server) serveMedia(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", http.MethodGet)
		writeProblemStatus(w, http.StatusMethodNotAllowed, juta.EINVALID, "method not allowed")
		return
	}
	s.mu.Lock()
	data, ok := s.files.byHash[r.PathValue("sha")]
	s.mu.Unlock()
	if !ok {
		writeProblem(w, juta.Errorf(juta.ENOTFOUND, "no such file"))
		return
	}
	w.Header().Set("Content-Type", "application/octet-stream")
	http.ServeContent(w, r, "", time.Time{}, bytes.NewReader(data))
}

// SetDuplicateRate changes Options.DuplicateRate from now on, so that a test
// can run one stretch with every message delivered twice.
func (s *Server) SetDuplicateRate(rate float64) {
	s.mu.Lock()
	s.opts.DuplicateRate = rate
	s.mu.Unlock()
}
