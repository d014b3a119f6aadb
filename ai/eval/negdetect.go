package eval

import (
	"context"
	"fmt"
	"time"

	"github.com/juta-app/juta"
)

// detectorFree is right when the detector sets no due time from a negative
// row's text, read as sent at the row's reference: a line that holds no time
// must not become an action due at some time. (An action without one, such
// as the task of "Beli 3 kg beras", is allowed: the row asserts no time, not
// no action.)
func detectorFree(ctx context.Context, r *Row, d juta.Detector, loc *time.Location) (bool, error) {
	loc = rowLocation(r, loc)
	acts, err := d.Detect(ctx, juta.DetectInput{Message: juta.Message{Text: r.Text, SentAt: reference(r, loc)}, Location: loc})
	if err != nil {
		return false, fmt.Errorf("detect %s: %w", r.ID, err)
	}
	for _, a := range acts {
		if a.DueAt != nil {
			return false, nil
		}
	}
	return true, nil
}
