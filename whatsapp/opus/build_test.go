package opus

import (
	"bytes"
	"encoding/binary"
	"errors"
	"testing"
)

// ebml writes an element with a known size (8-byte size field, as muxers
// that seek back write it).
func ebml(id uint32, parts ...[]byte) []byte {
	var b []byte
	for s := id; s > 0xFF; s >>= 8 {
		b = append(b, 0)
	}
	b = binary.BigEndian.AppendUint32(nil, id)[4-len(b)-1:]
	body := bytes.Join(parts, nil)
	size := binary.BigEndian.AppendUint64(nil, uint64(len(body)))
	size[0] = 0x01
	return append(append(b, size...), body...)
}

func ebmlUint(id uint32, v uint64) []byte {
	return ebml(id, binary.BigEndian.AppendUint64(nil, v))
}

// testHead is an OpusHead: mono, pre-skip 312, 48 kHz, mapping family 0.
var testHead = []byte{'O', 'p', 'u', 's', 'H', 'e', 'a', 'd', 1, 1, 0x38, 0x01, 0x80, 0xBB, 0, 0, 0, 0, 0}

// synthWebM is a WebM with an Opus track numbered 1 and the given cluster
// children.
func synthWebM(tracks []byte, blocks ...[]byte) []byte {
	header := ebml(idEBML, ebml(idDocType, []byte("webm")))
	cluster := ebml(idCluster, append([][]byte{ebmlUint(idTimecode, 0)}, blocks...)...)
	return append(header, ebml(idSegment, tracks, cluster)...)
}

func opusTrack(num uint64) []byte {
	return ebml(idTrackEntry, ebmlUint(idTrackNumber, num), ebmlUint(idTrackType, trackAudio),
		ebml(idCodecID, []byte("A_OPUS")), ebml(idCodecPrivate, testHead))
}

// block is a block body of track 1 at timestamp 0 with flags and data.
func block(flags byte, data ...byte) []byte {
	return append([]byte{0x81, 0, 0, flags}, data...)
}

// Packets of 20 ms CELT (TOC config 31, code 0) and 2 x 20 ms (code 1).
const (
	toc20ms = 31 << 3
	toc2x20 = 31<<3 | 1
)

// Laced blocks, block groups with discard padding and other tracks' blocks
// are read as the Matroska specification lays them out.
func TestRemuxBlockLayouts(t *testing.T) {
	other := ebml(idTrackEntry, ebmlUint(idTrackNumber, 2), ebmlUint(idTrackType, 0x11),
		ebml(idCodecID, []byte("S_TEXT/UTF8")))
	tracks := ebml(idTracks, opusTrack(1), other)
	webm := synthWebM(tracks,
		ebml(idSimpleBlock, block(0x80, toc20ms, 1, 2)),                                    // no lacing
		ebml(idSimpleBlock, block(0x82, 2, 2, 3, toc20ms, 9, toc20ms, 8, 7, toc2x20)),      // Xiph: sizes 2, 3, rest 1
		ebml(idSimpleBlock, block(0x84, 1, toc20ms, 5, toc20ms, 6)),                        // fixed: 2 x 2 bytes
		ebml(idSimpleBlock, block(0x86, 2, 0x82, 0xBF-1, toc20ms, 1, toc20ms, toc20ms, 4)), // EBML: 2, 1 (diff -1), rest 2
		ebml(idSimpleBlock, []byte{0x82, 0, 0, 0x80, 0xFF, 0xFF}),                          // another track's block
		ebml(idBlockGroup, ebml(idBlock, block(0, toc2x20, 7)), ebmlUint(idDiscardPadding, 10_000_000)),
	)
	var out bytes.Buffer
	info, err := Remux(&out, bytes.NewReader(webm))
	if err != nil {
		t.Fatal(err)
	}
	pkts, lastGP := checkOggOpus(t, out.Bytes())
	want := [][]byte{{toc20ms, 1, 2}, {toc20ms, 9}, {toc20ms, 8, 7}, {toc2x20}, {toc20ms, 5}, {toc20ms, 6},
		{toc20ms, 1}, {toc20ms}, {toc20ms, 4}, {toc2x20, 7}}
	if len(pkts)-2 != len(want) {
		t.Fatalf("%d packets, want %d", len(pkts)-2, len(want))
	}
	for i, w := range want {
		if !bytes.Equal(pkts[i+2], w) {
			t.Errorf("packet %d: % x, want % x", i, pkts[i+2], w)
		}
	}
	// 12 frames of 20 ms, less 10 ms of padding at the end.
	if wantGP := int64(12*960 - 480); lastGP != wantGP || info.Samples != wantGP {
		t.Errorf("last granule %d, want %d", lastGP, wantGP)
	}
}

// A long recording is cut into pages: each within the page limits, each
// with the granule position of its last packet.
func TestRemuxPages(t *testing.T) {
	var blocks [][]byte
	pkt := append([]byte{toc20ms}, bytes.Repeat([]byte{0x55}, 299)...)
	for range 100 {
		blocks = append(blocks, ebml(idSimpleBlock, block(0x80, pkt...)))
	}
	var out bytes.Buffer
	info, err := Remux(&out, bytes.NewReader(synthWebM(ebml(idTracks, opusTrack(1)), blocks...)))
	if err != nil {
		t.Fatal(err)
	}
	pages, err := readOgg(out.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	var n int64
	for i, p := range pages[2:] {
		n += int64(960 * len(p.packets))
		if p.granule != n || len(p.packets) > pageTarget/len(pkt)+1 {
			t.Fatalf("audio page %d: %d packets, granule %d, want %d", i, len(p.packets), p.granule, n)
		}
	}
	if info.Pages != len(pages) || info.Duration() != (100*960-312)*1e9/48000 {
		t.Fatalf("info %+v for %d pages", info, len(pages))
	}
}

// Track lists a voice note cannot have are refused before any audio.
func TestRemuxRefusesTracks(t *testing.T) {
	cases := []struct {
		name   string
		tracks []byte
		want   error
	}{
		{"no tracks", ebml(idTracks), ErrNoOpus},
		{"video", ebml(idTracks, opusTrack(1), ebml(idTrackEntry, ebmlUint(idTrackNumber, 2),
			ebmlUint(idTrackType, trackVideo), ebml(idCodecID, []byte("V_VP9")))), ErrVideo},
		{"no OpusHead", ebml(idTracks, ebml(idTrackEntry, ebmlUint(idTrackNumber, 1), ebmlUint(idTrackType, trackAudio),
			ebml(idCodecID, []byte("A_OPUS")))), ErrInvalid},
		{"bad packet", ebml(idTracks, opusTrack(1)), ErrInvalid},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			webm := synthWebM(c.tracks, ebml(idSimpleBlock, block(0x80, toc20ms|3, 0))) // code 3, 0 frames
			var out bytes.Buffer
			if _, err := Remux(&out, bytes.NewReader(webm)); !errors.Is(err, c.want) {
				t.Fatalf("error %v, want %v", err, c.want)
			}
			if !errors.Is(c.want, ErrInvalid) && out.Len() > 0 {
				t.Fatalf("%d bytes written before the refusal", out.Len())
			}
		})
	}
}

// No input makes the remux panic, loop or allocate past its bounds; what it
// accepts is a valid Ogg Opus stream.
func FuzzRemux(f *testing.F) {
	for _, rec := range recordings {
		f.Add(readTestdata(f, rec.file))
	}
	f.Add(readTestdata(f, "video.webm"))
	f.Add(synthWebM(ebml(idTracks, opusTrack(1)), ebml(idSimpleBlock, block(0x86, 2, 0x82, 0xBE, 1, 2, 3, 4))))
	f.Fuzz(func(t *testing.T, in []byte) {
		var out bytes.Buffer
		_, err := Remux(&out, bytes.NewReader(in))
		if err != nil {
			for _, known := range []error{ErrNotWebM, ErrNoOpus, ErrVideo, ErrTruncated, ErrInvalid} {
				if errors.Is(err, known) {
					return
				}
			}
			t.Fatalf("error %v is none of the package's", err)
		}
		if _, err := readOgg(out.Bytes()); err != nil {
			t.Fatal(err)
		}
	})
}
