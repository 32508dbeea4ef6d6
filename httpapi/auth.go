package httpapi

import (
	"context"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/qluster/qluster"
)

// principal is the authenticated caller of a request.
type principal struct {
	user   *qluster.User
	token  *qluster.Token
	limits qluster.Limits // the user's limits with the server's defaults
}

// caller returns the request's principal, set by authed.
func caller(ctx context.Context) *principal {
	p, _ := ctx.Value(principalKey).(*principal)
	return p
}

// authed adapts a handler that needs an authenticated caller: it checks the
// Bearer token and the caller's request rate before calling h.
func (s *Server) authed(h handlerFunc) http.Handler {
	return s.authedRaw(func(w http.ResponseWriter, r *http.Request) {
		data, err := h(r.Context(), r)
		s.respond(w, r, data, err)
	})
}

// authedRaw is authed for handlers that write their own response.
func (s *Server) authedRaw(h http.HandlerFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p, err := s.authenticate(r)
		if err != nil {
			w.Header().Set("WWW-Authenticate", `Bearer realm="qluster"`)
			s.writeProblem(w, r, err)
			return
		}
		if wait := s.limiter.take(p.token.ID, p.limits.RatePerSecond, p.limits.RateBurst); wait > 0 {
			e := errorf(qluster.ERATELIMITED, "request rate above %g per second (burst %d) for this token; retry in %s",
				p.limits.RatePerSecond, p.limits.RateBurst, wait.Round(time.Millisecond))
			e.retryAfter = wait
			s.writeProblem(w, r, e)
			return
		}
		r.Body = http.MaxBytesReader(w, r.Body, p.limits.MaxRequestBytes)
		h(w, r.WithContext(context.WithValue(r.Context(), principalKey, p)))
	})
}

// authenticate checks the request's Authorization header.
func (s *Server) authenticate(r *http.Request) (*principal, error) {
	h := r.Header.Get("Authorization")
	if h == "" {
		return nil, errorf(qluster.EUNAUTHORIZED, "missing Authorization header: send \"Authorization: Bearer %s…\"", qluster.TokenScheme)
	}
	scheme, secret, ok := strings.Cut(h, " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") {
		return nil, errorf(qluster.EUNAUTHORIZED, "Authorization must use the Bearer scheme")
	}
	return s.authenticateSecret(r.Context(), strings.TrimSpace(secret))
}

// authenticateSecret checks a raw API token (from any header) and returns
// its principal. Verified tokens are cached for Options.AuthCacheTTL.
func (s *Server) authenticateSecret(ctx context.Context, secret string) (*principal, error) {
	if !strings.HasPrefix(secret, qluster.TokenScheme) || len(secret) > 256 {
		return nil, errorf(qluster.EUNAUTHORIZED, "malformed token: tokens start with %q", qluster.TokenScheme)
	}
	hash := qluster.HashToken(secret)
	now := s.now()
	tok, user, ok := s.auth.get(hash, now)
	if !ok {
		var err error
		tok, user, err = s.store.TokenByHash(ctx, hash)
		if err != nil {
			switch qluster.ErrorCode(err) {
			case qluster.EUNAUTHORIZED:
				return nil, errorf(qluster.EUNAUTHORIZED, "invalid or revoked token")
			case qluster.EFORBIDDEN:
				return nil, errorf(qluster.EUNAUTHORIZED, "account disabled")
			}
			return nil, err
		}
		if now.Sub(tok.LastUsedAt) >= qluster.TouchInterval {
			if err := s.store.TouchToken(ctx, tok.ID, now); err != nil {
				s.log.Warn("recording token use", "token", tok.ID, "err", err)
			}
			t := *tok
			t.LastUsedAt = now
			tok = &t
		}
		s.auth.put(hash, tok, user, now)
	}
	return &principal{user: user, token: tok, limits: withDefaults(user.Limits, s.limits)}, nil
}

// requireAdmin returns EFORBIDDEN unless the caller is an admin.
func requireAdmin(ctx context.Context) error {
	if p := caller(ctx); p == nil || !p.user.Admin {
		return errorf(qluster.EFORBIDDEN, "admin only")
	}
	return nil
}

// rateLimiter keeps one token bucket per API token.
type rateLimiter struct {
	now     func() time.Time
	mu      sync.Mutex
	buckets map[string]*bucket
	sweep   time.Time
}

// bucket is a token bucket: tokens refill at the rate up to the burst.
type bucket struct {
	tokens float64
	last   time.Time
}

func newRateLimiter(now func() time.Time) *rateLimiter {
	return &rateLimiter{now: now, buckets: make(map[string]*bucket)}
}

// take spends one request from key's bucket. It returns 0 when the request
// may go ahead, else how long until it could.
func (l *rateLimiter) take(key string, rate float64, burst int) time.Duration {
	now := l.now()
	l.mu.Lock()
	defer l.mu.Unlock()
	if now.Sub(l.sweep) > time.Minute {
		// Forget buckets idle long enough to be full again.
		for k, b := range l.buckets {
			if now.Sub(b.last) > time.Minute && now.Sub(b.last).Seconds()*rate >= float64(burst) {
				delete(l.buckets, k)
			}
		}
		l.sweep = now
	}
	b, ok := l.buckets[key]
	if !ok {
		b = &bucket{tokens: float64(burst), last: now}
		l.buckets[key] = b
	}
	if el := now.Sub(b.last); el > 0 {
		b.tokens = min(float64(burst), b.tokens+el.Seconds()*rate)
		b.last = now
	}
	if b.tokens >= 1 {
		b.tokens--
		return 0
	}
	return time.Duration((1 - b.tokens) / rate * float64(time.Second))
}
