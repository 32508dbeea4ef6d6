package sqlite

import (
	"context"
	"fmt"
	"time"

	"github.com/qluster/qluster"
	"github.com/qluster/qluster/store/internal/rules"
)

// writeFunc is one write. It runs inside the batch's transaction, in its own
// savepoint, with the batch's clock reading; an error undoes only its own
// changes.
type writeFunc func(tx *wtx, now time.Time) error

// writeOp is a write waiting for the writer goroutine.
type writeOp struct {
	ctx  context.Context
	fn   writeFunc
	err  error
	done chan struct{}
}

// errClosed is returned for writes submitted after Close.
var errClosed = qluster.Errorf(qluster.EINTERNAL, "sqlite: store is closed")

// write runs fn in the writer goroutine and returns once the transaction
// holding it has committed (or failed). fn's results are only to be read
// after a nil error.
func (db *DB) write(ctx context.Context, fn writeFunc) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	op := &writeOp{ctx: ctx, fn: fn, done: make(chan struct{})}
	select {
	case db.ops <- op:
	case <-db.closing:
		return errClosed
	case <-ctx.Done():
		return ctx.Err()
	}
	<-op.done // once taken, an op is always answered, so fn's effects are known
	return op.err
}

// writeLoop is the writer goroutine: it takes the writes waiting at the
// moment, commits them as one transaction, and answers them.
func (db *DB) writeLoop() {
	defer close(db.done)
	batch := make([]*writeOp, 0, db.maxBatch)
	for {
		batch = batch[:0]
		select {
		case op := <-db.ops:
			batch = append(batch, op)
		case <-db.closing:
			return
		}
	more:
		for len(batch) < db.maxBatch {
			select {
			case op := <-db.ops:
				batch = append(batch, op)
			default:
				break more
			}
		}
		db.commit(batch)
		for _, op := range batch {
			close(op.done)
		}
	}
}

// commit runs a batch in one transaction and sets each op's error.
func (db *DB) commit(batch []*writeOp) {
	ctx := context.Background()
	fail := func(err error) {
		for _, op := range batch {
			if op.err == nil {
				op.err = err
			}
		}
	}
	defer db.wstmts.prepareWanted()
	sqlTx, err := db.writer.BeginTx(ctx, nil)
	if err != nil {
		fail(fmt.Errorf("sqlite: begin: %w", err))
		return
	}
	tx := &wtx{Tx: sqlTx, ws: db.wstmts}
	now := rules.Now()
	ran := 0
	for _, op := range batch {
		if err := op.ctx.Err(); err != nil {
			op.err = err
			continue
		}
		if len(batch) == 1 {
			// A lone write needs no savepoint: on error the whole
			// transaction is rolled back below.
			if op.err = op.fn(tx, now); op.err != nil {
				tx.Rollback()
				return
			}
			ran++
			continue
		}
		if _, err := tx.Exec("SAVEPOINT w"); err != nil {
			op.err = fmt.Errorf("sqlite: savepoint: %w", err)
			continue
		}
		if op.err = op.fn(tx, now); op.err != nil {
			if _, err := tx.Exec("ROLLBACK TO w"); err != nil {
				tx.Rollback()
				fail(fmt.Errorf("sqlite: rollback to savepoint: %w (after %w)", err, op.err))
				return
			}
		} else {
			ran++
		}
		if _, err := tx.Exec("RELEASE w"); err != nil {
			tx.Rollback()
			fail(fmt.Errorf("sqlite: release savepoint: %w", err))
			return
		}
	}
	if ran == 0 {
		tx.Rollback()
		return
	}
	if err := tx.Commit(); err != nil {
		for _, op := range batch {
			if op.err == nil {
				op.err = fmt.Errorf("sqlite: commit: %w", err)
			}
		}
	}
}
