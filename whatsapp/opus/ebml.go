package opus

import (
	"bufio"
	"fmt"
	"io"
)

// unknownSize marks a master element whose size the muxer did not write (a
// live recorder cannot seek back: Chromium writes its Segment and Clusters
// so); it ends where an element of a higher level starts.
const unknownSize = -1

// element is an EBML element header: its ID (with the length marker, as the
// Matroska specification writes IDs), its data size (unknownSize when not
// written) and the offset of its data in the stream.
type element struct {
	id    uint32
	size  int64
	start int64
}

// end is the offset just past e's data, or -1 for an unknown size.
func (e element) end() int64 {
	if e.size == unknownSize {
		return -1
	}
	return e.start + e.size
}

// ebmlReader reads EBML (RFC 8794) element by element from a stream: it
// never seeks and never holds more than the one element it is asked to read.
type ebmlReader struct {
	r       *bufio.Reader
	off     int64    // bytes consumed
	pending *element // a header read ahead, given back by next
}

func newEBMLReader(r io.Reader) *ebmlReader {
	return &ebmlReader{r: bufio.NewReader(r)}
}

// next reads the next element header. io.EOF only when the stream ends
// cleanly between elements; a header cut short is ErrTruncated.
func (e *ebmlReader) next() (element, error) {
	if p := e.pending; p != nil {
		e.pending = nil
		return *p, nil
	}
	id, n, err := e.vint(4, true)
	if err != nil {
		if err == io.EOF && n == 0 {
			return element{}, io.EOF
		}
		return element{}, err
	}
	size, _, err := e.vint(8, false)
	if err == io.EOF {
		err = ErrTruncated
	}
	if err != nil {
		return element{}, err
	}
	return element{id: uint32(id), size: size, start: e.off}, nil
}

// unread gives el back to the next call of next: an element that ended a
// master of unknown size belongs to the level above.
func (e *ebmlReader) unread(el element) { e.pending = &el }

// vint reads a variable-size integer of at most maxLen bytes (RFC 8794
// section 4): an ID keeps its length marker, a size loses it and is
// unknownSize when all its value bits are set. n is how many bytes were read.
func (e *ebmlReader) vint(maxLen int, keepMarker bool) (v int64, n int, err error) {
	first, err := e.r.ReadByte()
	if err != nil {
		return 0, 0, err
	}
	e.off++
	length := 1
	for mask := byte(0x80); length <= 8 && first&mask == 0; mask >>= 1 {
		length++
	}
	if length > maxLen {
		return 0, 1, fmt.Errorf("%w: a variable-size integer of %d bytes at offset %d", ErrInvalid, length, e.off-1)
	}
	u := uint64(first)
	if !keepMarker {
		u &= uint64(0xFF) >> length
	}
	allOnes := u == uint64(0xFF)>>length
	for i := 1; i < length; i++ {
		b, err := e.r.ReadByte()
		if err != nil {
			return 0, i, truncated(err)
		}
		e.off++
		u = u<<8 | uint64(b)
		allOnes = allOnes && b == 0xFF
	}
	if !keepMarker && allOnes {
		return unknownSize, length, nil
	}
	if u > 1<<56 {
		return 0, length, fmt.Errorf("%w: a size past 2^56 at offset %d", ErrInvalid, e.off)
	}
	return int64(u), length, nil
}

// read reads el's data whole, refusing one larger than limit (the elements
// read whole are small: numbers, codec names and private data, blocks).
func (e *ebmlReader) read(el element, limit int64, buf []byte) ([]byte, error) {
	if el.size == unknownSize || el.size > limit {
		return nil, fmt.Errorf("%w: element %#x of %d bytes (at most %d)", ErrInvalid, el.id, el.size, limit)
	}
	if int64(cap(buf)) < el.size {
		buf = make([]byte, el.size)
	}
	buf = buf[:el.size]
	n, err := io.ReadFull(e.r, buf)
	e.off += int64(n)
	if err != nil {
		return nil, truncated(err)
	}
	return buf, nil
}

// skip discards el's data, streaming: an element of unknown size cannot be
// skipped.
func (e *ebmlReader) skip(el element) error {
	if el.size == unknownSize {
		return fmt.Errorf("%w: element %#x of unknown size", ErrInvalid, el.id)
	}
	n, err := io.CopyN(io.Discard, e.r, el.size)
	e.off += n
	return truncated(err)
}

// readUint reads el as an unsigned integer (at most 8 bytes).
func (e *ebmlReader) readUint(el element) (uint64, error) {
	var tmp [8]byte
	b, err := e.read(el, 8, tmp[:0])
	if err != nil {
		return 0, err
	}
	var u uint64
	for _, c := range b {
		u = u<<8 | uint64(c)
	}
	return u, nil
}

// readInt reads el as a signed integer (at most 8 bytes, two's complement).
func (e *ebmlReader) readInt(el element) (int64, error) {
	u, err := e.readUint(el)
	if err != nil || el.size == 0 {
		return 0, err
	}
	shift := 64 - 8*uint(el.size)
	return int64(u<<shift) >> shift, nil
}

// inside reports whether the reader is still within a master element that
// ends at end (-1: unknown, so the caller decides by the next ID).
func (e *ebmlReader) inside(end int64) bool { return end < 0 || e.off < end }
