package opus

import (
	"bytes"
	"encoding/binary"
	"io"
	"time"
)

// VoiceLength passes an Ogg file through unchanged and reads, as it goes,
// how long it plays when it is Ogg Opus: the last page's granule position
// less the pre-skip of its OpusHead, at 48 kHz (RFC 7845 sections 4 and 5.1).
// length, called once r was read to its end, is 0 for anything else (a
// file that is not Ogg, another codec, a cut page): the file is kept as it
// is all the same, only its length stays unknown.
func (Voice) VoiceLength(src io.Reader) (r io.Reader, length func() time.Duration) {
	p := &pageScanner{}
	return io.TeeReader(src, p), p.length
}

// pageScanner follows the pages of an Ogg stream written to it, keeping
// only what it needs of each: the header, the lacing values and the first
// packet's start.
type pageScanner struct {
	buf     []byte // the part of a page header or lacing table read so far
	body    int    // bytes of the current page's body still to skip
	head    []byte // the first page's body, up to the OpusHead fields read
	pages   int
	granule int64
	bad     bool
}

// maxLengthSamples is a day at 48 kHz: a longer length is a bad granule.
const maxLengthSamples = 48000 * 86400

// pageHeader is the fixed part of an Ogg page header (RFC 3533 section 6).
const pageHeader = 27

func (p *pageScanner) Write(b []byte) (int, error) {
	n := len(b)
	for len(b) > 0 && !p.bad {
		if p.body > 0 {
			k := min(p.body, len(b))
			if p.pages == 1 && len(p.head) < 19 {
				p.head = append(p.head, b[:min(k, 19-len(p.head))]...)
			}
			p.body -= k
			b = b[k:]
			continue
		}
		b = p.header(b)
	}
	return n, nil
}

// header takes the bytes of a page header (and its lacing values) from b
// and returns the rest.
func (p *pageScanner) header(b []byte) []byte {
	need := pageHeader
	if len(p.buf) >= pageHeader {
		need += int(p.buf[26])
	}
	k := min(need-len(p.buf), len(b))
	p.buf = append(p.buf, b[:k]...)
	b = b[k:]
	if len(p.buf) < need {
		return b
	}
	if len(p.buf) == pageHeader {
		if !bytes.Equal(p.buf[:4], []byte("OggS")) || p.buf[4] != 0 {
			p.bad = true
		}
		if p.buf[26] > 0 {
			return b // the lacing values come next
		}
	}
	p.pages++
	if g := int64(binary.LittleEndian.Uint64(p.buf[6:14])); g >= 0 {
		p.granule = g // -1: no packet ends on this page
	}
	for _, v := range p.buf[pageHeader:] {
		p.body += int(v)
	}
	p.buf = p.buf[:0]
	return b
}

func (p *pageScanner) length() time.Duration {
	if p.bad || p.body > 0 || len(p.buf) > 0 || len(p.head) < 19 || !bytes.Equal(p.head[:8], []byte("OpusHead")) {
		return 0
	}
	samples := p.granule - int64(binary.LittleEndian.Uint16(p.head[10:12]))
	if samples <= 0 || samples > maxLengthSamples {
		return 0 // none, or a granule no 16 MB voice note reaches
	}
	return time.Duration(samples) * time.Second / 48000
}
