package opus

import (
	"bytes"
	"encoding/binary"
	"io"
	"testing"
)

// liveRecording streams a WebM as a browser records it (Segment and
// Clusters of unknown size) of n 20 ms packets of 60 bytes, a cluster a
// second, without building it in memory or allocating as it goes.
type liveRecording struct {
	head, cluster, block []byte
	n, sent              int
	buf                  bytes.Buffer
}

func newLiveRecording(n int) *liveRecording {
	unknown := []byte{0x01, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF}
	head := ebml(idEBML, ebml(idDocType, []byte("webm")))
	head = append(append(head, 0x18, 0x53, 0x80, 0x67), unknown...)
	head = append(head, ebml(idTracks, opusTrack(1))...)
	cluster := append([]byte{0x1F, 0x43, 0xB6, 0x75}, unknown...)
	cluster = append(cluster, ebmlUint(idTimecode, 0)...)
	pkt := append([]byte{toc20ms}, make([]byte, 59)...)
	l := &liveRecording{head: head, cluster: cluster, block: ebml(idSimpleBlock, block(0x80, pkt...)), n: n}
	l.buf.Grow(4 << 10)
	return l
}

func (l *liveRecording) Read(p []byte) (int, error) {
	for l.buf.Len() == 0 {
		switch {
		case l.head != nil:
			l.buf.Write(l.head)
			l.head = nil
		case l.sent == l.n:
			return 0, io.EOF
		default:
			if l.sent%50 == 0 {
				binary.BigEndian.PutUint64(l.cluster[len(l.cluster)-8:], uint64(l.sent*20))
				l.buf.Write(l.cluster)
			}
			l.buf.Write(l.block)
			l.sent++
		}
	}
	return l.buf.Read(p)
}

// BenchmarkRemux remuxes a 10-minute recording streamed in: the bytes
// allocated per remux stay those of one block and one page however long
// the recording is (compare -benchmem of 1 and 10 minutes).
func BenchmarkRemux(b *testing.B) {
	for _, minutes := range []int{1, 10} {
		b.Run(map[int]string{1: "1min", 10: "10min"}[minutes], func(b *testing.B) {
			b.ReportAllocs()
			n := minutes * 60 * 50
			for b.Loop() {
				info, err := Remux(io.Discard, newLiveRecording(n))
				if err != nil || info.Packets != n {
					b.Fatalf("%+v, %v", info, err)
				}
			}
		})
	}
}
