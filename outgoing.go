package juta

import (
	"io"
	"strings"
	"time"
)

// Outgoing is a message the user sends that is more than a plain text: a
// reply quoting a stored message, a location, contact cards or an uploaded
// file. Text is the text, or a media message's caption. A media kind names
// its file by the SHA-256 of the user's uploaded blob (Media.FileSHA256);
// the session reads the bytes from the blob store. It crosses nodes as JSON.
type Outgoing struct {
	To      string `json:"to"`
	Text    string `json:"text,omitempty"`
	Quote   int64  `json:"quote,omitempty"` // stored id of the message replied to, 0 for none
	Content `json:"content"`
}

// Quote names the message a reply quotes: its WhatsApp id (the stanza id
// WhatsApp's context info carries) and sender ("" when WhatsApp left it
// out). Reads add what the session stores of it, from the same chat only:
// its stored id, its kind and the start of its text (none once deleted).
// Only WAID and Sender are kept with the reply; the rest is read each time,
// so a quoted message stored later still shows.
type Quote struct {
	ID      int64       `json:"id,omitempty"`
	WAID    string      `json:"waId"`
	Sender  string      `json:"sender"`
	Kind    MessageKind `json:"kind,omitempty"`
	Preview string      `json:"preview,omitempty"`
}

// QuotePreviewLen is how many characters of a quoted message's text a
// reply shows.
const QuotePreviewLen = 100

// WAOutgoing is what a client sends for an Outgoing: the text, the content
// (kind, details, Quote), the message quoted (its key and text, which
// WhatsApp shows above the reply) and a media kind's file.
type WAOutgoing struct {
	Text       string
	Content    Content
	Quoted     *MessageKey
	QuotedText string
	// File reads a media kind's file, Content.Size bytes, as it is sent: a
	// client streams it (through a temporary file where it must encrypt it
	// first) and never holds it whole.
	File io.Reader
}

// WASent is what a client reports of a sent message: its id and time and,
// for a file, the reference that downloads it again.
type WASent struct {
	ID     string
	SentAt time.Time
	Media  *MediaRef
}

// Contact cards a message may carry, and their sizes: WhatsApp's own apps
// share at most 257 contacts at once (the "share contacts" picker); a card
// is bounded so that the content always fits a message row.
const (
	MaxContacts     = 257
	MaxVCardLen     = 16 << 10
	maxLocationText = 1024
)

// MediaTypes are the MIME types WhatsApp takes for each media kind (Meta's
// WhatsApp Cloud API reference, "Supported media types"); a document may be
// any type. A parameter after ";" (codecs) is ignored.
var MediaTypes = map[MessageKind][]string{
	KindImage:   {"image/jpeg", "image/png"},
	KindVideo:   {"video/mp4", "video/3gpp"},
	KindAudio:   {"audio/aac", "audio/mp4", "audio/mpeg", "audio/amr", "audio/ogg"},
	KindVoice:   {"audio/ogg"}, // push-to-talk notes are Opus in Ogg
	KindSticker: {"image/webp"},
}

// VoiceRecordingTypes are the types a browser records a voice note as:
// Chromium's MediaRecorder records Opus only in WebM. An upload of one as a
// voice note is remuxed to Ogg Opus (VoiceRemuxer) and kept, and sent, as
// VoiceMIME; WhatsApp itself never gets a WebM.
var VoiceRecordingTypes = []string{"audio/webm"}

// VoiceMIME is the type of a voice note made from a recording, as
// WhatsApp's own apps label theirs.
const VoiceMIME = "audio/ogg; codecs=opus"

// IsVoiceRecording reports whether a file of this MIME type is a browser's
// recording that a voice note is made from (VoiceRecordingTypes).
func IsVoiceRecording(mime string) bool {
	base := mimeBase(mime)
	for _, t := range VoiceRecordingTypes {
		if base == t {
			return true
		}
	}
	return false
}

// VoiceRemuxer makes a voice note of a browser's recording: the Opus
// packets of a WebM file moved as they are into an Ogg Opus file (no
// decoding, no outside program). RemuxVoice reads src to its end while it
// writes dst, holding neither whole, and returns how long the note plays.
// EMEDIATYPE when src has no Opus audio or has video; EINVALID when it is
// not a WebM file or is cut short; an error of src or dst comes back as it
// is. dst may have part of the file when it fails. VoiceLength passes an
// Ogg voice note through unchanged (r reads src) and, once r was read to
// its end, length says how long it plays: 0 when it is not Ogg Opus.
type VoiceRemuxer interface {
	RemuxVoice(dst io.Writer, src io.Reader) (time.Duration, error)
	VoiceLength(src io.Reader) (r io.Reader, length func() time.Duration)
}

// mimeBase is a MIME type without its parameters, in lower case.
func mimeBase(mime string) string {
	return strings.ToLower(strings.TrimSpace(strings.SplitN(mime, ";", 2)[0]))
}

// CheckMedia refuses a file WhatsApp would refuse as kind: ETOOLARGE over
// MediaLimits, EMEDIATYPE for a type the kind does not take, EINVALID for a
// kind that carries no file or an empty file.
func CheckMedia(kind MessageKind, mime string, size int64) error {
	limit, ok := MediaLimits[kind]
	switch {
	case !ok:
		return Errorf(EINVALID, "%s is not a media kind (image, video, audio, voice, document, sticker)", kind)
	case size <= 0:
		return Errorf(EINVALID, "the file is empty")
	case size > limit:
		return Errorf(ETOOLARGE, "a %s may be at most %d bytes (WhatsApp's limit); this file has %d", kind, limit, size)
	}
	types, restricted := MediaTypes[kind]
	if !restricted {
		return nil
	}
	base := mimeBase(mime)
	for _, t := range types {
		if base == t {
			return nil
		}
	}
	return Errorf(EMEDIATYPE, "WhatsApp takes a %s as %s, not %q", kind, strings.Join(types, ", "), base)
}

// MediaKindOf is the kind a file of this MIME type is sent as when the
// caller names none: images, videos and audio as themselves (a WebP image as
// a sticker, a browser's recording as a voice note), anything else as a
// document.
func MediaKindOf(mime string) MessageKind {
	if IsVoiceRecording(mime) {
		return KindVoice
	}
	base := mimeBase(mime)
	for _, k := range []MessageKind{KindImage, KindVideo, KindAudio, KindSticker} {
		for _, t := range MediaTypes[k] {
			if base == t {
				return k
			}
		}
	}
	return KindDocument
}

// CheckOutgoingContent refuses what the user may not send as out's content,
// before anything is sent (EINVALID unless said otherwise): a location
// needs valid coordinates, contact cards a name each, media a file, and
// every string must be storable.
func CheckOutgoingContent(out *Outgoing) error {
	c := &out.Content
	switch {
	case c.Kind == KindLocation:
		l := c.Location
		if l == nil || l.Latitude < -90 || l.Latitude > 90 || l.Longitude < -180 || l.Longitude > 180 {
			return Errorf(EINVALID, "location needs latitude (-90 to 90) and longitude (-180 to 180)")
		}
		if len(l.Name) > maxLocationText || len(l.Address) > maxLocationText || l.Live {
			return Errorf(EINVALID, "location name and address are at most %d bytes; a live location cannot be sent", maxLocationText)
		}
	case c.Kind == KindContact:
		if len(c.Contacts) == 0 || len(c.Contacts) > MaxContacts {
			return Errorf(EINVALID, "contacts needs 1 to %d cards", MaxContacts)
		}
		for _, k := range c.Contacts {
			if strings.TrimSpace(k.DisplayName) == "" || len(k.DisplayName) > maxLocationText || len(k.VCard) > MaxVCardLen {
				return Errorf(EINVALID, "each contact needs a displayName (at most %d bytes) and a vcard of at most %d bytes", maxLocationText, MaxVCardLen)
			}
		}
	case c.Kind.HasMedia():
		if c.Media == nil || len(c.Media.FileSHA256) != 32 {
			return Errorf(EINVALID, "a %s needs an uploaded file", c.Kind)
		}
		if err := CheckMedia(c.Kind, c.MIME, c.Size); err != nil {
			return err
		}
	case c.Kind.String() == string(KindText):
		if strings.TrimSpace(out.Text) == "" {
			return Errorf(EINVALID, "text is required")
		}
	default:
		return Errorf(EINVALID, "a %s cannot be sent", c.Kind)
	}
	if !StorableText(out.Text) || !StorableContent(c) {
		return Errorf(EINVALID, "text and content must be UTF-8 without NUL characters")
	}
	return nil
}
