package auth

import (
	"strings"
	"sync"
	"time"
)

// Bounds of the verified-token cache.
const (
	maxCachedTokens = 10_000
	// tokenCacheFor caps how long a verification is reused, whatever the
	// token's own expiry.
	tokenCacheFor = time.Minute
)

// tokenCache remembers access tokens whose signature and claims were
// verified, so that a client's repeated requests skip the HMAC and the JSON
// decoding of its token. An entry is reused only until the token expires
// (with the same leeway as a full check) and while its key still verifies;
// only tokens that passed are kept, so refused ones cannot fill it.
type tokenCache struct {
	mu sync.Mutex
	m  map[string]cachedToken
}

type cachedToken struct {
	tok       accessToken
	kid       string
	expiresAt time.Time // the token's exp
	until     time.Time // end of this entry's reuse
}

func newTokenCache() *tokenCache { return &tokenCache{m: map[string]cachedToken{}} }

// get returns raw's verified token when an entry is still good at now.
func (c *tokenCache) get(raw string, now time.Time) (cachedToken, bool) {
	c.mu.Lock()
	e, ok := c.m[raw]
	if ok && (now.After(e.until) || now.After(e.expiresAt.Add(TokenLeeway))) {
		delete(c.m, raw)
		ok = false
	}
	c.mu.Unlock()
	return e, ok
}

// put remembers a token that just passed every check. raw may alias a
// request buffer: the key is copied.
func (c *tokenCache) put(raw string, e cachedToken, now time.Time) {
	e.until = now.Add(tokenCacheFor)
	c.mu.Lock()
	if len(c.m) >= maxCachedTokens {
		clear(c.m)
	}
	c.m[strings.Clone(raw)] = e
	c.mu.Unlock()
}
