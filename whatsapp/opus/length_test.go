package opus

import (
	"bytes"
	"io"
	"testing"
	"testing/iotest"
)

// An Ogg Opus file passes through unchanged and its length is read from
// its pages, however the reads split them: the same length the remux of
// its recording reported.
func TestVoiceLengthOfOggOpus(t *testing.T) {
	for _, rec := range recordings {
		t.Run(rec.file, func(t *testing.T) {
			var ogg bytes.Buffer
			want, err := Voice{}.RemuxVoice(&ogg, bytes.NewReader(readTestdata(t, rec.file)))
			if err != nil {
				t.Fatal(err)
			}
			r, length := Voice{}.VoiceLength(iotest.OneByteReader(bytes.NewReader(ogg.Bytes())))
			got, err := io.ReadAll(r)
			if err != nil || !bytes.Equal(got, ogg.Bytes()) {
				t.Fatalf("passed through %d of %d bytes unchanged: %v", len(got), ogg.Len(), err)
			}
			if length() != want || want != rec.duration {
				t.Fatalf("length %v, the remux said %v, the tone lasted %v", length(), want, rec.duration)
			}
		})
	}
}

// Anything but a whole Ogg Opus file passes through with no length.
func TestVoiceLengthOfOtherFiles(t *testing.T) {
	var ogg bytes.Buffer
	if _, err := (Voice{}).RemuxVoice(&ogg, bytes.NewReader(readTestdata(t, recordings[0].file))); err != nil {
		t.Fatal(err)
	}
	notOpus := bytes.Replace(ogg.Bytes(), []byte("OpusHead"), []byte("OpusHexd"), 1)
	for name, file := range map[string][]byte{
		"not Ogg":       []byte("ID3\x03 an mp3 named .ogg by someone"),
		"empty":         nil,
		"cut in a page": ogg.Bytes()[:ogg.Len()-7],
		"another codec": notOpus,
	} {
		r, length := Voice{}.VoiceLength(bytes.NewReader(file))
		got, err := io.ReadAll(r)
		if err != nil || !bytes.Equal(got, file) {
			t.Fatalf("%s: not passed through: %v", name, err)
		}
		if d := length(); d != 0 {
			t.Errorf("%s: length %v, want none", name, d)
		}
	}
}

// Whatever passes through, it passes unchanged and the length reading
// never fails.
func FuzzVoiceLength(f *testing.F) {
	var ogg bytes.Buffer
	if _, err := (Voice{}).RemuxVoice(&ogg, bytes.NewReader(readTestdata(f, recordings[0].file))); err != nil {
		f.Fatal(err)
	}
	f.Add(ogg.Bytes())
	f.Add([]byte("OggS\x00\x00"))
	f.Fuzz(func(t *testing.T, b []byte) {
		r, length := Voice{}.VoiceLength(bytes.NewReader(b))
		got, err := io.ReadAll(r)
		if err != nil || !bytes.Equal(got, b) {
			t.Fatalf("not passed through: %v", err)
		}
		if length() < 0 {
			t.Fatal("a negative length")
		}
	})
}
