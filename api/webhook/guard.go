package webhook

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"net/url"
	"strings"
	"syscall"
	"time"

	"github.com/juta-app/juta"
)

// MaxURLLength bounds a webhook URL.
const MaxURLLength = 2048

// errBlocked is the cause when a destination address is refused.
var errBlocked = errors.New("destination address is not allowed")

// blockedPrefixes are ranges netip's predicates do not name but that reach
// the host itself, a provider's internal network or nothing useful.
var blockedPrefixes = []netip.Prefix{
	netip.MustParsePrefix("0.0.0.0/8"),      // "this network"
	netip.MustParsePrefix("100.64.0.0/10"),  // carrier-grade NAT, some clouds' metadata (100.100.100.200)
	netip.MustParsePrefix("192.0.0.0/24"),   // IETF protocol assignments
	netip.MustParsePrefix("198.18.0.0/15"),  // benchmarking
	netip.MustParsePrefix("240.0.0.0/4"),    // reserved, and the broadcast address
	netip.MustParsePrefix("::/96"),          // IPv4-compatible IPv6
	netip.MustParsePrefix("100::/64"),       // discard-only
	netip.MustParsePrefix("64:ff9b:1::/48"), // local-use NAT64
	netip.MustParsePrefix("fec0::/10"),      // deprecated site-local
	netip.MustParsePrefix("2001:db8::/32"),  // documentation
	netip.MustParsePrefix("2001::/32"),      // Teredo: tunnels to an embedded IPv4 address
	netip.MustParsePrefix("fd00:ec2::/32"),  // a cloud's IPv6 metadata service (also covered by fc00::/7)
	netip.MustParsePrefix("ff00::/8"),       // multicast, every scope
	netip.MustParsePrefix("224.0.0.0/4"),    // multicast
	netip.MustParsePrefix("169.254.0.0/16"), // link-local, metadata (169.254.169.254)
	netip.MustParsePrefix("fe80::/10"),      // link-local
	netip.MustParsePrefix("127.0.0.0/8"),    // loopback
	netip.MustParsePrefix("::1/128"),        // loopback
	netip.MustParsePrefix("10.0.0.0/8"),     // private
	netip.MustParsePrefix("172.16.0.0/12"),  // private
	netip.MustParsePrefix("192.168.0.0/16"), // private
	netip.MustParsePrefix("fc00::/7"),       // unique local
	netip.MustParsePrefix("192.88.99.0/24"), // deprecated 6to4 relay anycast
	netip.MustParsePrefix("255.255.255.255/32"),
}

// Host names that always mean this machine or a metadata service.
var blockedNames = []string{"localhost", "metadata", "metadata.google.internal", "instance-data"}

// BlockedAddr reports whether ip is one a webhook must never reach: loopback,
// private, link-local, multicast, unspecified, metadata and other special
// ranges, including IPv4 addresses embedded in IPv6 (mapped, NAT64, 6to4).
func BlockedAddr(ip netip.Addr) bool {
	if !ip.IsValid() {
		return true
	}
	ip = ip.Unmap().WithZone("")
	if ip.IsLoopback() || ip.IsPrivate() || ip.IsLinkLocalUnicast() || ip.IsLinkLocalMulticast() ||
		ip.IsInterfaceLocalMulticast() || ip.IsMulticast() || ip.IsUnspecified() {
		return true
	}
	for _, p := range blockedPrefixes {
		if p.Contains(ip) {
			return true
		}
	}
	if v4, ok := embeddedIPv4(ip); ok {
		return BlockedAddr(v4)
	}
	return false
}

var (
	nat64Prefix = netip.MustParsePrefix("64:ff9b::/96")
	sixToFour   = netip.MustParsePrefix("2002::/16")
)

// embeddedIPv4 returns the IPv4 address a NAT64 or 6to4 address routes to.
func embeddedIPv4(ip netip.Addr) (netip.Addr, bool) {
	b := ip.As16()
	switch {
	case !ip.Is6():
		return netip.Addr{}, false
	case nat64Prefix.Contains(ip):
		return netip.AddrFrom4([4]byte{b[12], b[13], b[14], b[15]}), true
	case sixToFour.Contains(ip):
		return netip.AddrFrom4([4]byte{b[2], b[3], b[4], b[5]}), true
	}
	return netip.Addr{}, false
}

// ValidateURL checks a webhook URL before it is stored: http or https, a
// host, no credentials, bounded length, and — unless allowPrivate — no host
// that is, or plainly names, a refused address. Names are resolved only at
// delivery time (DNS may change), where every address is checked again.
// Errors are EINVALID with a caller-safe message.
func ValidateURL(raw string, allowPrivate bool) (*url.URL, error) {
	if raw == "" || len(raw) > MaxURLLength {
		return nil, juta.Errorf(juta.EINVALID, "url must be 1 to %d characters", MaxURLLength)
	}
	u, err := url.Parse(raw)
	if err != nil || !u.IsAbs() || u.Opaque != "" {
		return nil, juta.Errorf(juta.EINVALID, "url must be an absolute http or https URL")
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return nil, juta.Errorf(juta.EINVALID, "url scheme must be http or https")
	}
	if u.User != nil {
		return nil, juta.Errorf(juta.EINVALID, "url must not carry credentials")
	}
	if u.Fragment != "" || strings.Contains(raw, "#") {
		return nil, juta.Errorf(juta.EINVALID, "url must not carry a fragment")
	}
	host := u.Hostname()
	if host == "" {
		return nil, juta.Errorf(juta.EINVALID, "url needs a host")
	}
	if p := u.Port(); p != "" && !validPort(p) {
		return nil, juta.Errorf(juta.EINVALID, "url port is out of range")
	}
	if err := checkHost(host, allowPrivate); err != nil {
		return nil, err
	}
	return u, nil
}

func checkHost(host string, allowPrivate bool) error {
	if ip, err := netip.ParseAddr(host); err == nil {
		if ip.Zone() != "" {
			return juta.Errorf(juta.EINVALID, "url host must not carry an IPv6 zone")
		}
		if !allowPrivate && BlockedAddr(ip) {
			return juta.Errorf(juta.EINVALID, "url host is a private or reserved address")
		}
		return nil
	}
	name := strings.TrimSuffix(strings.ToLower(host), ".")
	if !validHostname(name) {
		return juta.Errorf(juta.EINVALID, "url host is not a valid host name")
	}
	if looksNumeric(name) {
		// 2130706433, 0x7f.1, 017700000001: some resolvers read these as IPv4.
		return juta.Errorf(juta.EINVALID, "url host is not a valid host name")
	}
	if allowPrivate {
		return nil
	}
	for _, b := range blockedNames {
		if name == b || strings.HasSuffix(name, "."+b) {
			return juta.Errorf(juta.EINVALID, "url host is a private or reserved address")
		}
	}
	if !strings.Contains(name, ".") || strings.HasSuffix(name, ".internal") || strings.HasSuffix(name, ".local") {
		return juta.Errorf(juta.EINVALID, "url host must be a public host name")
	}
	return nil
}

// validHostname accepts LDH labels (and underscores, which some DNS names
// carry) of 1..63 characters, 253 in all.
func validHostname(name string) bool {
	if name == "" || len(name) > 253 {
		return false
	}
	for _, label := range strings.Split(name, ".") {
		if label == "" || len(label) > 63 || label[0] == '-' || label[len(label)-1] == '-' {
			return false
		}
		for i := 0; i < len(label); i++ {
			c := label[i]
			if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '_') {
				return false
			}
		}
	}
	return true
}

// looksNumeric is true when the last label is all digits or a 0x hex
// number: no top-level domain is, but inet_aton-style parsers read such
// names as IPv4 addresses.
func looksNumeric(name string) bool {
	last := name[strings.LastIndex(name, ".")+1:]
	digits := "0123456789"
	if hex, ok := strings.CutPrefix(last, "0x"); ok {
		last, digits = hex, "0123456789abcdef"
	}
	return strings.Trim(last, digits) == ""
}

func validPort(p string) bool {
	if len(p) > 5 {
		return false
	}
	n := 0
	for i := 0; i < len(p); i++ {
		n = n*10 + int(p[i]-'0')
	}
	return n >= 1 && n <= 65535
}

// guardedDialer resolves a host, refuses it when any of its addresses is
// blocked, and checks again the address each connection actually reaches
// (DNS rebinding gets no second chance).
type guardedDialer struct {
	dialer       net.Dialer
	resolver     *net.Resolver
	allowPrivate bool
}

func newGuardedDialer(timeout time.Duration, allowPrivate bool) *guardedDialer {
	g := &guardedDialer{resolver: net.DefaultResolver, allowPrivate: allowPrivate}
	g.dialer = net.Dialer{Timeout: timeout, Control: g.control}
	return g
}

func (g *guardedDialer) DialContext(ctx context.Context, network, addr string) (net.Conn, error) {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return nil, err
	}
	ips, err := g.resolver.LookupNetIP(ctx, "ip", host)
	if err != nil {
		return nil, fmt.Errorf("resolve host: %w", err)
	}
	if !g.allowPrivate {
		for _, ip := range ips {
			if BlockedAddr(ip) {
				return nil, errBlocked
			}
		}
	}
	var firstErr error
	for _, ip := range ips {
		conn, err := g.dialer.DialContext(ctx, network, net.JoinHostPort(ip.String(), port))
		if err == nil {
			return conn, nil
		}
		if firstErr == nil {
			firstErr = err
		}
		if ctx.Err() != nil {
			break
		}
	}
	if firstErr == nil {
		firstErr = errors.New("host has no address")
	}
	return nil, firstErr
}

// control runs after the address is chosen and before connect: the last
// word on where the connection goes.
func (g *guardedDialer) control(_, address string, _ syscall.RawConn) error {
	if g.allowPrivate {
		return nil
	}
	ap, err := netip.ParseAddrPort(address)
	if err != nil || BlockedAddr(ap.Addr()) {
		return errBlocked
	}
	return nil
}
