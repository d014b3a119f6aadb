package opus

import (
	"errors"
	"fmt"
	"io"
	"time"
)

// Matroska element IDs this demuxer reads (the Matroska specification,
// RFC 9559, section 5.1). Everything else is skipped.
const (
	idEBML           = 0x1A45DFA3
	idDocType        = 0x4282
	idSegment        = 0x18538067
	idCluster        = 0x1F43B675
	idTracks         = 0x1654AE6B
	idTrackEntry     = 0xAE
	idTrackNumber    = 0xD7
	idTrackType      = 0x83
	idCodecID        = 0x86
	idCodecPrivate   = 0x63A2
	idInfo           = 0x1549A966
	idTimecodeScale  = 0x2AD7B1
	idTimecode       = 0xE7
	idSimpleBlock    = 0xA3
	idBlockGroup     = 0xA0
	idBlock          = 0xA1
	idDiscardPadding = 0x75A2
)

// topLevel are the IDs that may follow a Cluster inside a Segment: one of
// them ends a Cluster of unknown size.
var topLevel = map[uint32]bool{
	0x114D9B74: true, // SeekHead
	idInfo:     true,
	idTracks:   true,
	idCluster:  true,
	0x1C53BB6B: true, // Cues
	0x1941A469: true, // Attachments
	0x1043A770: true, // Chapters
	0x1254C367: true, // Tags
	idEBML:     true, // a second stream chained after this one
	idSegment:  true,
}

// Matroska track types (RFC 9559, TrackType).
const (
	trackVideo = 1
	trackAudio = 2
)

// Sizes read whole: a block holds one Opus packet (at most 120 ms, 48 frames
// of 1275 bytes: RFC 6716 section 3.4) or a few laced ones.
const (
	maxBlock        = 256 << 10
	maxCodecPrivate = 1 << 10
	maxString       = 256
)

// track is one TrackEntry.
type track struct {
	number  uint64
	kind    uint64
	codec   string
	private []byte
}

// packetFunc takes one Opus packet of the audio track, with its block's
// timestamp and the discard padding it declares (nanoseconds, 0 when none).
// Laced packets share their block's timestamp.
type packetFunc func(pkt []byte, tsNs, discardNs int64) error

// demuxer walks a WebM stream and hands the Opus track's packets to a
// packetFunc in order, after head has been given the track's OpusHead.
type demuxer struct {
	r      *ebmlReader
	head   func(opusHead []byte) error
	packet packetFunc
	audio  *track // the Opus track, once Tracks was read
	buf    []byte // the current block, reused
	scale  int64  // nanoseconds per timestamp unit (TimecodeScale)
	base   int64  // the current Cluster's timestamp
}

// run demuxes the whole stream.
func (d *demuxer) run() error {
	if err := d.header(); err != nil {
		return err
	}
	seg, err := d.r.next()
	if err == io.EOF {
		return ErrTruncated
	}
	if err != nil {
		return err
	}
	if seg.id != idSegment {
		return fmt.Errorf("%w: element %#x where the Segment starts", ErrNotWebM, seg.id)
	}
	return d.segment(seg)
}

// header checks the EBML header: a WebM or Matroska document.
func (d *demuxer) header() error {
	el, err := d.r.next()
	if errors.Is(err, ErrTruncated) {
		return err
	}
	if err != nil || el.id != idEBML {
		return fmt.Errorf("%w: no EBML header", ErrNotWebM)
	}
	end, docType := el.end(), ""
	for d.r.inside(end) {
		child, err := d.r.next()
		if err != nil {
			return truncated(err)
		}
		if child.id != idDocType {
			if err := d.r.skip(child); err != nil {
				return err
			}
			continue
		}
		b, err := d.r.read(child, maxString, nil)
		if err != nil {
			return err
		}
		docType = string(b)
	}
	if docType != "webm" && docType != "matroska" {
		return fmt.Errorf("%w: document type %q", ErrNotWebM, docType)
	}
	return nil
}

// segment reads the Segment's children: Tracks, then Clusters.
func (d *demuxer) segment(seg element) error {
	end := seg.end()
	for d.r.inside(end) {
		el, err := d.r.next()
		if err == io.EOF && end < 0 {
			return nil // a live recording ends with the stream
		}
		if err != nil {
			return truncated(err)
		}
		switch el.id {
		case idInfo:
			err = d.info(el)
		case idTracks:
			err = d.tracks(el)
		case idCluster:
			err = d.cluster(el)
		case idEBML, idSegment:
			return nil // a chained stream: this one is whole
		default:
			err = d.r.skip(el)
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// info reads the Segment's TimecodeScale (1 ms when not written).
func (d *demuxer) info(el element) error {
	if el.size == unknownSize {
		return fmt.Errorf("%w: segment info of unknown size", ErrInvalid)
	}
	for d.r.inside(el.end()) {
		child, err := d.r.next()
		if err != nil {
			return truncated(err)
		}
		if child.id != idTimecodeScale {
			err = d.r.skip(child)
		} else {
			var u uint64
			u, err = d.r.readUint(child)
			if err == nil && (u == 0 || u > uint64(time.Second)) {
				err = fmt.Errorf("%w: a timestamp scale of %d ns", ErrInvalid, u)
			}
			d.scale = int64(u)
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// tracks reads the track list and picks the Opus track: a video track or
// no Opus track refuses the file.
func (d *demuxer) tracks(el element) error {
	if d.audio != nil {
		return fmt.Errorf("%w: a second track list", ErrInvalid)
	}
	if el.size == unknownSize {
		return fmt.Errorf("%w: a track list of unknown size", ErrInvalid)
	}
	var found []track
	for d.r.inside(el.end()) {
		child, err := d.r.next()
		if err != nil {
			return truncated(err)
		}
		if child.id != idTrackEntry {
			if err := d.r.skip(child); err != nil {
				return err
			}
			continue
		}
		t, err := d.trackEntry(child)
		if err != nil {
			return err
		}
		found = append(found, t)
	}
	return d.pick(found)
}

// pick chooses the Opus audio track of found.
func (d *demuxer) pick(found []track) error {
	var other string
	for i, t := range found {
		switch {
		case t.kind == trackVideo || len(t.codec) > 2 && t.codec[:2] == "V_":
			return fmt.Errorf("%w (%s)", ErrVideo, t.codec)
		case t.kind == trackAudio && t.codec == "A_OPUS" && d.audio == nil:
			d.audio = &found[i]
		case t.kind == trackAudio && t.codec != "A_OPUS":
			other = t.codec
		}
	}
	if d.audio == nil {
		if other != "" {
			return fmt.Errorf("%w: the audio is %s", ErrNoOpus, other)
		}
		return ErrNoOpus
	}
	return d.head(d.audio.private)
}

// trackEntry reads one TrackEntry.
func (d *demuxer) trackEntry(el element) (track, error) {
	var t track
	if el.size == unknownSize {
		return t, fmt.Errorf("%w: a track of unknown size", ErrInvalid)
	}
	for d.r.inside(el.end()) {
		child, err := d.r.next()
		if err != nil {
			return t, truncated(err)
		}
		switch child.id {
		case idTrackNumber:
			t.number, err = d.r.readUint(child)
		case idTrackType:
			t.kind, err = d.r.readUint(child)
		case idCodecID:
			var b []byte
			b, err = d.r.read(child, maxString, nil)
			t.codec = string(b)
		case idCodecPrivate:
			if child.size > maxCodecPrivate { // not an OpusHead (Vorbis headers, say)
				err = d.r.skip(child)
				break
			}
			t.private, err = d.r.read(child, maxCodecPrivate, nil)
		default:
			err = d.r.skip(child)
		}
		if err != nil {
			return t, err
		}
	}
	return t, nil
}

// cluster reads a Cluster's blocks. One of unknown size ends where a
// top-level element starts (or the stream ends).
func (d *demuxer) cluster(el element) error {
	if d.audio == nil {
		return fmt.Errorf("%w: audio before the track list", ErrInvalid)
	}
	end := el.end()
	for d.r.inside(end) {
		child, err := d.r.next()
		if err == io.EOF && end < 0 {
			return nil
		}
		if err != nil {
			return truncated(err)
		}
		if end < 0 && topLevel[child.id] {
			d.r.unread(child)
			return nil
		}
		switch child.id {
		case idSimpleBlock:
			err = d.block(child, 0)
		case idBlockGroup:
			err = d.blockGroup(child)
		case idTimecode:
			var u uint64
			u, err = d.r.readUint(child)
			d.base = int64(u & (1<<62 - 1))
		default:
			err = d.r.skip(child)
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// blockGroup reads a BlockGroup: its Block and the discard padding that
// trims the end of its last packet.
func (d *demuxer) blockGroup(el element) error {
	if el.size == unknownSize {
		return fmt.Errorf("%w: a block group of unknown size", ErrInvalid)
	}
	var block []byte
	var discard int64
	for d.r.inside(el.end()) {
		child, err := d.r.next()
		if err != nil {
			return truncated(err)
		}
		switch child.id {
		case idBlock:
			if block != nil {
				return fmt.Errorf("%w: a block group with two blocks", ErrInvalid)
			}
			block, err = d.r.read(child, maxBlock, d.buf)
			d.buf = block
		case idDiscardPadding:
			discard, err = d.r.readInt(child)
		default:
			err = d.r.skip(child)
		}
		if err != nil {
			return err
		}
	}
	if block == nil {
		return nil
	}
	return d.frames(block, discard)
}

// block reads a SimpleBlock.
func (d *demuxer) block(el element, discard int64) error {
	b, err := d.r.read(el, maxBlock, d.buf)
	if err != nil {
		return err
	}
	d.buf = b
	return d.frames(b, discard)
}

// frames hands the packets of block (RFC 9559 section 10: track number,
// timestamp, flags, then one frame or laced frames) to the packetFunc when
// it belongs to the Opus track.
func (d *demuxer) frames(block []byte, discard int64) error {
	num, n := blockVint(block)
	if n == 0 || len(block) < n+3 {
		return fmt.Errorf("%w: a block header", ErrInvalid)
	}
	if num != d.audio.number {
		return nil
	}
	rel := int64(int16(uint16(block[n])<<8 | uint16(block[n+1])))
	ts := (d.base + rel) * d.scale
	flags, body := block[n+2], block[n+3:]
	sizes, body, err := lacing(flags, body)
	if err != nil {
		return err
	}
	for i, size := range sizes {
		var pad int64
		if i == len(sizes)-1 {
			pad = discard
		}
		if err := d.packet(body[:size], ts, pad); err != nil {
			return err
		}
		body = body[size:]
	}
	return nil
}

// truncated turns an end of stream inside an element into ErrTruncated.
func truncated(err error) error {
	if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
		return ErrTruncated
	}
	return err
}
