package ai

import (
	"testing"

	"github.com/juta-app/juta"
)

// Statements raise no action though they name a time or a thing to do; the
// same words put to the reader, or naming this case's day or amount, do.
func TestStatementsAskNothing(t *testing.T) {
	none := []string{
		"Terms: payment within 30 days of invoice",
		"Policy: all leave must be applied 3 days in advance",
		"Syarat: tempahan mesti dibuat 3 hari lebih awal",
		"All payments must be made within 7 days of the invoice date",
		"Cancellation must be made 24 hours before the appointment",
		"Semua tuntutan perlu dihantar dalam masa 30 hari",
		"Please note the clinic is closed on Sundays",
		"Klinik ditutup sempena cuti Deepavali",
		"The gym will be closed for renovation next week",
		"I was at the clinic this morning",
		"We had dinner at 8 with the client",
		"we met Ah Seng for lunch today",
		"transfer dah buat pukul 3 tadi",
		"Dia call pukul 8 td",
		"Transfer sudah dibuat pagi tadi",
		"Your payment of RM50.00 was successful",
		"Pembayaran berjaya. Terima kasih",
	}
	for _, text := range none {
		if acts := detect(t, text); len(acts) != 0 {
			t.Errorf("%q = %s (due %v), want no action", text, acts[0].Type, acts[0].DueAt)
		}
	}
	some := []struct {
		text string
		typ  juta.ActionType
	}{
		{"the report must be submitted by Friday", juta.ActionTask},
		{"you must pay the balance by Friday", juta.ActionPayment},
		{"bayaran penuh RM1,800 perlu dibuat sebelum majlis", juta.ActionPayment},
		{"anda wajib isi borang ni ya", juta.ActionTask},
		{"clinic closed today, can we move the appointment to tomorrow 3pm?", juta.ActionMeeting},
		{"I was thinking we could meet tomorrow at 3", juta.ActionMeeting},
		{"I had to reschedule, can we meet Thursday at 11 instead?", juta.ActionMeeting},
		{"transfer RM200 to Ali by 5pm", juta.ActionPayment},
	}
	for _, c := range some {
		if acts := detect(t, c.text); len(acts) == 0 || acts[0].Type != c.typ {
			t.Errorf("%q = %v, want %s", c.text, acts, c.typ)
		}
	}
}
