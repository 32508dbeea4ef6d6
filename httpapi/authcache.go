package httpapi

import (
	"sync"
	"time"

	"github.com/qluster/qluster"
)

// DefaultAuthCacheTTL is how long a verified token is trusted without
// reading the store again, when Options.AuthCacheTTL is zero.
const DefaultAuthCacheTTL = 2 * time.Second

// maxAuthCache bounds the entries of the token cache; it is emptied when
// full (valid tokens are few; this only guards memory).
const maxAuthCache = 10_000

// authCache remembers recently verified tokens by hash, so that a client
// polling or submitting in a loop costs no store read per request. A
// revocation through this server empties it at once; one through another
// replica (or straight in the store) takes effect within the TTL.
type authCache struct {
	ttl     time.Duration
	mu      sync.Mutex
	entries map[[32]byte]authEntry
}

type authEntry struct {
	token   *qluster.Token
	user    *qluster.User
	expires time.Time
}

func newAuthCache(ttl time.Duration) *authCache {
	return &authCache{ttl: ttl, entries: make(map[[32]byte]authEntry)}
}

// get returns the cached token and user for hash, if fresh at now.
func (c *authCache) get(hash [32]byte, now time.Time) (*qluster.Token, *qluster.User, bool) {
	if c.ttl <= 0 {
		return nil, nil, false
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.entries[hash]
	if !ok || !now.Before(e.expires) {
		return nil, nil, false
	}
	return e.token, e.user, true
}

// put remembers a verified token until now+TTL.
func (c *authCache) put(hash [32]byte, tok *qluster.Token, user *qluster.User, now time.Time) {
	if c.ttl <= 0 {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.entries) >= maxAuthCache {
		clear(c.entries)
	}
	c.entries[hash] = authEntry{token: tok, user: user, expires: now.Add(c.ttl)}
}

// forget empties the cache (after a revocation or an account change).
func (c *authCache) forget() {
	c.mu.Lock()
	defer c.mu.Unlock()
	clear(c.entries)
}
