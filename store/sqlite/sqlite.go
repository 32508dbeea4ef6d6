package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/qluster/qluster"
	"github.com/qluster/qluster/store/internal/rules"
)

// Options configure Open.
type Options struct {
	// Path is the database file; it and its directory are created when
	// missing (the directory with mode 0700).
	Path string
	// Synchronous is SQLite's synchronous setting: "FULL" (the default;
	// commits survive power loss), "EXTRA", or "NORMAL" (commits survive a
	// crash of the process but not of the OS).
	Synchronous string
	// BusyTimeout is how long a statement waits for a lock held by another
	// process; 0 means 10 seconds.
	BusyTimeout time.Duration
	// Readers is the size of the read connection pool; 0 means
	// max(4, GOMAXPROCS).
	Readers int
	// MaxBatch bounds the writes committed in one transaction; 0 means 512.
	MaxBatch int
}

// DB is a qluster.Store backed by one SQLite file. It is safe for concurrent
// use; Close it when done.
type DB struct {
	path   string
	writer *sql.DB    // one connection, used only by the writer goroutine
	reader *sql.DB    // read-only pool
	read   *stmtCache // reader's queries, prepared once
	wstmts *writerStmts

	ops       chan *writeOp
	closing   chan struct{}
	done      chan struct{}
	maxBatch  int
	closeOnce sync.Once

	touch rules.TouchThrottle
}

var _ qluster.Store = (*DB)(nil)

// Open opens (creating when missing) the database at opt.Path, brings its
// schema up to date and starts the writer.
func Open(ctx context.Context, opt Options) (*DB, error) {
	if opt.Path == "" || opt.Path == ":memory:" || strings.ContainsAny(opt.Path, "?#") {
		return nil, qluster.Errorf(qluster.EINVALID, "sqlite: invalid database path %q", opt.Path)
	}
	syncMode := strings.ToUpper(opt.Synchronous)
	switch syncMode {
	case "":
		syncMode = "FULL"
	case "FULL", "EXTRA", "NORMAL":
	default:
		return nil, qluster.Errorf(qluster.EINVALID, "sqlite: synchronous must be FULL, EXTRA or NORMAL, got %q", opt.Synchronous)
	}
	busy := opt.BusyTimeout
	if busy <= 0 {
		busy = 10 * time.Second
	}
	readers := opt.Readers
	if readers <= 0 {
		readers = max(4, runtime.GOMAXPROCS(0))
	}
	maxBatch := opt.MaxBatch
	if maxBatch <= 0 {
		maxBatch = 512
	}
	if err := os.MkdirAll(filepath.Dir(opt.Path), 0o700); err != nil {
		return nil, fmt.Errorf("sqlite: create database directory: %w", err)
	}

	q := url.Values{}
	q.Set("_busy_timeout", strconv.FormatInt(busy.Milliseconds(), 10))
	q.Set("_journal_mode", "WAL")
	q.Set("_foreign_keys", "1")
	q.Set("_synchronous", syncMode)
	q.Set("_txlock", "immediate")
	writer, err := sql.Open("sqlite", opt.Path+"?"+q.Encode())
	if err != nil {
		return nil, fmt.Errorf("sqlite: open %s: %w", opt.Path, err)
	}
	writer.SetMaxOpenConns(1)
	writer.SetMaxIdleConns(1)
	writer.SetConnMaxLifetime(0)
	writer.SetConnMaxIdleTime(0)
	if err := migrate(ctx, writer); err != nil {
		writer.Close()
		return nil, fmt.Errorf("sqlite: %s: %w", opt.Path, err)
	}

	q = url.Values{}
	q.Set("_busy_timeout", strconv.FormatInt(busy.Milliseconds(), 10))
	q.Set("_query_only", "1")
	q.Set("_txlock", "deferred")
	reader, err := sql.Open("sqlite", opt.Path+"?"+q.Encode())
	if err != nil {
		writer.Close()
		return nil, fmt.Errorf("sqlite: open %s: %w", opt.Path, err)
	}
	reader.SetMaxOpenConns(readers)
	reader.SetMaxIdleConns(readers)
	reader.SetConnMaxIdleTime(0)

	db := &DB{
		path:     opt.Path,
		writer:   writer,
		reader:   reader,
		read:     newStmtCache(reader),
		wstmts:   newWriterStmts(writer),
		ops:      make(chan *writeOp),
		closing:  make(chan struct{}),
		done:     make(chan struct{}),
		maxBatch: maxBatch,
	}
	go db.writeLoop()
	if err := db.Ping(ctx); err != nil {
		db.Close()
		return nil, err
	}
	return db, nil
}

// Path returns the database file's path.
func (db *DB) Path() string { return db.path }

// Ping checks that the database answers.
func (db *DB) Ping(ctx context.Context) error {
	var one int
	if err := db.reader.QueryRowContext(ctx, "SELECT 1").Scan(&one); err != nil {
		return fmt.Errorf("sqlite: ping: %w", err)
	}
	return nil
}

// Close waits for the writes already submitted, stops the writer and closes
// the database. Writes submitted after Close fail.
func (db *DB) Close() error {
	var err error
	db.closeOnce.Do(func() {
		close(db.closing)
		<-db.done
		err = errors.Join(db.read.close(), db.wstmts.close(), db.reader.Close(), db.writer.Close())
	})
	return err
}
