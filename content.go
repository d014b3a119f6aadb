package juta

import "strings"

// MessageKind says what a message carries. Its JSON form is never empty: the
// zero kind is written as "text", so messages stored before kinds existed and
// messages built without one read as text.
type MessageKind string

// Message kinds. A message WhatsApp delivers that none of them fits is kept as
// KindUnsupported with WhatsApp's name of its type, never dropped.
const (
	KindText        MessageKind = "text"
	KindImage       MessageKind = "image"
	KindVideo       MessageKind = "video"
	KindAudio       MessageKind = "audio"
	KindVoice       MessageKind = "voice" // a push-to-talk voice note
	KindDocument    MessageKind = "document"
	KindSticker     MessageKind = "sticker"
	KindLocation    MessageKind = "location"
	KindContact     MessageKind = "contact"
	KindPoll        MessageKind = "poll"
	KindUnsupported MessageKind = "unsupported"
)

// MessageKinds lists every kind, in the order the API documents them.
var MessageKinds = []MessageKind{KindText, KindImage, KindVideo, KindAudio, KindVoice, KindDocument,
	KindSticker, KindLocation, KindContact, KindPoll, KindUnsupported}

// String returns the kind, "text" for the zero kind.
func (k MessageKind) String() string {
	if k == "" {
		return string(KindText)
	}
	return string(k)
}

// MarshalText writes the zero kind as "text".
func (k MessageKind) MarshalText() ([]byte, error) { return []byte(k.String()), nil }

// Valid reports whether k is one of MessageKinds (the zero kind counts as text).
func (k MessageKind) Valid() bool {
	for _, v := range MessageKinds {
		if k.String() == string(v) {
			return true
		}
	}
	return false
}

// HasMedia reports whether messages of this kind carry a file to download.
func (k MessageKind) HasMedia() bool {
	switch k {
	case KindImage, KindVideo, KindAudio, KindVoice, KindDocument, KindSticker:
		return true
	}
	return false
}

// HasCaption reports whether messages of this kind carry a caption the
// sender may edit: a photo, a video or a document (WhatsApp's caption edits,
// announced with message editing in 2023). A text message's text is edited
// as its own.
func (k MessageKind) HasCaption() bool {
	switch k {
	case KindImage, KindVideo, KindDocument:
		return true
	}
	return false
}

// MaxCaption is the longest caption a file may carry, in characters (Meta's
// WhatsApp Cloud API reference, "Media messages": caption).
const MaxCaption = 1024

// Content is what a message carries besides its text (which, for media, is the
// caption). A text message's Content is its kind alone.
type Content struct {
	Kind     MessageKind `json:"kind"`
	TypeName string      `json:"typeName,omitempty"` // unsupported: WhatsApp's name of the type
	FileName string      `json:"fileName,omitempty"`
	MIME     string      `json:"mimeType,omitempty"`
	Size     int64       `json:"size,omitempty"`            // bytes of the file
	Duration int         `json:"durationSeconds,omitempty"` // audio, voice, video
	Width    int         `json:"width,omitempty"`           // image, video, sticker
	Height   int         `json:"height,omitempty"`
	Media    *MediaRef   `json:"media,omitempty"`
	Location *Location   `json:"location,omitempty"`
	Contacts []Contact   `json:"contacts,omitempty"`
	Poll     *Poll       `json:"poll,omitempty"`
	// Quote, on a reply, names the message it quotes.
	Quote *Quote `json:"quote,omitempty"`
}

// MediaRef is what it takes to download a message's file from WhatsApp later.
// Only the file's checksum is shown to clients: the media key decrypts the
// file and the path locates it, so neither ever leaves the server (they are
// kept out of API answers and events by their JSON tags).
type MediaRef struct {
	DirectPath    string `json:"-"`
	MediaKey      []byte `json:"-"`
	FileSHA256    []byte `json:"fileSha256,omitempty"` // of the plain file
	FileEncSHA256 []byte `json:"-"`                    // of the encrypted download
}

// Location is a shared (or live) location.
type Location struct {
	Latitude  float64 `json:"latitude"`
	Longitude float64 `json:"longitude"`
	Name      string  `json:"name,omitempty"`
	Address   string  `json:"address,omitempty"`
	Live      bool    `json:"live,omitempty"`
}

// Contact is one shared contact card.
type Contact struct {
	DisplayName string `json:"displayName"`
	VCard       string `json:"vcard,omitempty"`
}

// Poll is a poll's question and options.
type Poll struct {
	Name            string   `json:"name"`
	Options         []string `json:"options"`
	SelectableCount int      `json:"selectableCount,omitempty"`
}

// IsText reports whether c is a plain text message's content, with nothing
// to store beyond the kind.
func (c *Content) IsText() bool {
	return c.Kind.String() == string(KindText) && c.TypeName == "" && c.FileName == "" && c.MIME == "" &&
		c.Size == 0 && c.Duration == 0 && c.Width == 0 && c.Height == 0 && c.Media == nil &&
		c.Location == nil && len(c.Contacts) == 0 && c.Poll == nil && c.Quote == nil
}

// Storable returns c with every string made storable (valid UTF-8, no NUL),
// as incoming content from the network must be before it is stored: a file
// name with a stray byte is no reason to lose the message.
func (c Content) Storable() Content {
	c.TypeName, c.FileName, c.MIME = cleanText(c.TypeName), cleanText(c.FileName), cleanText(c.MIME)
	if c.Media != nil {
		m := *c.Media
		m.DirectPath = cleanText(m.DirectPath)
		c.Media = &m
	}
	if c.Location != nil {
		l := *c.Location
		l.Name, l.Address = cleanText(l.Name), cleanText(l.Address)
		c.Location = &l
	}
	if c.Contacts != nil {
		cs := make([]Contact, len(c.Contacts))
		for i, k := range c.Contacts {
			cs[i] = Contact{DisplayName: cleanText(k.DisplayName), VCard: cleanText(k.VCard)}
		}
		c.Contacts = cs
	}
	if c.Poll != nil {
		p := *c.Poll
		p.Name = cleanText(p.Name)
		p.Options = make([]string, len(c.Poll.Options))
		for i, o := range c.Poll.Options {
			p.Options[i] = cleanText(o)
		}
		c.Poll = &p
	}
	if c.Quote != nil {
		q := *c.Quote
		q.WAID, q.Sender = cleanText(q.WAID), cleanText(q.Sender)
		c.Quote = &q
	}
	return c
}

// CleanText makes s storable: invalid UTF-8 becomes U+FFFD, NUL bytes go.
func CleanText(s string) string { return cleanText(s) }

func cleanText(s string) string {
	if StorableText(s) {
		return s
	}
	return strings.ReplaceAll(strings.ToValidUTF8(s, "\uFFFD"), "\x00", "")
}

// StorableContent reports whether c's kind is known and every string of c
// passes StorableText.
func StorableContent(c *Content) bool {
	if !c.Kind.Valid() {
		return false
	}
	ok := true
	c.eachString(func(s string) { ok = ok && StorableText(s) })
	return ok
}

// eachString calls f with every string of c.
func (c *Content) eachString(f func(string)) {
	f(c.TypeName)
	f(c.FileName)
	f(c.MIME)
	if c.Media != nil {
		f(c.Media.DirectPath)
	}
	if c.Location != nil {
		f(c.Location.Name)
		f(c.Location.Address)
	}
	for _, k := range c.Contacts {
		f(k.DisplayName)
		f(k.VCard)
	}
	if c.Poll != nil {
		f(c.Poll.Name)
		for _, o := range c.Poll.Options {
			f(o)
		}
	}
	if c.Quote != nil {
		f(c.Quote.WAID)
		f(c.Quote.Sender)
	}
}
