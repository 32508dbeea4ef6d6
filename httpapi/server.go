package httpapi

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"log/slog"
	"net/http"
	"runtime/debug"
	"strings"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/qluster/qluster"
	"github.com/qluster/qluster/circuit"
)

// BackendLister lists the backends jobs may name. The backend registry
// satisfies it; the API needs nothing else from it.
type BackendLister interface {
	// List returns every backend, in a stable order.
	List() []qluster.BackendInfo
}

// CheckFunc checks a parsed circuit against a backend before a job is
// stored; an error with a qluster code (usually EINVALID) is shown to the
// user as is.
type CheckFunc func(backend string, c *circuit.Circuit, spec qluster.JobSpec) error

// ChooseFunc picks the backend for a job submitted to AutoBackend, from its
// parsed circuits; an error with a qluster code is shown to the user as is.
type ChooseFunc func(circuits []*circuit.Circuit, spec qluster.JobSpec) (string, error)

// AutoBackend is the backend name that lets the server choose (see
// Options.Choose).
const AutoBackend = "auto"

// DefaultLimits are the limits of users whose Limits fields are zero, when
// Options.Limits leaves them zero too.
var DefaultLimits = qluster.Limits{
	MaxConcurrentJobs: 100,
	MaxShots:          1_000_000,
	MaxCircuits:       300,
	MaxRequestBytes:   8 << 20,
	RatePerSecond:     100,
	RateBurst:         200,
}

// DefaultShots is the shot count of a submission that names none.
const DefaultShots = 1024

// Options configure a Server.
type Options struct {
	// Store keeps jobs, users and tokens. Required.
	Store qluster.Store
	// Backends lists the backends jobs may name. Required.
	Backends BackendLister
	// Check, when set, validates each parsed circuit against its backend.
	Check CheckFunc
	// Choose, when set, picks the backend of jobs submitted to
	// AutoBackend; without it "auto" is an unknown backend.
	Choose ChooseFunc
	// Logger receives request and error logs; nil discards them.
	Logger *slog.Logger
	// Notify, when set, is called after a job is stored or cancelled, to
	// wake workers. It must not block.
	Notify func()
	// CancelRunning, when set, is called with the ID of a running job
	// whose cancellation the store has just recorded, so that an
	// in-process worker stops it at once rather than at its next
	// heartbeat. It must not block.
	CancelRunning func(id string)
	// Limits are the server's defaults for users' zero limits; zero fields
	// fall back to DefaultLimits.
	Limits qluster.Limits
	// Registry receives the API's metrics and is served at /metrics; nil
	// makes a new one.
	Registry *prometheus.Registry
	// AuthCacheTTL is how long a verified token is trusted before the
	// store is read again; 0 means DefaultAuthCacheTTL, negative disables
	// the cache. Revocations through this server apply at once, others
	// (another replica, the store itself) within the TTL.
	AuthCacheTTL time.Duration
	// EventPoll is the longest wait between store reads of an event
	// stream; 0 means 500 ms.
	EventPoll time.Duration
	// Now returns the time; nil means time.Now. Tests use it for the rate
	// limiter.
	Now func() time.Time
}

// Server is the API's http.Handler.
type Server struct {
	store         qluster.Store
	backends      BackendLister
	check         CheckFunc
	choose        ChooseFunc
	log           *slog.Logger
	notify        func()
	cancelRunning func(id string)
	limits        qluster.Limits
	poll          time.Duration
	now           func() time.Time
	mux           *http.ServeMux
	table         []route
	handler       http.Handler
	metrics       *metrics
	limiter       *rateLimiter
	auth          *authCache

	backendsCache backendsCache
	closing       chan struct{}
	closeOne      sync.Once
	watch         watchers
	finished      finishedCache
}

// New returns the API handler. It panics when Store or Backends is nil,
// which is a programming error.
func New(opt Options) *Server {
	if opt.Store == nil || opt.Backends == nil {
		panic("httpapi: Options.Store and Options.Backends are required")
	}
	s := &Server{
		store: opt.Store, backends: opt.Backends, check: opt.Check, choose: opt.Choose,
		log: opt.Logger, notify: opt.Notify, cancelRunning: opt.CancelRunning, limits: withDefaults(opt.Limits, DefaultLimits),
		poll: opt.EventPoll, now: opt.Now, mux: http.NewServeMux(), closing: make(chan struct{}),
	}
	if s.log == nil {
		s.log = slog.New(slog.DiscardHandler)
	}
	if s.notify == nil {
		s.notify = func() {}
	}
	if s.poll <= 0 {
		s.poll = 500 * time.Millisecond
	}
	if s.now == nil {
		s.now = time.Now
	}
	reg := opt.Registry
	if reg == nil {
		reg = prometheus.NewRegistry()
	}
	s.metrics = newMetrics(reg, s.store)
	s.limiter = newRateLimiter(s.now)
	ttl := opt.AuthCacheTTL
	if ttl == 0 {
		ttl = DefaultAuthCacheTTL
	}
	s.auth = newAuthCache(ttl)
	s.routes(reg)
	s.handler = s.withRequestID(s.withMetrics(s.withRecover(s.mux)))
	return s
}

// CloseStreams ends every open event stream and makes new ones end after
// their first event, so that a graceful shutdown (http.Server.Shutdown,
// which waits for handlers) is not held up by clients following jobs; pass
// it to http.Server.RegisterOnShutdown. Clients reconnect or poll.
func (s *Server) CloseStreams() { s.closeOne.Do(func() { close(s.closing) }) }

// ServeHTTP serves the API.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.handler.ServeHTTP(w, r) }

// routes registers every route. The OpenAPI test checks this list against
// openapi.json.
func (s *Server) routes(reg *prometheus.Registry) {
	health := func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Write([]byte(`{"status":"ok"}` + "\n"))
	}
	s.table = []route{
		{"POST /v1/jobs", s.authed(s.submitJob)},
		{"GET /v1/jobs", s.authed(s.listJobs)},
		{"GET /v1/jobs/{id}", s.authed(s.getJob)},
		{"DELETE /v1/jobs/{id}", s.authed(s.cancelJob)},
		{"GET /v1/jobs/{id}/result", s.authed(s.getResult)},
		{"GET /v1/jobs/{id}/events", s.authedRaw(s.jobEvents)},
		{"GET /v1/backends", s.authed(s.listBackends)},
		{"GET /v1/backends/{name}", s.authed(s.getBackend)},
		{"POST /v1/users", s.authed(s.createUser)},
		{"GET /v1/users", s.authed(s.listUsers)},
		{"POST /v1/tokens", s.authed(s.createToken)},
		{"GET /v1/tokens", s.authed(s.listTokens)},
		{"DELETE /v1/tokens/{id}", s.authed(s.revokeToken)},
		{"GET /v1/openapi.json", http.HandlerFunc(serveOpenAPI)},
		{"GET /healthz", http.HandlerFunc(health)},
		{"GET /readyz", s.public(s.ready)},
		{"GET /metrics", promhttp.HandlerFor(reg, promhttp.HandlerOpts{})},
	}
	for _, rt := range s.table {
		s.mux.Handle(rt.pattern, rt.h)
	}
	// Quafu-compatible endpoints (quafu.go): outside REST v1, so not in
	// s.table and openapi.json.
	s.quafuRoutes()
	s.mux.HandleFunc("/", s.notFound)
}

// route is one entry of the routing table.
type route struct {
	pattern string
	h       http.Handler
}

// Routes returns the patterns of every route ("GET /v1/jobs/{id}", …), in
// registration order.
func (s *Server) Routes() []string {
	out := make([]string, len(s.table))
	for i, rt := range s.table {
		out[i] = rt.pattern
	}
	return out
}

// methods are those the API uses, tried by notFound to tell 404 from 405.
var methods = []string{http.MethodGet, http.MethodPost, http.MethodDelete}

// notFound answers requests no route matches: 405 with Allow when the
// path exists under another method, else 404.
func (s *Server) notFound(w http.ResponseWriter, r *http.Request) {
	var allow []string
	for _, m := range methods {
		r2 := r.Clone(r.Context())
		r2.Method = m
		if _, pat := s.mux.Handler(r2); pat != "" && pat != "/" {
			allow = append(allow, m)
		}
	}
	if len(allow) > 0 {
		e := errorf(codeMethodNotAllowed, "method %s not allowed on %s; allowed: %s", r.Method, r.URL.Path, strings.Join(allow, ", "))
		e.allow = strings.Join(allow, ", ")
		s.writeProblem(w, r, e)
		return
	}
	s.writeProblem(w, r, errorf(qluster.ENOTFOUND, "no such endpoint: %s %s", r.Method, r.URL.Path))
}

func (s *Server) ready(ctx context.Context, _ *http.Request) (any, error) {
	ctx, cancel := context.WithTimeout(ctx, 2*time.Second)
	defer cancel()
	if err := s.store.Ping(ctx); err != nil {
		s.log.Warn("store not ready", "err", err)
		return nil, errorf(qluster.EINTERNAL, "store unreachable: %v", err)
	}
	return map[string]string{"status": "ready"}, nil
}

// handlerFunc is an API handler: typed input from the request, (data,
// error) out.
type handlerFunc func(ctx context.Context, r *http.Request) (any, error)

// response lets a handler pick the success status and extra headers.
type response struct {
	status int
	header http.Header
	body   any
}

// public adapts a handler that needs no authentication.
func (s *Server) public(h handlerFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		data, err := h(r.Context(), r)
		s.respond(w, r, data, err)
	})
}

// respond writes data as JSON (200, or a *response's status; nil data is
// 204) or err as a problem.
func (s *Server) respond(w http.ResponseWriter, r *http.Request, data any, err error) {
	if err != nil {
		s.writeProblem(w, r, err)
		return
	}
	status := http.StatusOK
	if resp, ok := data.(*response); ok {
		for k, v := range resp.header {
			w.Header()[k] = v
		}
		status, data = resp.status, resp.body
	}
	if data == nil {
		w.WriteHeader(http.StatusNoContent)
		return
	}
	b, err := json.Marshal(data)
	if err != nil {
		s.writeProblem(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	w.Write(append(b, '\n'))
}

type ctxKey int

const (
	reqIDKey ctxKey = iota
	principalKey
)

// requestID returns the request's id, set by withRequestID.
func requestID(ctx context.Context) string {
	id, _ := ctx.Value(reqIDKey).(string)
	return id
}

// withRequestID gives every request an id: the client's X-Request-Id when
// it is short and plain, else a random one. The response echoes it.
func (s *Server) withRequestID(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id := r.Header.Get("X-Request-Id")
		if !plainID(id) {
			var b [8]byte
			rand.Read(b[:])
			id = hex.EncodeToString(b[:])
		}
		w.Header().Set("X-Request-Id", id)
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), reqIDKey, id)))
	})
}

// plainID reports whether id is 1 to 64 characters of [A-Za-z0-9._-].
func plainID(id string) bool {
	if id == "" || len(id) > 64 {
		return false
	}
	for _, c := range []byte(id) {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '.' || c == '_' || c == '-') {
			return false
		}
	}
	return true
}

// withRecover turns a panic in a handler into a logged 500.
func (s *Server) withRecover(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				s.writeProblem(w, r, panicError{v, debug.Stack()})
			}
		}()
		next.ServeHTTP(w, r)
	})
}

// panicError is a recovered panic with its stack, logged as an internal
// error.
type panicError struct {
	v     any
	stack []byte
}

func (p panicError) Error() string {
	return "panic: " + strings.TrimSpace(stringOf(p.v)) + "\n" + string(p.stack)
}

func stringOf(v any) string {
	if e, ok := v.(error); ok {
		return e.Error()
	}
	if s, ok := v.(string); ok {
		return s
	}
	b, _ := json.Marshal(v)
	return string(b)
}

// withDefaults fills the zero fields of l from d.
func withDefaults(l, d qluster.Limits) qluster.Limits {
	if l.MaxConcurrentJobs <= 0 {
		l.MaxConcurrentJobs = d.MaxConcurrentJobs
	}
	if l.MaxShots <= 0 {
		l.MaxShots = d.MaxShots
	}
	if l.MaxCircuits <= 0 {
		l.MaxCircuits = d.MaxCircuits
	}
	if l.MaxRequestBytes <= 0 {
		l.MaxRequestBytes = d.MaxRequestBytes
	}
	if l.RatePerSecond <= 0 {
		l.RatePerSecond = d.RatePerSecond
	}
	if l.RateBurst <= 0 {
		l.RateBurst = d.RateBurst
	}
	return l
}
