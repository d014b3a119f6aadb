package stream

import (
	"fmt"
	"net/url"
	"strings"
)

// originPolicy decides which browser origins may open the WebSocket. Browsers
// attach Origin to every WebSocket handshake and cannot forge it, so checking
// it stops other sites from opening a socket in a user's name (cross-site
// WebSocket hijacking). Clients that send no Origin are not browsers.
type originPolicy struct {
	allowed map[string]bool
}

func newOriginPolicy(list []string) (originPolicy, error) {
	p := originPolicy{allowed: map[string]bool{}}
	for _, o := range list {
		n, err := NormalizeOrigin(o)
		if err != nil {
			return originPolicy{}, err
		}
		p.allowed[n] = true
	}
	return p, nil
}

// allows reports whether a handshake with this Origin header may proceed on a
// request whose Host header is host. The server's own origin (same host and
// port) is always allowed.
func (p originPolicy) allows(origin, host string) bool {
	if origin == "" {
		return true
	}
	n, err := NormalizeOrigin(origin)
	if err != nil {
		return false
	}
	if p.allowed[n] {
		return true
	}
	scheme, authority, _ := strings.Cut(n, "://")
	self, err := NormalizeOrigin(scheme + "://" + host)
	return host != "" && err == nil && self == scheme+"://"+authority
}

// NormalizeOrigin checks that s is a web origin, scheme://host[:port] with an
// http or https scheme and nothing after the authority, and returns it in
// lower case without a default port, as browsers send it.
func NormalizeOrigin(s string) (string, error) {
	s = strings.TrimSpace(s)
	if len(s) > 2048 {
		return "", fmt.Errorf("origin is too long")
	}
	u, err := url.Parse(s)
	if err != nil {
		return "", fmt.Errorf("origin %q: %w", s, err)
	}
	scheme := strings.ToLower(u.Scheme)
	if scheme != "http" && scheme != "https" {
		return "", fmt.Errorf("origin %q: scheme must be http or https", s)
	}
	if u.Host == "" || u.User != nil || (u.Path != "" && u.Path != "/") || u.RawQuery != "" || u.Fragment != "" || u.Opaque != "" {
		return "", fmt.Errorf("origin %q: want scheme://host[:port] only", s)
	}
	host, port := strings.ToLower(u.Hostname()), u.Port()
	if host == "" {
		return "", fmt.Errorf("origin %q: no host", s)
	}
	if strings.Contains(host, ":") {
		host = "[" + host + "]"
	}
	if port == "" || (scheme == "http" && port == "80") || (scheme == "https" && port == "443") {
		return scheme + "://" + host, nil
	}
	return scheme + "://" + host + ":" + port, nil
}
