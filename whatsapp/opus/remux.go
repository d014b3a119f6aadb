// Package opus turns a voice note a browser recorded into the file WhatsApp
// plays as one. Chromium's MediaRecorder records Opus in WebM; WhatsApp's
// voice notes are Opus in Ogg. Remux moves the Opus packets from one
// container to the other as they are, without decoding them, reading and
// writing streams: it holds one block of the input and one page of the
// output, whatever the length of the recording.
//
// Sources: RFC 9559 (Matroska) and RFC 8794 (EBML) for the input, RFC 3533
// (Ogg) and RFC 7845 (Ogg encapsulation for Opus) for the output, RFC 6716
// section 3.1 for a packet's length. The codec uses the standard library
// only; Voice adapts it to the root's juta.VoiceRemuxer, which the upload
// workflow (package app) is given in cmd/jutad.
package opus

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"time"
)

// Why a file cannot be remuxed.
var (
	// ErrNotWebM: the file does not start as a WebM (EBML) document.
	ErrNotWebM = errors.New("not a WebM file")
	// ErrNoOpus: the file has no Opus audio track.
	ErrNoOpus = errors.New("no Opus audio track")
	// ErrVideo: the file has a video track (a voice note is audio only).
	ErrVideo = errors.New("a video track")
	// ErrTruncated: the file ends inside an element.
	ErrTruncated = errors.New("the file is cut short")
	// ErrInvalid: the file breaks the WebM or Opus rules in another way.
	ErrInvalid = errors.New("not a valid WebM Opus file")
)

// SampleRate is the rate of Ogg Opus granule positions, whatever the rate
// the audio was recorded at (RFC 7845 section 4).
const SampleRate = 48000

// Info describes a remuxed stream.
type Info struct {
	Channels int
	PreSkip  int   // samples the decoder drops at the start (OpusHead)
	Samples  int64 // granule position of the last page: the samples decoded, pre-skip included, trimmed
	Packets  int
	Pages    int
}

// Duration is how long the stream plays: its last granule position less
// the pre-skip, at 48 kHz (RFC 7845 section 4.1).
func (i Info) Duration() time.Duration {
	n := max(i.Samples-int64(i.PreSkip), 0)
	return time.Duration(n) * time.Second / SampleRate
}

// serial is the Ogg stream's serial number. A file holds one stream, so any
// number does; a fixed one makes the same recording the same file.
const serial = 0x4A555441

// vendor names the muxer in the OpusTags header.
const vendor = "juta"

// Remux reads a WebM file with one Opus audio track from src and writes it
// to dst as an Ogg Opus file: the OpusHead from the track's codec private
// data, an OpusTags header, then the packets on pages whose granule
// positions count each packet's samples, the last page flagged end of
// stream and trimmed by the last block's discard padding. ErrNotWebM,
// ErrNoOpus, ErrVideo, ErrTruncated or ErrInvalid (wrapped, with detail)
// say why a file is refused; an error of src or dst comes back as is. On an
// error dst may have received part of the file.
func Remux(dst io.Writer, src io.Reader) (Info, error) {
	var info Info
	o := &oggWriter{w: dst, serial: serial}
	var lastTrim int64
	d := &demuxer{r: newEBMLReader(src), scale: int64(time.Millisecond)}
	d.head = func(h []byte) error {
		ch, pre, err := checkOpusHead(h)
		if err != nil {
			return err
		}
		info.Channels, info.PreSkip = ch, pre
		if err := o.header(flagBOS, h); err != nil {
			return err
		}
		return o.header(0, opusTags())
	}
	d.packet = func(p []byte, _, discardNs int64) error {
		n, err := packetSamples(p)
		if err != nil {
			return err
		}
		if len(p) > maxPacket {
			return fmt.Errorf("%w: an Opus packet of %d bytes", ErrInvalid, len(p))
		}
		info.Packets++
		lastTrim = min(max(discardNs, 0), int64(time.Second)) * SampleRate / int64(time.Second)
		return o.packet(p, n)
	}
	if err := d.run(); err != nil {
		return info, err
	}
	if d.audio == nil {
		return info, fmt.Errorf("%w: no track list", ErrNoOpus)
	}
	if info.Packets == 0 {
		return info, fmt.Errorf("%w: no audio", ErrTruncated)
	}
	if err := o.finish(lastTrim); err != nil {
		return info, err
	}
	info.Samples, info.Pages = o.lastGP, o.pages
	return info, nil
}

// checkOpusHead checks the identification header a WebM Opus track carries
// as its codec private data (RFC 7845 section 5.1) and returns its channel
// count and pre-skip.
func checkOpusHead(h []byte) (channels, preSkip int, err error) {
	if len(h) < 19 || string(h[:8]) != "OpusHead" {
		return 0, 0, fmt.Errorf("%w: the Opus track has no OpusHead", ErrInvalid)
	}
	if h[8]>>4 != 0 {
		return 0, 0, fmt.Errorf("%w: OpusHead version %d", ErrInvalid, h[8])
	}
	channels, family := int(h[9]), h[18]
	want := 19
	if family != 0 {
		want = 21 + channels
	}
	if channels == 0 || family == 0 && channels > 2 || len(h) != want {
		return 0, 0, fmt.Errorf("%w: an OpusHead of %d channels, mapping %d, %d bytes", ErrInvalid, channels, family, len(h))
	}
	return channels, int(binary.LittleEndian.Uint16(h[10:])), nil
}

// opusTags is the comment header (RFC 7845 section 5.2): the vendor and no
// comments.
func opusTags() []byte {
	b := make([]byte, 0, 8+4+len(vendor)+4)
	b = append(b, "OpusTags"...)
	b = binary.LittleEndian.AppendUint32(b, uint32(len(vendor)))
	b = append(b, vendor...)
	return binary.LittleEndian.AppendUint32(b, 0)
}
