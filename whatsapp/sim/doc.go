// Package sim is a simulated WhatsApp network: a real network peer on
// loopback TCP that implements juta.WAProvider and juta.WAClient, used
// in-process by unit tests and as a standalone server (Serve) shared by
// several jutad processes.
//
// The network has accounts keyed by E.164 phone; each may have linked
// devices, whose ids ("60123456789:3@sim") are all a client needs to
// reconnect: keys live on the server. A device-less connection links by QR
// code (6 per attempt, rotating) or by an 8-character pairing code; a "phone"
// scans or submits it through the phone API. Messages to a device are queued
// until acknowledged, redelivered in order on the next connection when not
// acknowledged, and at Options.DuplicateRate delivered twice. One connection
// per device: a newer one replaces the older, which is told so.
//
// # Wire protocol
//
// The device protocol and the phone API (HTTP) share one port; a connection's
// first byte tells them apart. Device frames are a 4-byte big-endian length
// and a JSON object of at most maxFrame bytes with a type field "t":
//
//	client: hello{v, device, token?}  server: welcome{status: connected|linking|logged_out|error}
//	server: qr{code, expires}     server: paired{device, phone}   server: failed{reason}
//	server: msg{msg}              client: ack{wa}
//	client: pair{req, phone} | send{req, to, text} | logout{req}  server: res{req, err?, ...}
//	server: replaced | logged_out{reason}                         client: bye
//
// A frame that is too long, not JSON or not expected closes the connection;
// state changes only on whole frames, so a peer that vanishes mid-frame
// changes nothing.
//
// # Client
//
// The client has one reader goroutine per connection. Events go through a
// queue drained by a goroutine that exists only while events are pending, so
// a handler may call the client (SendText) and an idle client costs its socket,
// its reader and a few hundred bytes.
package sim
