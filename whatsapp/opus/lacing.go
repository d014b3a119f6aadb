package opus

import "fmt"

// blockVint reads the variable-size track number that starts a block (marker
// removed); n is 0 when b does not hold one.
func blockVint(b []byte) (v uint64, n int) {
	if len(b) == 0 || b[0] == 0 {
		return 0, 0
	}
	length := 1
	for mask := byte(0x80); b[0]&mask == 0; mask >>= 1 {
		length++
	}
	if len(b) < length {
		return 0, 0
	}
	v = uint64(b[0]) & (0xFF >> length)
	for _, c := range b[1:length] {
		v = v<<8 | uint64(c)
	}
	return v, length
}

// lacing splits a block's body into its frames by the lacing its flags name
// (RFC 9559 section 10.4: none, Xiph, fixed-size or EBML), returning the
// frame sizes and the frames' bytes.
func lacing(flags byte, body []byte) ([]int, []byte, error) {
	mode := flags >> 1 & 3
	if mode == 0 {
		return []int{len(body)}, body, nil
	}
	if len(body) == 0 {
		return nil, nil, fmt.Errorf("%w: a laced block without frames", ErrInvalid)
	}
	count, body := int(body[0])+1, body[1:]
	var sizes []int
	var err error
	switch mode {
	case 1:
		sizes, body, err = xiphSizes(count, body)
	case 2:
		if len(body)%count != 0 {
			return nil, nil, fmt.Errorf("%w: fixed-size lacing of %d bytes into %d frames", ErrInvalid, len(body), count)
		}
		sizes = make([]int, count)
		for i := range sizes {
			sizes[i] = len(body) / count
		}
		return sizes, body, nil
	default:
		sizes, body, err = ebmlSizes(count, body)
	}
	if err != nil {
		return nil, nil, err
	}
	return lastFrame(sizes, body)
}

// lastFrame gives the last frame of a laced block the bytes the sizes
// before it leave.
func lastFrame(sizes []int, body []byte) ([]int, []byte, error) {
	sum := 0
	for _, s := range sizes[:len(sizes)-1] {
		sum += s
	}
	if sum > len(body) {
		return nil, nil, fmt.Errorf("%w: laced frames past the block's end", ErrInvalid)
	}
	sizes[len(sizes)-1] = len(body) - sum
	return sizes, body, nil
}

// xiphSizes reads Xiph lacing: each size but the last as a run of 255s and
// a smaller byte.
func xiphSizes(count int, body []byte) ([]int, []byte, error) {
	sizes := make([]int, count)
	for i := 0; i < count-1; i++ {
		for {
			if len(body) == 0 {
				return nil, nil, fmt.Errorf("%w: Xiph lacing past the block's end", ErrInvalid)
			}
			b := body[0]
			body = body[1:]
			sizes[i] += int(b)
			if b != 255 {
				break
			}
		}
	}
	return sizes, body, nil
}

// ebmlSizes reads EBML lacing: the first size as a variable-size integer,
// each next one as a signed difference from the one before.
func ebmlSizes(count int, body []byte) ([]int, []byte, error) {
	sizes := make([]int, count)
	bad := fmt.Errorf("%w: EBML lacing past the block's end", ErrInvalid)
	if count == 1 {
		return sizes, body, nil
	}
	first, n := blockVint(body)
	if n == 0 || first > maxBlock {
		return nil, nil, bad
	}
	sizes[0], body = int(first), body[n:]
	for i := 1; i < count-1; i++ {
		raw, n := blockVint(body)
		if n == 0 {
			return nil, nil, bad
		}
		// A signed difference is stored biased by half its range (2^(7n-1) - 1).
		diff := int64(raw) - (int64(1)<<(7*n-1) - 1)
		next := int64(sizes[i-1]) + diff
		if next < 0 || next > maxBlock {
			return nil, nil, bad
		}
		sizes[i], body = int(next), body[n:]
	}
	return sizes, body, nil
}
