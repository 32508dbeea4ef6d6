package httpapi

import (
	"testing"
	"time"

	"github.com/qluster/qluster"
)

func TestAuthCache(t *testing.T) {
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	tok, user := &qluster.Token{ID: "t1"}, &qluster.User{ID: "u1"}
	h1, h2 := [32]byte{1}, [32]byte{2}
	tests := []struct {
		name string
		ttl  time.Duration
		do   func(c *authCache)
		at   time.Time
		hash [32]byte
		want bool
	}{
		{"fresh entry", time.Second, func(c *authCache) { c.put(h1, tok, user, t0) }, t0.Add(999 * time.Millisecond), h1, true},
		{"expired entry", time.Second, func(c *authCache) { c.put(h1, tok, user, t0) }, t0.Add(time.Second), h1, false},
		{"other hash", time.Second, func(c *authCache) { c.put(h1, tok, user, t0) }, t0, h2, false},
		{"forgotten", time.Second, func(c *authCache) { c.put(h1, tok, user, t0); c.forget() }, t0, h1, false},
		{"disabled cache", -1, func(c *authCache) { c.put(h1, tok, user, t0) }, t0, h1, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c := newAuthCache(tc.ttl)
			tc.do(c)
			gotTok, gotUser, ok := c.get(tc.hash, tc.at)
			if ok != tc.want {
				t.Fatalf("get: ok = %v, want %v", ok, tc.want)
			}
			if ok && (gotTok != tok || gotUser != user) {
				t.Errorf("get = %v, %v; want %v, %v", gotTok, gotUser, tok, user)
			}
		})
	}
	t.Run("bounded", func(t *testing.T) {
		c := newAuthCache(time.Minute)
		for i := range maxAuthCache + 10 {
			c.put([32]byte{byte(i), byte(i >> 8), byte(i >> 16)}, tok, user, t0)
		}
		if n := len(c.entries); n > maxAuthCache {
			t.Errorf("cache holds %d entries, want at most %d", n, maxAuthCache)
		}
	})
}
