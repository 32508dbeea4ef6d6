package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/qluster/qluster"
	"github.com/qluster/qluster/store/internal/rules"
)

// CreateJob commits a new queued job; see qluster.JobStore.
func (db *DB) CreateJob(ctx context.Context, in *qluster.Job) (*qluster.Job, bool, error) {
	j, err := rules.NewJob(in, time.Time{})
	if err != nil {
		return nil, false, err
	}
	spec, err := json.Marshal(j.Spec)
	if err != nil {
		return nil, false, fmt.Errorf("sqlite: create job: encode spec: %w", err)
	}
	hash := j.RequestHash()
	var (
		out     *qluster.Job
		created bool
	)
	err = db.write(ctx, func(tx *wtx, now time.Time) error {
		if j.IdempotencyKey != "" {
			var have string
			old, err := scanJobAnd(tx.QueryRow(`SELECT `+jobCols+`, request_hash FROM jobs
				WHERE owner = $1 AND idempotency_key = $2`, j.Owner, j.IdempotencyKey), &have)
			switch {
			case err == nil && have != hash:
				return qluster.Errorf(qluster.ECONFLICT,
					"idempotency key %q was used for a different request (job %s)", j.IdempotencyKey, old.ID)
			case err == nil:
				out = old
				return nil
			case !errors.Is(err, sql.ErrNoRows):
				return fmt.Errorf("sqlite: create job: %w", err)
			}
		}
		var one int
		switch err := tx.QueryRow(`SELECT 1 FROM users WHERE id = $1`, j.Owner).Scan(&one); {
		case errors.Is(err, sql.ErrNoRows):
			return qluster.Errorf(qluster.EINVALID, "job owner %s is not a user", j.Owner)
		case err != nil:
			return fmt.Errorf("sqlite: create job: %w", err)
		}
		_, err := tx.Exec(`INSERT INTO jobs (id, owner, backend, status, priority, spec, request_hash,
				max_attempts, created_at, updated_at, idempotency_key)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9, $10)`,
			j.ID, j.Owner, j.Backend, j.Status, j.Priority, string(spec), hash, j.MaxAttempts, micros(now), j.IdempotencyKey)
		switch {
		case isConstraint(err, primaryKeyViolation):
			return qluster.Errorf(qluster.ECONFLICT, "job %s already exists", j.ID)
		case err != nil:
			return fmt.Errorf("sqlite: create job: %w", err)
		}
		c := *j
		c.CreatedAt, c.UpdatedAt = now, now
		out, created = &c, true
		return nil
	})
	if err != nil {
		return nil, false, err
	}
	return out, created, nil
}

// scanJobAnd reads jobCols followed by extra columns.
func scanJobAnd(row *sql.Row, extra ...any) (*qluster.Job, error) {
	return scanJob(scanFunc(func(dest ...any) error { return row.Scan(append(dest, extra...)...) }))
}

// scanFunc adapts a function to scanner.
type scanFunc func(dest ...any) error

// Scan calls f.
func (f scanFunc) Scan(dest ...any) error { return f(dest...) }

// GetJob returns a job; see qluster.JobStore.
func (db *DB) GetJob(ctx context.Context, id string) (*qluster.Job, error) {
	j, err := scanJob(db.read.QueryRowContext(ctx, `SELECT `+jobCols+` FROM jobs WHERE id = $1`, id))
	return j, jobErr(err, id, "get job")
}

// getJobTx reads a job inside a write.
func getJobTx(tx *wtx, id string) (*qluster.Job, error) {
	j, err := scanJob(tx.QueryRow(`SELECT `+jobCols+` FROM jobs WHERE id = $1`, id))
	return j, jobErr(err, id, "get job")
}

// jobErr turns a missing row into ENOTFOUND and wraps other errors.
func jobErr(err error, id, what string) error {
	switch {
	case err == nil:
		return nil
	case errors.Is(err, sql.ErrNoRows):
		return rules.NotFound(id)
	}
	return fmt.Errorf("sqlite: %s %s: %w", what, id, err)
}

// ListJobs returns a page of jobs, newest first; see qluster.JobStore.
func (db *DB) ListJobs(ctx context.Context, f qluster.JobFilter) ([]*qluster.Job, string, error) {
	p, err := rules.CheckFilter(f)
	if err != nil {
		return nil, "", err
	}
	var (
		where []string
		args  []any
	)
	add := func(cond string, vals ...any) {
		for _, v := range vals {
			args = append(args, v)
			cond = strings.Replace(cond, "?", fmt.Sprintf("$%d", len(args)), 1)
		}
		where = append(where, cond)
	}
	if p.Owner != "" {
		add("owner = ?", p.Owner)
	}
	if p.Status != "" {
		add("status = ?", string(p.Status))
	}
	if p.Backend != "" {
		add("backend = ?", p.Backend)
	}
	if p.After != nil {
		add("(created_at, id) < (?, ?)", micros(p.After.CreatedAt), p.After.ID)
	}
	q := `SELECT ` + jobCols + ` FROM jobs`
	if len(where) > 0 {
		q += ` WHERE ` + strings.Join(where, " AND ")
	}
	args = append(args, p.Limit+1)
	q += fmt.Sprintf(` ORDER BY created_at DESC, id DESC LIMIT $%d`, len(args))
	jobs, err := queryJobs(ctx, db.read, q, args...)
	if err != nil {
		return nil, "", fmt.Errorf("sqlite: list jobs: %w", err)
	}
	jobs, next := rules.Trim(jobs, p.Limit)
	return jobs, next, nil
}

// querier is a *sql.DB or *sql.Tx.
type querier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}

// queryJobs runs a query returning jobCols rows.
func queryJobs(ctx context.Context, q querier, query string, args ...any) ([]*qluster.Job, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var jobs []*qluster.Job
	for rows.Next() {
		j, err := scanJob(rows)
		if err != nil {
			return nil, err
		}
		jobs = append(jobs, j)
	}
	return jobs, rows.Err()
}

// CountActiveJobs returns the number of owner's queued and running jobs,
// from a covering index; the API checks the concurrent-job limit with it.
func (db *DB) CountActiveJobs(ctx context.Context, owner string) (int, error) {
	var n int
	err := db.read.QueryRowContext(ctx, `SELECT count(*) FROM jobs WHERE owner = $1 AND status IN ('queued', 'running')`, owner).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("sqlite: count active jobs of %s: %w", owner, err)
	}
	return n, nil
}

// CancelJob cancels a queued job or asks a running one to stop; see
// qluster.JobStore.
func (db *DB) CancelJob(ctx context.Context, id string) (*qluster.Job, error) {
	var out *qluster.Job
	err := db.write(ctx, func(tx *wtx, now time.Time) error {
		j, err := scanJob(tx.QueryRow(`UPDATE jobs SET
				status = CASE status WHEN 'queued' THEN 'cancelled' ELSE status END,
				cancel_requested = CASE status WHEN 'running' THEN 1 ELSE cancel_requested END,
				finished_at = CASE status WHEN 'queued' THEN $2 ELSE finished_at END,
				updated_at = $2
			WHERE id = $1 AND (status = 'queued' OR (status = 'running' AND cancel_requested = 0))
			RETURNING `+jobCols, id, micros(now)))
		if err == nil {
			out = j
			return nil
		}
		if !errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("sqlite: cancel job %s: %w", id, err)
		}
		j, err = getJobTx(tx, id)
		switch {
		case err != nil:
			return err
		case j.Status.Terminal():
			return rules.NotCancellable(j)
		}
		out = j // running, cancellation already requested
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// Lease moves queued jobs to running for a worker; see qluster.JobStore.
func (db *DB) Lease(ctx context.Context, r qluster.LeaseRequest) ([]*qluster.Job, error) {
	r, err := rules.CheckLease(r)
	if err != nil {
		return nil, err
	}
	var out []*qluster.Job
	err = db.write(ctx, func(tx *wtx, now time.Time) error {
		args := []any{r.Worker, micros(now.Add(r.TTL)), micros(now), r.Max}
		filter := ""
		if len(r.Backends) > 0 {
			ph := make([]string, len(r.Backends))
			for i, b := range r.Backends {
				args = append(args, b)
				ph[i] = fmt.Sprintf("$%d", len(args))
			}
			filter = ` AND backend IN (` + strings.Join(ph, ", ") + `)`
		}
		jobs, err := queryJobs(context.Background(), tx, `UPDATE jobs SET
				status = 'running', attempt = attempt + 1, worker = $1, lease_expires_at = $2,
				started_at = $3, updated_at = $3, error = ''
			WHERE id IN (SELECT id FROM jobs INDEXED BY jobs_queue WHERE status = 'queued'`+filter+`
				ORDER BY priority DESC, created_at, id LIMIT $4)
			RETURNING `+jobCols, args...)
		if err != nil {
			return fmt.Errorf("sqlite: lease: %w", err)
		}
		out = jobs
		return nil
	})
	if err != nil {
		return nil, err
	}
	slices.SortFunc(out, rules.LeaseOrder)
	return out, nil
}

// Heartbeat extends a lease; see qluster.JobStore.
func (db *DB) Heartbeat(ctx context.Context, id, worker string, attempt int, ttl time.Duration) (bool, error) {
	if err := rules.CheckTTL(ttl); err != nil {
		return false, err
	}
	var cancel bool
	err := db.write(ctx, func(tx *wtx, now time.Time) error {
		err := tx.QueryRow(`UPDATE jobs SET lease_expires_at = $4
			WHERE id = $1 AND status = 'running' AND worker = $2 AND attempt = $3
			RETURNING cancel_requested`, id, worker, attempt, micros(now.Add(ttl))).Scan(&cancel)
		if errors.Is(err, sql.ErrNoRows) {
			return leaseLost(tx, id, worker, attempt)
		}
		if err != nil {
			return fmt.Errorf("sqlite: heartbeat %s: %w", id, err)
		}
		return nil
	})
	return cancel, err
}

// leaseLost explains why an update by the holder of (worker, attempt)
// matched no row.
func leaseLost(tx *wtx, id, worker string, attempt int) error {
	j, err := getJobTx(tx, id)
	if err != nil {
		return err
	}
	return rules.LeaseLost(j, worker, attempt)
}

// finish moves a running job held by (worker, attempt) to status, with msg
// as its error, and stores data as its result when not nil.
func (db *DB) finish(ctx context.Context, id, worker string, attempt int, status qluster.JobStatus, msg string, data []byte) error {
	return db.write(ctx, func(tx *wtx, now time.Time) error {
		res, err := tx.Exec(`UPDATE jobs SET status = $4, error = $5, lease_expires_at = 0,
				finished_at = $6, updated_at = $6
			WHERE id = $1 AND status = 'running' AND worker = $2 AND attempt = $3`,
			id, worker, attempt, string(status), msg, micros(now))
		if err != nil {
			return fmt.Errorf("sqlite: finish job %s: %w", id, err)
		}
		if n, err := res.RowsAffected(); err != nil || n != 1 {
			return leaseLost(tx, id, worker, attempt)
		}
		if data != nil {
			if _, err := tx.Exec(`INSERT INTO results (job_id, data, created_at) VALUES ($1, $2, $3)`,
				id, string(data), micros(now)); err != nil {
				return fmt.Errorf("sqlite: store result of job %s: %w", id, err)
			}
		}
		return nil
	})
}

// Complete stores a result and completes the job; see qluster.JobStore.
func (db *DB) Complete(ctx context.Context, id, worker string, attempt int, res *qluster.JobResult) error {
	data, err := rules.EncodeResult(res)
	if err != nil {
		return err
	}
	return db.finish(ctx, id, worker, attempt, qluster.JobCompleted, "", data)
}

// Fail marks a running job failed; see qluster.JobStore.
func (db *DB) Fail(ctx context.Context, id, worker string, attempt int, msg string) error {
	return db.finish(ctx, id, worker, attempt, qluster.JobFailed, msg, nil)
}

// MarkCancelled marks a running job cancelled; see qluster.JobStore.
func (db *DB) MarkCancelled(ctx context.Context, id, worker string, attempt int) error {
	return db.finish(ctx, id, worker, attempt, qluster.JobCancelled, "", nil)
}

// Release puts a running job back in the queue; see qluster.JobStore.
func (db *DB) Release(ctx context.Context, id, worker string, attempt int) error {
	return db.write(ctx, func(tx *wtx, now time.Time) error {
		res, err := tx.Exec(`UPDATE jobs SET
				status = CASE WHEN cancel_requested THEN 'cancelled' ELSE 'queued' END,
				finished_at = CASE WHEN cancel_requested THEN $4 ELSE 0 END,
				worker = CASE WHEN cancel_requested THEN worker ELSE '' END,
				lease_expires_at = 0, updated_at = $4
			WHERE id = $1 AND status = 'running' AND worker = $2 AND attempt = $3`,
			id, worker, attempt, micros(now))
		if err != nil {
			return fmt.Errorf("sqlite: release job %s: %w", id, err)
		}
		if n, err := res.RowsAffected(); err != nil || n != 1 {
			return leaseLost(tx, id, worker, attempt)
		}
		return nil
	})
}

// GetResult returns a completed job's result; see qluster.JobStore.
func (db *DB) GetResult(ctx context.Context, id string) (*qluster.JobResult, error) {
	var (
		status string
		data   sql.NullString
	)
	err := db.read.QueryRowContext(ctx, `SELECT j.status, r.data FROM jobs j
		LEFT JOIN results r ON r.job_id = j.id WHERE j.id = $1`, id).Scan(&status, &data)
	if err != nil {
		return nil, jobErr(err, id, "get result of job")
	}
	if status != string(qluster.JobCompleted) || !data.Valid {
		return nil, rules.NoResult(&qluster.Job{ID: id, Status: qluster.JobStatus(status)})
	}
	var res qluster.JobResult
	if err := json.Unmarshal([]byte(data.String), &res); err != nil {
		return nil, fmt.Errorf("sqlite: decode result of job %s: %w", id, err)
	}
	return &res, nil
}

// RequeueExpired ends expired leases; see qluster.JobStore.
func (db *DB) RequeueExpired(ctx context.Context, now time.Time) (int, error) {
	cutoff := micros(rules.Trunc(now))
	var n int64
	err := db.write(ctx, func(tx *wtx, at time.Time) error {
		res, err := tx.Exec(`UPDATE jobs SET
				status = CASE WHEN cancel_requested THEN 'cancelled'
					WHEN attempt >= max_attempts THEN 'failed' ELSE 'queued' END,
				error = CASE WHEN cancel_requested OR attempt < max_attempts THEN error
					WHEN attempt = 1 THEN 'lease expired 1 time'
					ELSE 'lease expired ' || attempt || ' times' END,
				finished_at = CASE WHEN cancel_requested OR attempt >= max_attempts THEN $2 ELSE 0 END,
				worker = CASE WHEN cancel_requested OR attempt >= max_attempts THEN worker ELSE '' END,
				lease_expires_at = 0, updated_at = $2
			WHERE status = 'running' AND lease_expires_at < $1`, cutoff, micros(at))
		if err != nil {
			return fmt.Errorf("sqlite: requeue expired: %w", err)
		}
		n, err = res.RowsAffected()
		return err
	})
	return int(n), err
}

// Stats counts jobs; see qluster.JobStore.
func (db *DB) Stats(ctx context.Context) (*qluster.JobStats, error) {
	rows, err := db.read.QueryContext(ctx, `SELECT status, backend, count(*) FROM jobs GROUP BY status, backend`)
	if err != nil {
		return nil, fmt.Errorf("sqlite: stats: %w", err)
	}
	defer rows.Close()
	st := rules.NewStats()
	for rows.Next() {
		var (
			status, backend string
			n               int
		)
		if err := rows.Scan(&status, &backend, &n); err != nil {
			return nil, fmt.Errorf("sqlite: stats: %w", err)
		}
		rules.AddStat(st, qluster.JobStatus(status), backend, n)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("sqlite: stats: %w", err)
	}
	return st, nil
}
