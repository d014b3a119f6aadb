package sim

import (
	"bufio"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strconv"
	"testing"
)

// TestMain doubles as the standalone server of the memory measurement: with
// SIM_HELPER_SERVER set, the test binary serves instead of testing, so the
// server's memory is not counted against the clients.
func TestMain(m *testing.M) {
	if os.Getenv("SIM_HELPER_SERVER") == "1" {
		runHelperServer()
		return
	}
	os.Exit(m.Run())
}

// runHelperServer serves with SIM_HELPER_DEVICES devices already linked
// (phones helperPhone(0..n-1), device 1 each), prints its address and stops
// when stdin closes.
func runHelperServer() {
	n, _ := strconv.Atoi(os.Getenv("SIM_HELPER_DEVICES"))
	s := NewServer(Options{Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	for i := range n {
		s.addDevice(helperPhone(i))
	}
	addr, err := s.Listen("127.0.0.1:0")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	fmt.Println(addr.String())
	_, _ = io.Copy(io.Discard, bufio.NewReader(os.Stdin))
	s.Close()
}

func helperPhone(i int) string { return fmt.Sprintf("+6010%07d", i) }

// addDevice links a device to phone without a linking connection, so that a
// measurement needs no QR round trips.
func (s *Server) addDevice(phone string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	a := s.accountLocked(phone)
	a.nextDev++
	d := &device{jid: deviceJID(phone, a.nextDev), phone: phone}
	a.devices = append(a.devices, d)
	s.devices[d.jid] = d
	return d.jid
}
