package postgres

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/qluster/qluster"
	"github.com/qluster/qluster/store/internal/rules"
)

// Options configure Open.
type Options struct {
	// URL is the connection string: a postgres:// URL or key=value pairs,
	// as libpq takes them.
	URL string
	// Schema, when not empty, is the schema that holds the tables; it is
	// created when missing and put first in the search path. Empty means
	// the server's default search path (normally "public").
	Schema string
	// MaxConns bounds the connection pool; 0 means the URL's
	// pool_max_conns, else DefaultMaxConns.
	MaxConns int32
}

// DefaultMaxConns is the connection pool's size when neither Options nor the
// URL set it. Every request and every job's lease, heartbeat and completion
// holds a connection for a round trip; pgxpool's own default (max(4, CPUs))
// held a 2-core server to 60% of the throughput it has with 32.
const DefaultMaxConns = 32

// DB is a qluster.Store backed by PostgreSQL. It is safe for concurrent
// use; Close it when done.
type DB struct {
	pool  *pgxpool.Pool
	touch rules.TouchThrottle
}

var _ qluster.Store = (*DB)(nil)

// Open connects to the database, brings the schema up to date and returns
// the store. Several processes may Open the same database at once; they
// migrate one at a time.
func Open(ctx context.Context, opt Options) (*DB, error) {
	if opt.URL == "" {
		return nil, qluster.Errorf(qluster.EINVALID, "postgres: no database URL")
	}
	cfg, err := pgxpool.ParseConfig(opt.URL)
	if err != nil {
		// The parse error may quote the password; say only what is wrong.
		return nil, qluster.Errorf(qluster.EINVALID, "postgres: invalid database URL")
	}
	switch {
	case opt.MaxConns > 0:
		cfg.MaxConns = opt.MaxConns
	case !strings.Contains(opt.URL, "pool_max_conns"):
		cfg.MaxConns = DefaultMaxConns
	}
	if opt.Schema != "" {
		cfg.ConnConfig.RuntimeParams["search_path"] = pgx.Identifier{opt.Schema}.Sanitize()
	}
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("postgres: connect: %w", err)
	}
	db := &DB{pool: pool}
	if err := migrate(ctx, pool, opt.Schema); err != nil {
		pool.Close()
		return nil, fmt.Errorf("postgres: %w", err)
	}
	return db, nil
}

// Ping checks that the database answers.
func (db *DB) Ping(ctx context.Context) error {
	if err := db.pool.Ping(ctx); err != nil {
		return fmt.Errorf("postgres: ping: %w", err)
	}
	return nil
}

// Close closes the pool, waiting for connections in use to be returned.
func (db *DB) Close() error {
	db.pool.Close()
	return nil
}

// PostgreSQL error codes the store maps to qluster codes.
const (
	uniqueViolation     = "23505"
	foreignKeyViolation = "23503"
)

// pgCode returns the SQLSTATE of a PostgreSQL error, or "".
func pgCode(err error) (code, constraint string) {
	var e *pgconn.PgError
	if errors.As(err, &e) {
		return e.Code, e.ConstraintName
	}
	return "", ""
}
