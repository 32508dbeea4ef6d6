// Package apitest starts a complete Qluster API for tests: a SQLite store
// in a temporary directory, the ideal state-vector backend, a real
// in-process worker and the httpapi handler behind an httptest.Server. The
// httpapi, client and CLI tests share it.
package apitest

import (
	"context"
	"log/slog"
	"net/http/httptest"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/qluster/qluster"
	"github.com/qluster/qluster/backend"
	"github.com/qluster/qluster/httpapi"
	"github.com/qluster/qluster/store/sqlite"
	"github.com/qluster/qluster/worker"
)

// Options configure Start.
type Options struct {
	// Limits are the server's default limits.
	Limits qluster.Limits
	// NoWorker leaves jobs queued until the test starts a worker
	// (StartWorker) or leases them itself.
	NoWorker bool
	// Now is the API's clock (for the rate limiter); nil means time.Now.
	Now func() time.Time
	// Logger receives the server's logs; nil discards them.
	Logger *slog.Logger
}

// Env is a running API.
type Env struct {
	// URL is the server's base URL.
	URL string
	// Server is the HTTP test server.
	Server *httptest.Server
	// API is the handler.
	API *httpapi.Server
	// Store is the SQLite store behind it.
	Store *sqlite.DB
	// Registry holds the "sv" backend (1 GiB memory limit: 26 qubits).
	Registry *backend.Registry
	// Admin and AdminToken are an admin account and its token.
	Admin      *qluster.User
	AdminToken string

	t       testing.TB
	mu      sync.Mutex
	workers []*worker.Worker
	stop    []func()
}

// Start starts an API and stops it when the test ends.
func Start(t testing.TB, opt Options) *Env {
	t.Helper()
	ctx := context.Background()
	db, err := sqlite.Open(ctx, sqlite.Options{Path: filepath.Join(t.TempDir(), "qluster.db"), Synchronous: "NORMAL"})
	if err != nil {
		t.Fatalf("opening store: %v", err)
	}
	reg := backend.NewRegistry(backend.NewStateVector(backend.StateVectorOptions{MemoryLimit: 1 << 30, Node: "test"}))
	e := &Env{t: t, Store: db, Registry: reg}
	e.API = httpapi.New(httpapi.Options{
		Store: db, Backends: reg, Check: reg.Check, Logger: opt.Logger,
		Notify: e.notify, CancelRunning: e.cancelRunning, Limits: opt.Limits, Now: opt.Now, EventPoll: 50 * time.Millisecond,
	})
	e.Server = httptest.NewServer(e.API)
	e.URL = e.Server.URL
	t.Cleanup(e.close)
	e.Admin, e.AdminToken = e.NewUser("admin", true, qluster.Limits{})
	if !opt.NoWorker {
		e.StartWorker()
	}
	return e
}

// NewUser creates a user with a token, straight in the store.
func (e *Env) NewUser(name string, admin bool, limits qluster.Limits) (*qluster.User, string) {
	e.t.Helper()
	ctx := context.Background()
	u, err := e.Store.CreateUser(ctx, &qluster.User{Name: name, Admin: admin, Limits: limits})
	if err != nil {
		e.t.Fatalf("creating user %s: %v", name, err)
	}
	secret, hash, prefix, err := qluster.GenerateToken()
	if err != nil {
		e.t.Fatal(err)
	}
	if _, err := e.Store.CreateToken(ctx, &qluster.Token{UserID: u.ID, Name: "test", Hash: hash, Prefix: prefix}); err != nil {
		e.t.Fatalf("creating token for %s: %v", name, err)
	}
	return u, secret
}

// StartWorker starts an in-process worker that runs jobs until the test
// ends.
func (e *Env) StartWorker() *worker.Worker {
	w := worker.New(worker.Options{
		Leaser: e.Store, Sweeper: e.Store, Registry: e.Registry, Concurrency: 2,
		LeaseTTL: 5 * time.Second, PollMax: 20 * time.Millisecond, GracePeriod: time.Second,
		OnFinished: func(j *qluster.Job, res *qluster.JobResult) { e.API.JobFinished(j, res) },
	})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { w.Run(ctx); close(done) }()
	e.mu.Lock()
	e.workers = append(e.workers, w)
	e.stop = append(e.stop, func() { cancel(); <-done })
	e.mu.Unlock()
	return w
}

func (e *Env) notify() {
	e.mu.Lock()
	defer e.mu.Unlock()
	for _, w := range e.workers {
		w.Notify()
	}
}

func (e *Env) cancelRunning(id string) {
	e.mu.Lock()
	defer e.mu.Unlock()
	for _, w := range e.workers {
		w.Cancel(id)
	}
}

func (e *Env) close() {
	e.mu.Lock()
	stop := e.stop
	e.stop = nil
	e.mu.Unlock()
	for _, f := range stop {
		f()
	}
	e.Server.Close()
	e.Store.Close()
}
