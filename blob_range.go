package juta

// ByteRange is one byte range of RFC 9110 section 14.1.2: First through Last
// (Last < 0: to the end), or with First < 0 the last Last bytes (a suffix).
type ByteRange struct {
	First, Last int64
}

// WholeBlob is the range of a whole file, empty ones included.
var WholeBlob = ByteRange{First: 0, Last: -1}

// SuffixRange is the range of the last n bytes.
func SuffixRange(n int64) ByteRange { return ByteRange{First: -1, Last: n} }

// BlobSpan is the part of a blob a read returns: Len bytes from Off, of a
// file of Size bytes.
type BlobSpan struct {
	Off, Len, Size int64
}

// Span resolves r against a file of size bytes; ok is false when r is not
// satisfiable (it starts at or past the end, or is an empty suffix).
func (r ByteRange) Span(size int64) (BlobSpan, bool) {
	switch {
	case r == WholeBlob:
		return BlobSpan{Len: size, Size: size}, true
	case r.First < 0:
		if r.Last <= 0 || size == 0 {
			return BlobSpan{Size: size}, false
		}
		n := min(r.Last, size)
		return BlobSpan{Off: size - n, Len: n, Size: size}, true
	case r.First >= size || (r.Last >= 0 && r.Last < r.First):
		return BlobSpan{Size: size}, false
	}
	end := size - 1
	if r.Last >= 0 {
		end = min(r.Last, end)
	}
	return BlobSpan{Off: r.First, Len: end - r.First + 1, Size: size}, true
}

// RangeError is the ERANGE a read of r from a file of size bytes fails with.
func RangeError(size int64) (BlobSpan, error) {
	return BlobSpan{Size: size}, Errorf(ERANGE, "the range is past the end of the file (%d bytes)", size)
}
