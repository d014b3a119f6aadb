package opus

import "fmt"

// frameSamples is the length of one frame at 48 kHz for each of the 32
// configurations of an Opus TOC byte (RFC 6716 section 3.1, table 2):
// SILK 10/20/40/60 ms, hybrid 10/20 ms, CELT 2.5/5/10/20 ms.
var frameSamples = [32]int{
	480, 960, 1920, 2880, 480, 960, 1920, 2880, 480, 960, 1920, 2880, // SILK NB, MB, WB
	480, 960, 480, 960, // hybrid SWB, FB
	120, 240, 480, 960, 120, 240, 480, 960, 120, 240, 480, 960, 120, 240, 480, 960, // CELT NB, WB, SWB, FB
}

// maxPacketSamples is the longest an Opus packet may last: 120 ms (RFC 6716
// section 3.2.5).
const maxPacketSamples = 5760

// packetSamples is how many samples (per channel, at 48 kHz) packet p
// decodes to, from its TOC byte: the configuration's frame length times the
// frame count its code says (0: one, 1 and 2: two, 3: the count in the
// second byte).
func packetSamples(p []byte) (int, error) {
	if len(p) == 0 {
		return 0, fmt.Errorf("%w: an empty Opus packet", ErrInvalid)
	}
	frames := 1
	switch p[0] & 3 {
	case 1, 2:
		frames = 2
	case 3:
		if len(p) < 2 {
			return 0, fmt.Errorf("%w: an Opus packet without its frame count", ErrInvalid)
		}
		frames = int(p[1] & 0x3F)
	}
	n := frames * frameSamples[p[0]>>3]
	if frames == 0 || n > maxPacketSamples {
		return 0, fmt.Errorf("%w: an Opus packet of %d frames (%d samples)", ErrInvalid, frames, n)
	}
	return n, nil
}
