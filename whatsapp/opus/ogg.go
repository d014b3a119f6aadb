package opus

import (
	"encoding/binary"
	"io"
)

// Ogg page header flags (RFC 3533 section 6).
const (
	flagContinued = 0x01
	flagBOS       = 0x02
	flagEOS       = 0x04
)

// Page limits: a page holds at most 255 lacing values (RFC 3533 section 6);
// audio pages are cut at about pageTarget bytes, so a reader finds a page
// start often enough to seek and the writer holds no more than that.
const (
	maxSegments = 255
	pageTarget  = 4 << 10
	// maxPacket fits one packet on a page of its own (255 lacing values).
	maxPacket = maxSegments*255 - 1
)

// crcTable is the Ogg CRC-32: polynomial 0x04C11DB7, MSB first, initial
// value 0 and no final XOR (RFC 3533 section 6, "CRC checksum").
var crcTable = func() (t [256]uint32) {
	for i := range t {
		r := uint32(i) << 24
		for range 8 {
			if r&0x80000000 != 0 {
				r = r<<1 ^ 0x04C11DB7
			} else {
				r <<= 1
			}
		}
		t[i] = r
	}
	return t
}()

func oggCRC(crc uint32, b []byte) uint32 {
	for _, c := range b {
		crc = crc<<8 ^ crcTable[byte(crc>>24)^c]
	}
	return crc
}

// oggWriter writes one logical Ogg stream, page by page. Packets wait in
// the current page until it is full, so the last page can carry the
// end-of-stream flag and the end trimming.
type oggWriter struct {
	w       io.Writer
	serial  uint32
	seq     uint32
	samples int64  // granule position after the packets written so far
	lastGP  int64  // granule position of the last page written
	segs    []byte // lacing values of the page being filled
	data    []byte // its packets
	pages   int
}

// page writes a page of whole packets (their lacing values in segs).
func (o *oggWriter) page(flags byte, granule int64, segs, data []byte) error {
	var h [27]byte
	copy(h[:], "OggS")
	h[5] = flags
	binary.LittleEndian.PutUint64(h[6:], uint64(granule))
	binary.LittleEndian.PutUint32(h[14:], o.serial)
	binary.LittleEndian.PutUint32(h[18:], o.seq)
	h[26] = byte(len(segs))
	crc := oggCRC(oggCRC(oggCRC(0, h[:]), segs), data)
	binary.LittleEndian.PutUint32(h[22:], crc)
	o.seq++
	o.pages++
	o.lastGP = granule
	for _, b := range [][]byte{h[:], segs, data} {
		if _, err := o.w.Write(b); err != nil {
			return err
		}
	}
	return nil
}

// header writes p alone on a page of its own with granule position 0, as
// RFC 7845 section 3 places the identification and comment headers.
func (o *oggWriter) header(flags byte, p []byte) error {
	return o.page(flags, 0, laceValues(nil, len(p)), p)
}

// packet adds an audio packet that decodes to samples, writing out the
// current page first when p does not fit on it.
func (o *oggWriter) packet(p []byte, samples int) error {
	need := len(p)/255 + 1
	if len(o.segs) > 0 && (len(o.segs)+need > maxSegments || len(o.data)+len(p) > pageTarget) {
		if err := o.flush(0, o.samples); err != nil {
			return err
		}
	}
	o.segs = laceValues(o.segs, len(p))
	o.data = append(o.data, p...)
	o.samples += int64(samples)
	return nil
}

// flush writes the packets waiting as one page.
func (o *oggWriter) flush(flags byte, granule int64) error {
	err := o.page(flags, granule, o.segs, o.data)
	o.segs, o.data = o.segs[:0], o.data[:0]
	return err
}

// finish writes the last page with the end-of-stream flag. Its granule
// position is trimmed by trim samples (RFC 7845 section 4.5: the end of the
// stream is cut where its last packet's padding starts), never below the
// page before it.
func (o *oggWriter) finish(trim int64) error {
	gp := max(o.samples-max(trim, 0), o.lastGP)
	return o.flush(flagEOS, gp)
}

// laceValues appends the lacing values of a packet of n bytes: a 255 for
// every whole 255 bytes and the rest (0 when n is a multiple of 255).
func laceValues(segs []byte, n int) []byte {
	for ; n >= 255; n -= 255 {
		segs = append(segs, 255)
	}
	return append(segs, byte(n))
}
