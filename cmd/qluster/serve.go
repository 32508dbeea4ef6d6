package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/pprof"
	"os"
	"os/signal"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/spf13/cobra"

	ql "github.com/qluster/qluster"
	"github.com/qluster/qluster/backend"
	"github.com/qluster/qluster/httpapi"
	"github.com/qluster/qluster/store/postgres"
	"github.com/qluster/qluster/store/sqlite"
	"github.com/qluster/qluster/worker"
)

// Files serve keeps in its data directory.
const (
	adminTokenFile = "admin.token"
	nodeIDFile     = "node.id"
	sqliteFile     = "qluster.db"
)

// serveCommand runs the whole service on one machine: the store, the HTTP
// API and in-process workers.
type serveCommand struct {
	stderr io.Writer

	Addr            string
	DataDir         string
	DatabaseURL     string
	DatabaseSchema  string
	Workers         int
	LeaseTTL        time.Duration
	GracePeriod     time.Duration
	ShutdownTimeout time.Duration
	SQLiteSync      string
	LogLevel        string
	DebugAddr       string
	DevicesDir      string

	// envErr records a QLUSTER_* variable that did not parse; Run reports
	// it.
	envErr error
}

func newServeCommand(stderr io.Writer) *serveCommand {
	s := &serveCommand{stderr: stderr}
	s.Addr = s.envString("QLUSTER_ADDR", "127.0.0.1:8080")
	s.DataDir = s.envString("QLUSTER_DATA_DIR", "")
	s.DatabaseURL = s.envString("QLUSTER_DATABASE_URL", "")
	s.DatabaseSchema = s.envString("QLUSTER_DATABASE_SCHEMA", "")
	s.Workers = s.envInt("QLUSTER_WORKERS", runtime.NumCPU())
	s.LeaseTTL = s.envDuration("QLUSTER_LEASE_TTL", worker.DefaultLeaseTTL)
	s.GracePeriod = s.envDuration("QLUSTER_GRACE_PERIOD", worker.DefaultGracePeriod)
	s.ShutdownTimeout = s.envDuration("QLUSTER_SHUTDOWN_TIMEOUT", 5*time.Second)
	s.SQLiteSync = s.envString("QLUSTER_SQLITE_SYNCHRONOUS", "FULL")
	s.LogLevel = s.envString("QLUSTER_LOG_LEVEL", "info")
	s.DebugAddr = s.envString("QLUSTER_DEBUG_ADDR", "")
	s.DevicesDir = s.envString("QLUSTER_DEVICES", "")
	return s
}

func (s *serveCommand) envString(name, def string) string {
	if v, ok := os.LookupEnv(name); ok && v != "" {
		return v
	}
	return def
}

func (s *serveCommand) envInt(name string, def int) int {
	v := s.envString(name, "")
	if v == "" {
		return def
	}
	n, err := strconv.Atoi(v)
	if err != nil && s.envErr == nil {
		s.envErr = fmt.Errorf("%s=%q: not an integer", name, v)
	}
	return n
}

func (s *serveCommand) envDuration(name string, def time.Duration) time.Duration {
	v := s.envString(name, "")
	if v == "" {
		return def
	}
	d, err := time.ParseDuration(v)
	if err != nil && s.envErr == nil {
		s.envErr = fmt.Errorf("%s=%q: not a duration such as 30s", name, v)
	}
	return d
}

func (s *serveCommand) cobra() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "serve",
		Short: "Run the Qluster service: HTTP API, job store and workers",
		Long: `Serve runs a complete quantum cloud on this machine: the REST API, a durable
job store (SQLite in the data directory, or PostgreSQL with --database-url) and
in-process workers that run every backend.

On first start it creates an admin user and writes its token to admin.token
(mode 0600) in the data directory. SIGINT or SIGTERM stops it gracefully:
the API stops taking requests, running jobs get --grace-period to finish and
are otherwise returned to the queue.

Every flag has an environment variable, shown in brackets.`,
		Args: cobra.NoArgs,
		RunE: func(c *cobra.Command, _ []string) error { return s.Run(c.Context()) },
	}
	f := cmd.Flags()
	f.StringVar(&s.Addr, "addr", s.Addr, "address to listen on [QLUSTER_ADDR]")
	f.StringVar(&s.DataDir, "data-dir", s.DataDir, "data directory (default "+defaultDataDir()+") [QLUSTER_DATA_DIR]")
	f.StringVar(&s.DatabaseURL, "database-url", s.DatabaseURL, "postgres://… to use PostgreSQL; empty: SQLite in the data directory [QLUSTER_DATABASE_URL]")
	f.StringVar(&s.DatabaseSchema, "database-schema", s.DatabaseSchema, "PostgreSQL schema for the tables, created when missing (default: the search path) [QLUSTER_DATABASE_SCHEMA]")
	f.IntVar(&s.Workers, "workers", s.Workers, "jobs run at once by in-process workers (0: none; this replica then neither runs jobs nor requeues expired leases) [QLUSTER_WORKERS]")
	f.DurationVar(&s.LeaseTTL, "lease-ttl", s.LeaseTTL, "how long a job's lease lasts without a heartbeat [QLUSTER_LEASE_TTL]")
	f.DurationVar(&s.GracePeriod, "grace-period", s.GracePeriod, "on shutdown, how long running jobs may finish before they go back to the queue [QLUSTER_GRACE_PERIOD]")
	f.DurationVar(&s.ShutdownTimeout, "shutdown-timeout", s.ShutdownTimeout, "on shutdown, how long HTTP requests may finish [QLUSTER_SHUTDOWN_TIMEOUT]")
	f.StringVar(&s.SQLiteSync, "sqlite-synchronous", s.SQLiteSync, "SQLite durability: FULL (survives power loss) or NORMAL (survives a crash of the process) [QLUSTER_SQLITE_SYNCHRONOUS]")
	f.StringVar(&s.DebugAddr, "debug-addr", s.DebugAddr, "if set, serve Go's profiler (/debug/pprof/) on this address; keep it private [QLUSTER_DEBUG_ADDR]")
	f.StringVar(&s.DevicesDir, "devices", s.DevicesDir, "directory of device JSON files (Qluster schema or Quafu chip format), each served as an emulated chip beside the built-in ones [QLUSTER_DEVICES]")
	f.StringVar(&s.LogLevel, "log-level", s.LogLevel, "debug, info, warn or error [QLUSTER_LOG_LEVEL]")
	return cmd
}

// defaultDataDir is $XDG_DATA_HOME/qluster, else ~/.local/share/qluster on
// Unix and the user's configuration directory elsewhere.
func defaultDataDir() string {
	if d := os.Getenv("XDG_DATA_HOME"); d != "" && filepath.IsAbs(d) {
		return filepath.Join(d, "qluster")
	}
	if runtime.GOOS != "windows" && runtime.GOOS != "darwin" && runtime.GOOS != "ios" {
		if home, err := os.UserHomeDir(); err == nil {
			return filepath.Join(home, ".local", "share", "qluster")
		}
	}
	if d, err := os.UserConfigDir(); err == nil {
		return filepath.Join(d, "qluster")
	}
	return "qluster-data"
}

// newLogger returns a JSON logger, or a text one when w is a terminal.
func newLogger(w io.Writer, level string) (*slog.Logger, error) {
	var lv slog.Level
	if err := lv.UnmarshalText([]byte(level)); err != nil {
		return nil, usageError{fmt.Errorf("--log-level must be debug, info, warn or error, got %q", level)}
	}
	opt := &slog.HandlerOptions{Level: lv}
	if isTerminal(w) {
		return slog.New(slog.NewTextHandler(w, opt)), nil
	}
	return slog.New(slog.NewJSONHandler(w, opt)), nil
}

// Run serves until ctx is cancelled, then shuts down gracefully.
func (s *serveCommand) Run(ctx context.Context) error {
	if s.envErr != nil {
		return usageError{s.envErr}
	}
	if s.Workers < 0 {
		return usageError{fmt.Errorf("--workers must be ≥ 0, got %d", s.Workers)}
	}
	if s.LeaseTTL <= 0 || s.GracePeriod < 0 || s.ShutdownTimeout < 0 {
		return usageError{errors.New("--lease-ttl must be positive, --grace-period and --shutdown-timeout not negative")}
	}
	log, err := newLogger(s.stderr, s.LogLevel)
	if err != nil {
		return err
	}
	if s.DataDir == "" {
		s.DataDir = defaultDataDir()
	}
	if err := os.MkdirAll(s.DataDir, 0o700); err != nil {
		return fmt.Errorf("create data directory: %w", err)
	}

	st, err := s.openStore(ctx, log)
	if err != nil {
		return err
	}
	defer func() {
		if err := st.Close(); err != nil {
			log.Error("closing the store", "err", err)
		}
	}()
	if err := bootstrapAdmin(ctx, st, s.DataDir, log); err != nil {
		return err
	}

	host, _ := os.Hostname()
	reg, err := backend.NewServiceRegistry(backend.ServiceOptions{Node: host, DevicesDir: s.DevicesDir})
	if err != nil {
		return fmt.Errorf("backends: %w", err)
	}
	nodeID, err := loadNodeID(s.DataDir)
	if err != nil {
		return err
	}
	// The API and the workers know each other: the API wakes workers when
	// a job is queued, workers tell the API when a job has finished.
	var api *httpapi.Server
	w := worker.New(worker.Options{
		Leaser: st, Sweeper: st, Registry: reg,
		ID:          nodeID + ":" + strconv.FormatInt(time.Now().UnixMilli(), 36),
		Concurrency: max(s.Workers, 1), LeaseTTL: s.LeaseTTL, GracePeriod: s.GracePeriod,
		Logger:     log.With("component", "worker"),
		OnFinished: func(j *ql.Job, res *ql.JobResult) { api.JobFinished(j, res) },
	})
	if err := releaseOrphans(ctx, st, nodeID, log); err != nil {
		return err
	}

	api = httpapi.New(httpapi.Options{
		Store: st, Backends: reg, Check: reg.Check, Choose: reg.Choose, Logger: log.With("component", "httpapi"), Notify: w.Notify,
		CancelRunning: func(id string) { w.Cancel(id) },
	})
	ln, err := net.Listen("tcp", s.Addr)
	if err != nil {
		return fmt.Errorf("listen: %w", err)
	}
	if s.DebugAddr != "" {
		if err := serveDebug(s.DebugAddr, log); err != nil {
			return err
		}
	}
	// Requests run under reqCtx, cancelled a moment into shutdown so that
	// event streams end.
	reqCtx, cancelRequests := context.WithCancel(context.WithoutCancel(ctx))
	defer cancelRequests()
	srv := &http.Server{
		Handler:           api,
		ReadHeaderTimeout: 10 * time.Second,
		IdleTimeout:       2 * time.Minute,
		BaseContext:       func(net.Listener) context.Context { return reqCtx },
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
	srv.RegisterOnShutdown(api.CloseStreams)
	workerCtx, stopWorkers := context.WithCancel(context.WithoutCancel(ctx))
	defer stopWorkers()
	var wg sync.WaitGroup
	if s.Workers > 0 {
		wg.Go(func() { _ = w.Run(workerCtx) })
	}
	serveErr := make(chan error, 1)
	go func() { serveErr <- srv.Serve(ln) }()
	log.Info("listening", "addr", ln.Addr().String(), "data_dir", s.DataDir, "workers", s.Workers)

	var runErr error
	select {
	case <-ctx.Done():
		log.Info("shutting down; send the signal again to exit at once")
		forceExitOnSignal(log)
	case err := <-serveErr:
		runErr = fmt.Errorf("http server: %w", err)
	}
	sctx, cancel := context.WithTimeout(context.Background(), s.ShutdownTimeout)
	streams := time.AfterFunc(min(time.Second, s.ShutdownTimeout/2), cancelRequests)
	if err := srv.Shutdown(sctx); err != nil {
		log.Warn("http shutdown", "err", err)
		srv.Close()
	}
	streams.Stop()
	cancel()
	stopWorkers()
	wg.Wait()
	log.Info("stopped")
	return runErr
}

// forceExitOnSignal exits the process at the next SIGINT or SIGTERM, for an
// operator who will not wait for a graceful stop. Jobs left running go back
// to the queue at the next start (releaseOrphans) or when their leases
// expire.
func forceExitOnSignal(log *slog.Logger) {
	ch := make(chan os.Signal, 1)
	signal.Notify(ch, os.Interrupt, syscall.SIGTERM)
	go func() {
		<-ch
		log.Warn("second signal: exiting without waiting")
		os.Exit(1)
	}()
}

// serveDebug serves the profiler on addr until the process ends.
func serveDebug(addr string, log *slog.Logger) error {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("listen on debug address: %w", err)
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/debug/pprof/", pprof.Index)
	mux.HandleFunc("/debug/pprof/profile", pprof.Profile)
	mux.HandleFunc("/debug/pprof/trace", pprof.Trace)
	log.Info("profiler listening", "addr", ln.Addr().String())
	go http.Serve(ln, mux)
	return nil
}

// openStore opens PostgreSQL for a postgres:// URL, else the SQLite file in
// the data directory.
func (s *serveCommand) openStore(ctx context.Context, log *slog.Logger) (ql.Store, error) {
	u := s.DatabaseURL
	if strings.HasPrefix(u, "postgres://") || strings.HasPrefix(u, "postgresql://") {
		db, err := postgres.Open(ctx, postgres.Options{URL: u, Schema: s.DatabaseSchema})
		if err != nil {
			return nil, fmt.Errorf("open store: %w", err)
		}
		log.Info("store: PostgreSQL", "schema", s.DatabaseSchema)
		return db, nil
	}
	if u != "" {
		return nil, usageError{errors.New("--database-url must start with postgres:// (leave it empty for SQLite)")}
	}
	path := filepath.Join(s.DataDir, sqliteFile)
	db, err := sqlite.Open(ctx, sqlite.Options{Path: path, Synchronous: s.SQLiteSync})
	if err != nil {
		return nil, fmt.Errorf("open store: %w", err)
	}
	log.Info("store: SQLite", "path", path, "synchronous", strings.ToUpper(s.SQLiteSync))
	return db, nil
}

// loadNodeID returns this data directory's node ID, made on first use. The
// workers of a node lease under "ID:start-time", so that a restart can tell
// its own orphaned leases from those of other nodes.
func loadNodeID(dir string) (string, error) {
	path := filepath.Join(dir, nodeIDFile)
	b, err := os.ReadFile(path)
	if err == nil && len(strings.TrimSpace(string(b))) > 0 {
		return strings.TrimSpace(string(b)), nil
	}
	if err != nil && !errors.Is(err, os.ErrNotExist) {
		return "", fmt.Errorf("read node ID: %w", err)
	}
	id := ql.NewID()
	if err := writeFileAtomic(path, []byte(id+"\n")); err != nil {
		return "", fmt.Errorf("write node ID: %w", err)
	}
	return id, nil
}

// releaseOrphans puts back in the queue the running jobs leased by an
// earlier run of this node (killed without a chance to release them), so
// they need not wait for their leases to expire.
func releaseOrphans(ctx context.Context, st ql.Store, nodeID string, log *slog.Logger) error {
	prefix := nodeID + ":"
	var orphans []*ql.Job
	cursor := ""
	for {
		jobs, next, err := st.ListJobs(ctx, ql.JobFilter{Status: ql.JobRunning, Limit: ql.MaxListLimit, Cursor: cursor})
		if err != nil {
			return fmt.Errorf("list running jobs: %w", err)
		}
		for _, j := range jobs {
			if strings.HasPrefix(j.Worker, prefix) {
				orphans = append(orphans, j)
			}
		}
		if next == "" {
			break
		}
		cursor = next
	}
	for _, j := range orphans {
		err := st.Release(ctx, j.ID, j.Worker, j.Attempt)
		if err != nil && ql.ErrorCode(err) != ql.ECONFLICT {
			return fmt.Errorf("release job %s: %w", j.ID, err)
		}
	}
	if len(orphans) > 0 {
		log.Info("returned jobs of the previous run to the queue", "jobs", len(orphans))
	}
	return nil
}

// bootstrapAdmin makes sure the store has an admin whose token is in
// dir/admin.token. On first start it creates user "admin" and a token,
// writing the file before storing the token so that a crash in between
// is repaired by the next start. A store whose admin already has tokens
// gets no new one (another replica, or an operator, made them).
func bootstrapAdmin(ctx context.Context, st ql.Store, dir string, log *slog.Logger) error {
	path := filepath.Join(dir, adminTokenFile)
	if b, err := os.ReadFile(path); err == nil {
		_, u, err := st.TokenByHash(ctx, ql.HashToken(string(b)))
		if err == nil && u.Admin {
			log.Info("admin token", "file", path)
			return nil
		}
	}
	admin, err := st.GetUserByName(ctx, "admin")
	switch {
	case ql.ErrorCode(err) == ql.ENOTFOUND:
		users, err := st.ListUsers(ctx)
		if err != nil {
			return fmt.Errorf("bootstrap admin: %w", err)
		}
		if len(users) > 0 {
			log.Warn("no usable admin.token and no user named admin: not creating one", "file", path)
			return nil
		}
		admin, err = st.CreateUser(ctx, &ql.User{Name: "admin", Admin: true})
		if err != nil {
			return fmt.Errorf("bootstrap admin: %w", err)
		}
	case err != nil:
		return fmt.Errorf("bootstrap admin: %w", err)
	}
	toks, err := st.ListTokens(ctx, admin.ID)
	if err != nil {
		return fmt.Errorf("bootstrap admin: %w", err)
	}
	for _, t := range toks {
		if !t.Revoked() {
			log.Warn("admin.token is missing or stale but the admin has tokens: not making another", "file", path)
			return nil
		}
	}
	secret, hash, prefix, err := ql.GenerateToken()
	if err != nil {
		return err
	}
	if err := writeFileAtomic(path, []byte(secret+"\n")); err != nil {
		return fmt.Errorf("write admin token: %w", err)
	}
	if _, err := st.CreateToken(ctx, &ql.Token{UserID: admin.ID, Name: "admin (first start)", Prefix: prefix, Hash: hash}); err != nil {
		return fmt.Errorf("bootstrap admin: %w", err)
	}
	log.Info("created the admin user; its token is in the file", "file", path)
	return nil
}

// writeFileAtomic writes data to path with mode 0600 through a temporary
// file and a rename, so that readers see the old file or the whole new one.
func writeFileAtomic(path string, data []byte) error {
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*")
	if err != nil {
		return err
	}
	tmp := f.Name()
	defer os.Remove(tmp)
	if err := f.Chmod(0o600); err != nil {
		f.Close()
		return err
	}
	if _, err := f.Write(data); err != nil {
		f.Close()
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	return os.Rename(tmp, path)
}
