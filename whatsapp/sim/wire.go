package sim

import (
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"sync"

	juta "github.com/juta-app/juta"
)

// protocolVersion is sent in the hello frame; the server refuses other versions
// so that a stale jutad and a newer simulator fail loudly instead of misreading.
const protocolVersion = 1

// maxFrame caps one frame's payload. A peer announcing more is cut off before
// anything is allocated, so garbage cannot make either side reserve memory.
const maxFrame = 256 << 10

// maxText caps a message text so that a message frame always fits in
// maxFrame, even when JSON escapes every byte to six.
const maxText = 32 << 10

// maxEmoji caps a reaction's emoji (one emoji with modifiers is far less).
const maxEmoji = 64

// Frame types.
const (
	tHello    = "hello"      // client -> server: version and device id ("" to link)
	tWelcome  = "welcome"    // server -> client: status of the hello
	tQR       = "qr"         // server -> client: a new linking code
	tPaired   = "paired"     // server -> client: linked as a new device
	tFailed   = "failed"     // server -> client: the linking attempt ended
	tReplaced = "replaced"   // server -> client: another connection took the device
	tLogout   = "logged_out" // server -> client: the device was unlinked
	tMsg      = "msg"        // server -> client: a message to acknowledge
	tAck      = "ack"        // client -> server: a message is stored
	tPair     = "pair"       // client -> server request: a pairing code for a phone
	tSend     = "send"       // client -> server request: send a text
	tUnlink   = "logout"     // client -> server request: unlink this device
	tRes      = "res"        // server -> client: the answer to a request
	tBye      = "bye"        // client -> server: closing on purpose
)

// Welcome statuses.
const (
	statusConnected = "connected"
	statusLinking   = "linking"
	statusLoggedOut = "logged_out"
	statusError     = "error"
)

// frame is every message of the protocol; each type uses a few of the fields.
// One flat struct keeps the codec trivial and the frames small (omitempty).
type frame struct {
	T      string `json:"t"`
	V      int    `json:"v,omitempty"`
	Req    uint64 `json:"req,omitempty"`
	Device string `json:"device,omitempty"`
	// Token, on hello, is the lease token the connecting node holds the
	// account's user under (cluster mode; 0 without one).
	Token   int64    `json:"token,omitempty"`
	Phone   string   `json:"phone,omitempty"`
	Status  string   `json:"status,omitempty"`
	Code    string   `json:"code,omitempty"`
	Expires int64    `json:"expires,omitempty"` // unix milliseconds
	To      string   `json:"to,omitempty"`
	Text    string   `json:"text,omitempty"`
	WAID    string   `json:"wa,omitempty"`
	SentAt  int64    `json:"sentAt,omitempty"` // unix milliseconds
	Reason  string   `json:"reason,omitempty"`
	Err     string   `json:"err,omitempty"` // a juta error code
	Detail  string   `json:"detail,omitempty"`
	Msg     *wireMsg `json:"msg,omitempty"`
	// Change, on a send request, sends a reaction instead of a text.
	Change *wireChange `json:"change,omitempty"`
	// C, on a send request, is the content of a message that is more than a
	// text (a reply, location, contacts, or a file uploaded before).
	C *juta.Content `json:"c,omitempty"`
}

// wireMsg is one delivered message.
type wireMsg struct {
	ID     string `json:"id"`
	Chat   string `json:"chat"`
	Sender string `json:"sender"`
	Name   string `json:"name,omitempty"` // the sender's push name
	FromMe bool   `json:"fromMe,omitempty"`
	Text   string `json:"text"`
	SentAt int64  `json:"sentAt"`
	// C is what a non-text message carries; the file itself stays on the
	// server, found by its SHA-256 (C.Media.FileSHA256).
	C *juta.Content `json:"c,omitempty"`
	// Change, when set, makes this an edit, delete, reaction or receipt of
	// earlier messages rather than a message of its own.
	Change *wireChange `json:"change,omitempty"`
	// History marks a past message sent in the batch that follows linking.
	History bool `json:"history,omitempty"`
	// Names, when set, makes this an address-book sync; Group a group's
	// info or a change of it (Chat is the group).
	Names []juta.PeerName `json:"names,omitempty"`
	Group *wireGroup      `json:"group,omitempty"`
}

// wireChange is what a change message does.
type wireChange struct {
	Kind    string   `json:"kind"` // edit, delete, reaction, delivered, read
	Targets []string `json:"targets"`
	Text    string   `json:"text,omitempty"`
}

var errFrameTooLarge = errors.New("frame exceeds size limit")

// bufPool holds read buffers: an idle connection owns none, only a reader in
// the middle of a frame does.
var bufPool = sync.Pool{New: func() any { b := make([]byte, 0, 1024); return &b }}

// readFrame reads one length-prefixed JSON frame. The 4-byte big-endian length
// comes first; a length of zero or above maxFrame is a protocol error.
func readFrame(r io.Reader) (frame, error) {
	var hdr [4]byte
	if _, err := io.ReadFull(r, hdr[:]); err != nil {
		return frame{}, err
	}
	n := binary.BigEndian.Uint32(hdr[:])
	if n == 0 || n > maxFrame {
		return frame{}, errFrameTooLarge
	}
	bp := bufPool.Get().(*[]byte)
	defer bufPool.Put(bp)
	if cap(*bp) < int(n) {
		*bp = make([]byte, n)
	}
	buf := (*bp)[:n]
	if _, err := io.ReadFull(r, buf); err != nil {
		if errors.Is(err, io.EOF) {
			err = io.ErrUnexpectedEOF
		}
		return frame{}, err
	}
	var f frame
	if err := json.Unmarshal(buf, &f); err != nil {
		return frame{}, fmt.Errorf("decode frame: %w", err)
	}
	if f.T == "" {
		return frame{}, errors.New("frame without type")
	}
	return f, nil
}

// encodeFrame returns the frame with its length prefix, ready to write.
func encodeFrame(f frame) ([]byte, error) {
	body, err := json.Marshal(f)
	if err != nil {
		return nil, fmt.Errorf("encode frame %s: %w", f.T, err)
	}
	if len(body) > maxFrame {
		return nil, errFrameTooLarge
	}
	out := make([]byte, 4+len(body))
	binary.BigEndian.PutUint32(out, uint32(len(body)))
	copy(out[4:], body)
	return out, nil
}
