package sqlite

import (
	"context"
	"database/sql"
)

// writerStmts keeps the writer connection's prepared statements. It is used
// only by the writer goroutine, so it needs no lock. A statement cannot be
// prepared on the writer's single connection while a batch's transaction
// holds it, so a query first seen inside a transaction runs unprepared and
// is prepared after the commit, for its next use.
type writerStmts struct {
	db    *sql.DB
	stmts map[string]*sql.Stmt
	want  []string
}

func newWriterStmts(db *sql.DB) *writerStmts {
	return &writerStmts{db: db, stmts: make(map[string]*sql.Stmt)}
}

// prepareWanted prepares the queries seen unprepared since the last call;
// the writer calls it between transactions. A query that fails to prepare
// keeps running unprepared.
func (w *writerStmts) prepareWanted() {
	for _, q := range w.want {
		if _, ok := w.stmts[q]; ok || len(w.stmts) >= maxCachedStmts {
			continue
		}
		if s, err := w.db.Prepare(q); err == nil {
			w.stmts[q] = s
		}
	}
	w.want = w.want[:0]
}

// close closes every prepared statement.
func (w *writerStmts) close() error {
	var first error
	for q, s := range w.stmts {
		if err := s.Close(); err != nil && first == nil {
			first = err
		}
		delete(w.stmts, q)
	}
	return first
}

// wtx is a batch's transaction as writes see it: its Exec, QueryRow and
// QueryContext use the writer's prepared statements.
type wtx struct {
	*sql.Tx
	ws *writerStmts
}

// stmt returns query's prepared statement bound to the transaction, or nil
// (noting the query for preparation) when it has none yet.
func (tx *wtx) stmt(query string) *sql.Stmt {
	if s, ok := tx.ws.stmts[query]; ok {
		return tx.Tx.Stmt(s)
	}
	if len(tx.ws.want) < maxCachedStmts {
		tx.ws.want = append(tx.ws.want, query)
	}
	return nil
}

// Exec is sql.Tx.Exec through a prepared statement.
func (tx *wtx) Exec(query string, args ...any) (sql.Result, error) {
	if s := tx.stmt(query); s != nil {
		return s.Exec(args...)
	}
	return tx.Tx.Exec(query, args...)
}

// QueryRow is sql.Tx.QueryRow through a prepared statement.
func (tx *wtx) QueryRow(query string, args ...any) *sql.Row {
	if s := tx.stmt(query); s != nil {
		return s.QueryRow(args...)
	}
	return tx.Tx.QueryRow(query, args...)
}

// QueryContext is sql.Tx.QueryContext through a prepared statement.
func (tx *wtx) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	if s := tx.stmt(query); s != nil {
		return s.QueryContext(ctx, args...)
	}
	return tx.Tx.QueryContext(ctx, query, args...)
}
