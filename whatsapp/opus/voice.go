package opus

import (
	"errors"
	"io"
	"time"

	"github.com/juta-app/juta"
)

// Voice is the juta.VoiceRemuxer of this package: Remux with the refusals
// given the codes the API answers with.
type Voice struct{}

var _ juta.VoiceRemuxer = Voice{}

// RemuxVoice remuxes src to dst (Remux) and returns how long it plays.
// The messages say why a file is refused without repeating what it holds.
func (Voice) RemuxVoice(dst io.Writer, src io.Reader) (time.Duration, error) {
	info, err := Remux(dst, src)
	var refusal *juta.Error
	switch {
	case err == nil:
		return info.Duration(), nil
	case errors.Is(err, ErrVideo):
		refusal = juta.Errorf(juta.EMEDIATYPE, "a voice note is audio only; this recording has video")
	case errors.Is(err, ErrNoOpus):
		refusal = juta.Errorf(juta.EMEDIATYPE, "a voice note recorded as WebM must be Opus audio")
	case errors.Is(err, ErrTruncated):
		refusal = juta.Errorf(juta.EINVALID, "the recording is cut short")
	case errors.Is(err, ErrNotWebM), errors.Is(err, ErrInvalid):
		refusal = juta.Errorf(juta.EINVALID, "the recording is not a valid WebM Opus file")
	default:
		return 0, err
	}
	refusal.Err = err
	return 0, refusal
}
