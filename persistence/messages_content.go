package persistence

import (
	"encoding/json"
	"fmt"

	"github.com/juta-app/juta"
)

// contentDoc is a message's Content as the content column keeps it: the
// media's path and encrypted checksum included (the API's JSON leaves them
// out), the media key not (it has a column of its own). Plain text has no
// document at all (NULL).
type contentDoc struct {
	TypeName string         `json:"typeName,omitempty"`
	FileName string         `json:"fileName,omitempty"`
	MIME     string         `json:"mime,omitempty"`
	Size     int64          `json:"size,omitempty"`
	Duration int            `json:"duration,omitempty"`
	Width    int            `json:"width,omitempty"`
	Height   int            `json:"height,omitempty"`
	Media    *mediaDoc      `json:"media,omitempty"`
	Location *juta.Location `json:"location,omitempty"`
	Contacts []juta.Contact `json:"contacts,omitempty"`
	Poll     *juta.Poll     `json:"poll,omitempty"`
	Quote    *juta.Quote    `json:"quote,omitempty"`
}

type mediaDoc struct {
	DirectPath    string `json:"path,omitempty"`
	FileSHA256    []byte `json:"sha256,omitempty"`
	FileEncSHA256 []byte `json:"encSha256,omitempty"`
}

// encodeContent returns the kind, the content document ("" for plain text)
// and the media key of c.
func encodeContent(c *juta.Content) (kind, doc string, key []byte, err error) {
	kind = c.Kind.String()
	if c.IsText() {
		return kind, "", nil, nil
	}
	d := contentDoc{TypeName: c.TypeName, FileName: c.FileName, MIME: c.MIME, Size: c.Size, Duration: c.Duration,
		Width: c.Width, Height: c.Height, Location: c.Location, Contacts: c.Contacts, Poll: c.Poll, Quote: c.Quote}
	if m := c.Media; m != nil {
		d.Media = &mediaDoc{DirectPath: m.DirectPath, FileSHA256: m.FileSHA256, FileEncSHA256: m.FileEncSHA256}
		key = m.MediaKey
	}
	b, err := json.Marshal(d)
	if err != nil {
		return "", "", nil, fmt.Errorf("encode message content: %w", err)
	}
	return kind, string(b), key, nil
}

// decodeContent rebuilds a Content from its columns.
func decodeContent(kind string, doc, key []byte) (juta.Content, error) {
	c := juta.Content{Kind: juta.MessageKind(kind)}
	if len(doc) == 0 {
		return c, nil
	}
	var d contentDoc
	if err := json.Unmarshal(doc, &d); err != nil {
		return c, fmt.Errorf("decode message content: %w", err)
	}
	c.TypeName, c.FileName, c.MIME, c.Size, c.Duration = d.TypeName, d.FileName, d.MIME, d.Size, d.Duration
	c.Width, c.Height, c.Location, c.Contacts, c.Poll, c.Quote = d.Width, d.Height, d.Location, d.Contacts, d.Poll, d.Quote
	if m := d.Media; m != nil {
		c.Media = &juta.MediaRef{DirectPath: m.DirectPath, MediaKey: key, FileSHA256: m.FileSHA256, FileEncSHA256: m.FileEncSHA256}
	}
	return c, nil
}
