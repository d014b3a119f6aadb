package sim

import (
	"encoding/binary"
	"io"
	"net"
	"testing"
	"time"

	juta "github.com/juta-app/juta"
)

// rawFrame is a length prefix followed by body, however wrong either is.
func rawFrame(n uint32, body string) []byte {
	b := binary.BigEndian.AppendUint32(nil, n)
	return append(b, body...)
}

func TestGarbageAndHalfFramesDoNotHurtServer(t *testing.T) {
	s, addr := mustRunServer(t, Options{HandshakeTimeout: 500 * time.Millisecond})
	c, r := linkDevice(t, s, addr, alice)
	jid := c.DeviceJID()
	hello := `{"t":"hello","v":1,"device":"` + jid + `"}`

	cases := map[string][][]byte{
		"huge length":          {rawFrame(0x00ffffff, "x")},
		"zero length":          {rawFrame(0, "")},
		"half header":          {{0, 0}},
		"half body":            {rawFrame(100, `{"t":"hel`)},
		"not json":             {rawFrame(5, "\x00\x01\x02\x03\x04")},
		"no type":              {rawFrame(2, "{}")},
		"wrong version":        {rawFrame(uint32(len(`{"t":"hello","v":99}`)), `{"t":"hello","v":99}`)},
		"ack before hello":     {rawFrame(uint32(len(`{"t":"ack","wa":"x"}`)), `{"t":"ack","wa":"x"}`)},
		"hello then half ack":  {rawFrame(uint32(len(hello)), hello), rawFrame(40, `{"t":"ack"`)},
		"hello then garbage":   {rawFrame(uint32(len(hello)), hello), []byte("\x00\x00\x00\x05garbage")},
		"hello then bad frame": {rawFrame(uint32(len(hello)), hello), rawFrame(12, `{"t":"what"}`)},
		"http garbage":         {[]byte("GARBAGE / NOT-HTTP\r\n\r\n")},
	}
	for name, writes := range cases {
		t.Run(name, func(t *testing.T) {
			conn, err := net.Dial("tcp", addr)
			if err != nil {
				t.Fatal(err)
			}
			defer conn.Close()
			for _, w := range writes {
				if _, err := conn.Write(w); err != nil {
					t.Fatal(err)
				}
			}
			if cw, ok := conn.(*net.TCPConn); ok {
				_ = cw.CloseWrite() // the peer vanishes mid-frame
			}
			// The server must end the connection; it may say something first.
			_ = conn.SetReadDeadline(time.Now().Add(waitLimit))
			_, err = io.Copy(io.Discard, conn)
			if ne, ok := err.(net.Error); ok && ne.Timeout() {
				t.Fatalf("server did not close: %v", err) // a reset is a close too
			}
		})
	}

	// The device a garbage peer claimed was replaced, like any other
	// connection with its id; the network itself still works.
	eventually(t, "garbage connections gone", func() bool { return s.Stats().Connections <= 1 })
	_, r2 := reconnect(t, addr, jid)
	waitCount[juta.WAConnected](t, r2, 1)
	sendFrom(t, s, bob, alice, "after the storm")
	if m := waitCount[juta.WAIncoming](t, r2, 1)[0]; m.Text != "after the storm" {
		t.Fatalf("got %q", m.Text)
	}
	eventually(t, "acked", func() bool { st := s.Stats(); return st.Delivered == 1 && st.Queued == 0 })
	_ = r
}

// A server that answers with garbage makes the client fail the connect or
// report a disconnect, never crash.
func TestClientSurvivesGarbageServer(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	welcome := `{"t":"welcome","status":"linking"}`
	replies := [][]byte{
		rawFrame(0x00ffffff, "x"),
		rawFrame(uint32(len(welcome)), welcome+"\x00\x00\x00\x09not json!"),
		rawFrame(uint32(len(welcome)), welcome+"\x00\x00\x01\x00half"),
	}
	go func() {
		for _, reply := range replies {
			conn, err := ln.Accept()
			if err != nil {
				return
			}
			_, _ = readFrame(conn) // the hello
			_, _ = conn.Write(reply)
			conn.Close()
		}
	}()
	for i := range replies {
		r := newRecorder()
		c := newClient(t, ln.Addr().String(), "", r)
		err := c.Connect(t.Context())
		if i == 0 {
			if juta.ErrorCode(err) != juta.EUNAVAILABLE {
				t.Fatalf("connect to garbage: %v", err)
			}
			continue
		}
		if err != nil {
			t.Fatalf("reply %d: connect: %v", i, err)
		}
		waitCount[juta.WADisconnected](t, r, 1)
	}
}
