package ai

import (
	"testing"

	"github.com/juta-app/juta"
)

// A time with no single day keeps the action but sets no due time; a time
// gone sets none either; one day sets it.
func TestDueOnlyFromOneDay(t *testing.T) {
	for text, want := range map[string]juta.ActionType{
		"tangguh temujanji ke bulan depan":           juta.ActionMeeting,
		"Kelas tambahan Isnin dan Rabu pukul 3":      juta.ActionMeeting,
		"can we meet Thursday or Friday?":            juta.ActionMeeting,
		"tolong siapkan slide untuk hujung minggu":   juta.ActionTask,
		"refund RM250 dalam 5 hari bekerja, pls pay": juta.ActionPayment,
		"remind me to pay the bill next week":        juta.ActionReminder,
	} {
		acts := detect(t, text)
		if len(acts) == 0 || acts[0].Type != want {
			t.Errorf("%q = %+v, want a %s", text, acts, want)
			continue
		}
		if acts[0].DueAt != nil {
			t.Errorf("%q due %v, want none (no single day)", text, acts[0].DueAt)
		}
	}
	for text, due := range map[string]string{
		"jumpa esok pukul 3, Isnin saya cuti": "2026-09-23 15:00",
		"siapkan sebelum hujung minggu ya":    "2026-09-26 23:59",
	} {
		acts := detect(t, text)
		if len(acts) == 0 || acts[0].DueAt == nil || acts[0].DueAt.In(sentAt.Location()).Format("2006-01-02 15:04") != due {
			t.Errorf("%q = %+v, want due %s", text, acts, due)
		}
	}
}
