package webhook

import (
	"errors"
	"net"
	"net/url"
	"strings"
	"syscall"
	"testing"
)

// A failed attempt's text names what went wrong in a fixed phrase: never the
// server's resolver, the addresses it dialled or the URL.
func TestDescribeRevealsNoNetwork(t *testing.T) {
	wrap := func(err error) error {
		return &url.Error{Op: "Post", URL: "https://hooks.example.com/in?token=s3cret", Err: err}
	}
	dial := func(errno error) error {
		return &net.OpError{Op: "dial", Net: "tcp", Source: &net.TCPAddr{IP: net.IPv4(10, 0, 0, 7), Port: 40000},
			Addr: &net.TCPAddr{IP: net.IPv4(203, 0, 113, 9), Port: 443}, Err: &net.OpError{Op: "connect", Err: errno}}
	}
	for want, err := range map[string]error{
		"the host name does not resolve":      &net.DNSError{Err: "no such host", Name: "hooks.example.com", Server: "10.0.0.53:53", IsNotFound: true},
		"the host name could not be resolved": &net.DNSError{Err: "server misbehaving", Name: "hooks.example.com", Server: "10.0.0.53:53"},
		"timed out":                           &net.DNSError{Err: "i/o timeout", Name: "hooks.example.com", Server: "10.0.0.53:53", IsTimeout: true},
		"connection refused":                  dial(syscall.ECONNREFUSED),
		"host unreachable":                    dial(syscall.EHOSTUNREACH),
		"connection closed before a response": dial(syscall.ECONNRESET),
		"destination address is not allowed":  dial(errBlocked),
		"connection failed":                   errors.New("dial tcp 10.0.0.7:40000->203.0.113.9:443: something new"),
	} {
		got := describe(wrap(err))
		if got != want {
			t.Errorf("describe(%v) = %q, want %q", err, got, want)
		}
		for _, leak := range []string{"10.0.0", "203.0.113", "s3cret", "hooks.example.com", ":53"} {
			if strings.Contains(got, leak) {
				t.Errorf("describe(%v) = %q reveals %q", err, got, leak)
			}
		}
	}
}
