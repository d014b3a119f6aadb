package auth

import (
	"strconv"
	"strings"
	"testing"
	"time"
)

func TestTokenCacheBounds(t *testing.T) {
	t.Parallel()
	c := newTokenCache()
	now := time.Unix(1_800_000_000, 0)
	e := cachedToken{tok: accessToken{uid: 1}, kid: "k", expiresAt: now.Add(time.Hour)}
	c.put("a", e, now)
	if _, ok := c.get("a", now.Add(tokenCacheFor-time.Second)); !ok {
		t.Fatal("entry gone within its reuse period")
	}
	if _, ok := c.get("a", now.Add(tokenCacheFor+time.Second)); ok {
		t.Fatal("entry reused past tokenCacheFor")
	}
	for i := range maxCachedTokens + 5 {
		c.put(strings.Repeat("x", i%7)+strconv.Itoa(i), e, now)
	}
	if len(c.m) > maxCachedTokens {
		t.Fatalf("cache holds %d tokens, bound %d", len(c.m), maxCachedTokens)
	}
}
