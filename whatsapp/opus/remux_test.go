package opus

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"testing/iotest"
	"time"
)

// The recordings in testdata were made with Debian's ffmpeg 5.1 (libopus)
// from a sine tone of a known length; testdata/README.md has the commands.
var recordings = []struct {
	file     string
	channels int
	duration time.Duration // the tone's length
}{
	{"mono.webm", 1, 1500 * time.Millisecond}, // 20 ms packets, sizes written, last block trimmed
	{"live.webm", 2, 1230 * time.Millisecond}, // 60 ms packets, unknown sizes (as a live recorder writes)
	{"celt.webm", 1, 350 * time.Millisecond},  // 2.5 ms CELT packets, unknown sizes, short clusters
}

func readTestdata(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// webmPacket is a packet as the WebM carries it, with its timing.
type webmPacket struct {
	data      []byte
	tsNs      int64
	discardNs int64
}

// demuxAll reads the Opus track's packets of a WebM file.
func demuxAll(t testing.TB, webm []byte) (head []byte, pkts []webmPacket) {
	t.Helper()
	d := &demuxer{r: newEBMLReader(bytes.NewReader(webm)), scale: int64(time.Millisecond)}
	d.head = func(h []byte) error { head = bytes.Clone(h); return nil }
	d.packet = func(p []byte, ts, discard int64) error {
		pkts = append(pkts, webmPacket{bytes.Clone(p), ts, discard})
		return nil
	}
	if err := d.run(); err != nil {
		t.Fatal(err)
	}
	return head, pkts
}

// webmDuration is how long a WebM Opus file plays by its own timestamps:
// from its first block to the end of its last (the last packet's length
// less its discard padding), less the pre-skip (the samples before the
// first block's timestamp 0 that the decoder drops).
func webmDuration(t testing.TB, webm []byte) time.Duration {
	head, pkts := demuxAll(t, webm)
	_, pre, err := checkOpusHead(head)
	if err != nil {
		t.Fatal(err)
	}
	last := pkts[len(pkts)-1]
	n, err := packetSamples(last.data)
	if err != nil {
		t.Fatal(err)
	}
	end := last.tsNs + int64(n)*int64(time.Second)/SampleRate - last.discardNs
	return time.Duration(end - pkts[0].tsNs - int64(pre)*int64(time.Second)/SampleRate)
}

// oggPage is a page of an Ogg stream as a reader finds it.
type oggPage struct {
	flags   byte
	granule int64
	serial  uint32
	seq     uint32
	packets [][]byte // whole packets ending on this page
}

// readOgg splits an Ogg stream into pages, checking each page's capture
// pattern, version and CRC (RFC 3533), and that no packet spans pages (this
// writer never splits one).
func readOgg(b []byte) ([]oggPage, error) {
	var pages []oggPage
	for len(b) > 0 {
		if len(b) < 27 || string(b[:4]) != "OggS" || b[4] != 0 {
			return nil, fmt.Errorf("page %d: no page header", len(pages))
		}
		nseg := int(b[26])
		if len(b) < 27+nseg {
			return nil, fmt.Errorf("page %d: segment table cut", len(pages))
		}
		segs := b[27 : 27+nseg]
		size := 0
		for _, s := range segs {
			size += int(s)
		}
		total := 27 + nseg + size
		if len(b) < total {
			return nil, fmt.Errorf("page %d: data cut", len(pages))
		}
		page := bytes.Clone(b[:total])
		want := binary.LittleEndian.Uint32(page[22:])
		binary.LittleEndian.PutUint32(page[22:], 0)
		if got := oggCRC(0, page); got != want {
			return nil, fmt.Errorf("page %d: CRC %08x, computed %08x", len(pages), want, got)
		}
		p := oggPage{flags: b[5], granule: int64(binary.LittleEndian.Uint64(b[6:])),
			serial: binary.LittleEndian.Uint32(b[14:]), seq: binary.LittleEndian.Uint32(b[18:])}
		data, start := b[27+nseg:total], 0
		for i, s := range segs {
			if s < 255 {
				end := 27 + nseg + sumBytes(segs[:i+1])
				p.packets = append(p.packets, b[27+nseg+start:end])
				start = end - 27 - nseg
			}
		}
		if start != len(data) {
			return nil, fmt.Errorf("page %d: a packet continues on the next page", len(pages))
		}
		pages = append(pages, p)
		b = b[total:]
	}
	return pages, nil
}

func sumBytes(b []byte) int {
	n := 0
	for _, c := range b {
		n += int(c)
	}
	return n
}

// checkOggOpus checks an Ogg Opus stream against RFC 7845 and returns its
// packets (headers first) and last granule position.
func checkOggOpus(t *testing.T, ogg []byte) (pkts [][]byte, lastGP int64) {
	t.Helper()
	pages, err := readOgg(ogg)
	if err != nil {
		t.Fatal(err)
	}
	if len(pages) < 3 {
		t.Fatalf("%d pages, want the two headers and audio", len(pages))
	}
	for i, p := range pages {
		wantFlags := byte(0)
		switch i {
		case 0:
			wantFlags = flagBOS
		case len(pages) - 1:
			wantFlags = flagEOS
		}
		if p.flags != wantFlags || p.seq != uint32(i) || p.serial != pages[0].serial {
			t.Fatalf("page %d: flags %#x seq %d serial %x", i, p.flags, p.seq, p.serial)
		}
		if i < 2 && (len(p.packets) != 1 || p.granule != 0) {
			t.Fatalf("header page %d: %d packets, granule %d", i, len(p.packets), p.granule)
		}
		if i > 0 && p.granule < lastGP {
			t.Fatalf("page %d: granule %d after %d", i, p.granule, lastGP)
		}
		lastGP = p.granule
		pkts = append(pkts, p.packets...)
	}
	if string(pkts[0][:8]) != "OpusHead" || string(pkts[1][:8]) != "OpusTags" {
		t.Fatalf("headers %q, %q", pkts[0][:8], pkts[1][:8])
	}
	return pkts, lastGP
}

// A recording remuxes to a valid Ogg Opus stream that carries the same
// packets, plays as long as the WebM and as the tone it was made from, and
// counts the samples of every packet in its granule positions.
func TestRemuxRecordings(t *testing.T) {
	for _, rec := range recordings {
		t.Run(rec.file, func(t *testing.T) {
			webm := readTestdata(t, rec.file)
			var ogg bytes.Buffer
			// One byte at a time: the remux reads a stream, not a file.
			info, err := Remux(&ogg, iotest.OneByteReader(bytes.NewReader(webm)))
			if err != nil {
				t.Fatal(err)
			}
			head, want := demuxAll(t, webm)
			got, lastGP := checkOggOpus(t, ogg.Bytes())
			if !bytes.Equal(got[0], head) {
				t.Errorf("OpusHead % x, want the track's % x", got[0], head)
			}
			if len(got)-2 != len(want) || info.Packets != len(want) {
				t.Fatalf("%d packets (info %d), the WebM has %d", len(got)-2, info.Packets, len(want))
			}
			var samples int64
			for i, p := range want {
				if !bytes.Equal(got[i+2], p.data) {
					t.Fatalf("packet %d differs", i)
				}
				n, _ := packetSamples(p.data)
				samples += int64(n)
			}
			trim := want[len(want)-1].discardNs * SampleRate / int64(time.Second)
			if lastGP != samples-trim || info.Samples != lastGP {
				t.Errorf("last granule %d (info %d), want %d samples less %d trimmed", lastGP, info.Samples, samples, trim)
			}
			if info.Channels != rec.channels || int(head[9]) != rec.channels {
				t.Errorf("channels %d, want %d", info.Channels, rec.channels)
			}
			// WebM timestamps are in milliseconds.
			if d := info.Duration() - webmDuration(t, webm); d < -time.Millisecond || d > time.Millisecond {
				t.Errorf("Ogg plays %v, the WebM %v", info.Duration(), webmDuration(t, webm))
			}
			if info.Duration() != rec.duration {
				t.Errorf("Ogg plays %v, the tone lasted %v", info.Duration(), rec.duration)
			}
		})
	}
}

// The same recording remuxes to the same bytes (a stored voice note is kept
// once however often it is uploaded).
func TestRemuxIsDeterministic(t *testing.T) {
	webm := readTestdata(t, "mono.webm")
	var a, b bytes.Buffer
	if _, err := Remux(&a, bytes.NewReader(webm)); err != nil {
		t.Fatal(err)
	}
	if _, err := Remux(&b, bytes.NewReader(webm)); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(a.Bytes(), b.Bytes()) {
		t.Fatal("two remuxes of one file differ")
	}
}

// Files that are not a voice note are refused with the reason.
func TestRemuxRefuses(t *testing.T) {
	cases := []struct {
		name string
		in   []byte
		want error
	}{
		{"video track", readTestdata(t, "video.webm"), ErrVideo},
		{"vorbis audio", readTestdata(t, "vorbis.webm"), ErrNoOpus},
		{"ogg file", []byte("OggS\x00\x02" + string(make([]byte, 40))), ErrNotWebM},
		{"empty", nil, ErrNotWebM},
		{"no clusters", readTestdata(t, "mono.webm")[:0x150], ErrTruncated},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var out bytes.Buffer
			_, err := Remux(&out, bytes.NewReader(c.in))
			if !errors.Is(err, c.want) {
				t.Fatalf("error %v, want %v", err, c.want)
			}
		})
	}
}

// A file whose sizes are written is refused as cut short wherever it is cut.
func TestRemuxTruncated(t *testing.T) {
	webm := readTestdata(t, "mono.webm")
	for n := 1; n < len(webm); n++ {
		_, err := Remux(&bytes.Buffer{}, bytes.NewReader(webm[:n]))
		if !errors.Is(err, ErrTruncated) {
			t.Fatalf("cut at %d of %d: error %v, want ErrTruncated", n, len(webm), err)
		}
	}
}

// An error while reading comes back as it is, not as a bad file.
func TestRemuxReadError(t *testing.T) {
	webm := readTestdata(t, "live.webm")
	_, err := Remux(&bytes.Buffer{}, iotest.TimeoutReader(bytes.NewReader(webm)))
	if !errors.Is(err, iotest.ErrTimeout) {
		t.Fatalf("error %v, want the reader's", err)
	}
}
