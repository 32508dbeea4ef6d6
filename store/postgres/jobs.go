package postgres

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/qluster/qluster"
	"github.com/qluster/qluster/store/internal/rules"
)

// CreateJob commits a new queued job; see qluster.JobStore.
func (db *DB) CreateJob(ctx context.Context, in *qluster.Job) (*qluster.Job, bool, error) {
	now := rules.Now()
	j, err := rules.NewJob(in, now)
	if err != nil {
		return nil, false, err
	}
	spec, err := json.Marshal(j.Spec)
	if err != nil {
		return nil, false, fmt.Errorf("postgres: create job: encode spec: %w", err)
	}
	hash := j.RequestHash()
	var id string
	err = db.pool.QueryRow(ctx, `INSERT INTO jobs (id, owner, backend, status, priority, spec, request_hash,
			max_attempts, created_at, updated_at, idempotency_key)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9, $10)
		ON CONFLICT (owner, idempotency_key) WHERE idempotency_key <> '' DO NOTHING
		RETURNING id`,
		j.ID, j.Owner, j.Backend, string(j.Status), j.Priority, string(spec), hash, j.MaxAttempts, now,
		j.IdempotencyKey).Scan(&id)
	switch code, constraint := pgCode(err); {
	case err == nil:
		return j, true, nil
	case code == foreignKeyViolation:
		return nil, false, qluster.Errorf(qluster.EINVALID, "job owner %s is not a user", j.Owner)
	case code == uniqueViolation && constraint == "jobs_pkey":
		return nil, false, qluster.Errorf(qluster.ECONFLICT, "job %s already exists", j.ID)
	case !errors.Is(err, pgx.ErrNoRows):
		return nil, false, fmt.Errorf("postgres: create job: %w", err)
	}
	// The idempotency key is taken: return that job if it is the same
	// request. ON CONFLICT waited for the other insert to commit.
	var have string
	old, err := scanJob(db.pool.QueryRow(ctx, `SELECT `+jobCols+`, request_hash FROM jobs
		WHERE owner = $1 AND idempotency_key = $2`, j.Owner, j.IdempotencyKey), &have)
	if err != nil {
		return nil, false, fmt.Errorf("postgres: create job: read job with idempotency key: %w", err)
	}
	if have != hash {
		return nil, false, qluster.Errorf(qluster.ECONFLICT,
			"idempotency key %q was used for a different request (job %s)", j.IdempotencyKey, old.ID)
	}
	return old, false, nil
}

// GetJob returns a job; see qluster.JobStore.
func (db *DB) GetJob(ctx context.Context, id string) (*qluster.Job, error) {
	j, err := scanJob(db.pool.QueryRow(ctx, `SELECT `+jobCols+` FROM jobs WHERE id = $1`, id))
	return j, jobErr(err, id, "get job")
}

// jobErr turns a missing row into ENOTFOUND and wraps other errors.
func jobErr(err error, id, what string) error {
	switch {
	case err == nil:
		return nil
	case errors.Is(err, pgx.ErrNoRows):
		return rules.NotFound(id)
	}
	return fmt.Errorf("postgres: %s %s: %w", what, id, err)
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
		add("(created_at, id) < (?, ?)", p.After.CreatedAt, p.After.ID)
	}
	q := `SELECT ` + jobCols + ` FROM jobs`
	if len(where) > 0 {
		q += ` WHERE ` + strings.Join(where, " AND ")
	}
	args = append(args, p.Limit+1)
	q += fmt.Sprintf(` ORDER BY created_at DESC, id DESC LIMIT $%d`, len(args))
	jobs, err := db.queryJobs(ctx, q, args...)
	if err != nil {
		return nil, "", fmt.Errorf("postgres: list jobs: %w", err)
	}
	jobs, next := rules.Trim(jobs, p.Limit)
	return jobs, next, nil
}

// queryJobs runs a query returning jobCols rows.
func (db *DB) queryJobs(ctx context.Context, q string, args ...any) ([]*qluster.Job, error) {
	rows, err := db.pool.Query(ctx, q, args...)
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
	err := db.pool.QueryRow(ctx, `SELECT count(*) FROM jobs WHERE owner = $1 AND status IN ('queued', 'running')`, owner).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("postgres: count active jobs of %s: %w", owner, err)
	}
	return n, nil
}

// CancelJob cancels a queued job or asks a running one to stop; see
// qluster.JobStore.
func (db *DB) CancelJob(ctx context.Context, id string) (*qluster.Job, error) {
	for try := 0; ; try++ {
		j, err := scanJob(db.pool.QueryRow(ctx, `UPDATE jobs SET
				status = CASE status WHEN 'queued' THEN 'cancelled' ELSE status END,
				cancel_requested = (status = 'running') OR cancel_requested,
				finished_at = CASE status WHEN 'queued' THEN $2::timestamptz ELSE finished_at END,
				updated_at = $2
			WHERE id = $1 AND (status = 'queued' OR (status = 'running' AND NOT cancel_requested))
			RETURNING `+jobCols, id, rules.Now()))
		if err == nil {
			return j, nil
		}
		if !errors.Is(err, pgx.ErrNoRows) {
			return nil, fmt.Errorf("postgres: cancel job %s: %w", id, err)
		}
		j, err = db.GetJob(ctx, id)
		switch {
		case err != nil:
			return nil, err
		case j.Status.Terminal():
			return nil, rules.NotCancellable(j)
		case j.Status == qluster.JobRunning && j.CancelRequested:
			return j, nil // already asked to stop
		case try == 3:
			return nil, fmt.Errorf("postgres: cancel job %s: job keeps changing", id)
		}
		// Released or requeued between the two statements: try again.
	}
}

// Lease moves queued jobs to running for a worker; see qluster.JobStore.
func (db *DB) Lease(ctx context.Context, r qluster.LeaseRequest) ([]*qluster.Job, error) {
	r, err := rules.CheckLease(r)
	if err != nil {
		return nil, err
	}
	now := rules.Now()
	args := []any{r.Worker, now.Add(r.TTL), now, r.Max}
	filter := ""
	if len(r.Backends) > 0 {
		args = append(args, r.Backends)
		filter = ` AND backend = ANY($5)`
	}
	jobs, err := db.queryJobs(ctx, `WITH picked AS (
			SELECT id FROM jobs WHERE status = 'queued'`+filter+`
			ORDER BY priority DESC, created_at, id LIMIT $4
			FOR UPDATE SKIP LOCKED)
		UPDATE jobs j SET status = 'running', attempt = j.attempt + 1, worker = $1, lease_expires_at = $2,
			started_at = $3, updated_at = $3, error = ''
		FROM picked WHERE j.id = picked.id AND j.status = 'queued'
		RETURNING `+jobColsOf("j"), args...)
	if err != nil {
		return nil, fmt.Errorf("postgres: lease: %w", err)
	}
	slices.SortFunc(jobs, rules.LeaseOrder)
	return jobs, nil
}

// Heartbeat extends a lease; see qluster.JobStore.
func (db *DB) Heartbeat(ctx context.Context, id, worker string, attempt int, ttl time.Duration) (bool, error) {
	if err := rules.CheckTTL(ttl); err != nil {
		return false, err
	}
	var cancel bool
	err := db.pool.QueryRow(ctx, `UPDATE jobs SET lease_expires_at = $4
		WHERE id = $1 AND status = 'running' AND worker = $2 AND attempt = $3
		RETURNING cancel_requested`, id, worker, attempt, rules.Now().Add(ttl)).Scan(&cancel)
	if errors.Is(err, pgx.ErrNoRows) {
		return false, db.leaseLost(ctx, id, worker, attempt)
	}
	if err != nil {
		return false, fmt.Errorf("postgres: heartbeat %s: %w", id, err)
	}
	return cancel, nil
}

// leaseLost explains why an update by the holder of (worker, attempt)
// matched no row.
func (db *DB) leaseLost(ctx context.Context, id, worker string, attempt int) error {
	j, err := db.GetJob(ctx, id)
	if err != nil {
		return err
	}
	return rules.LeaseLost(j, worker, attempt)
}

// holder is the condition for a write by the holder of lease ($2, $3) on
// job $1.
const holder = `id = $1 AND status = 'running' AND worker = $2 AND attempt = $3`

// exec runs a write by a lease holder that must change exactly one row.
func (db *DB) exec(ctx context.Context, what, id, worker string, attempt int, q string, args ...any) error {
	tag, err := db.pool.Exec(ctx, q, append([]any{id, worker, attempt}, args...)...)
	if err != nil {
		return fmt.Errorf("postgres: %s %s: %w", what, id, err)
	}
	if tag.RowsAffected() != 1 {
		return db.leaseLost(ctx, id, worker, attempt)
	}
	return nil
}

// Complete stores a result and completes the job, in one statement; see
// qluster.JobStore.
func (db *DB) Complete(ctx context.Context, id, worker string, attempt int, res *qluster.JobResult) error {
	data, err := rules.EncodeResult(res)
	if err != nil {
		return err
	}
	return db.exec(ctx, "complete job", id, worker, attempt, `WITH done AS (
			UPDATE jobs SET status = 'completed', error = '', lease_expires_at = NULL,
				finished_at = $4, updated_at = $4
			WHERE `+holder+` RETURNING id)
		INSERT INTO results (job_id, data, created_at) SELECT id, $5::json, $4::timestamptz FROM done`,
		rules.Now(), string(data))
}

// Fail marks a running job failed; see qluster.JobStore.
func (db *DB) Fail(ctx context.Context, id, worker string, attempt int, msg string) error {
	return db.exec(ctx, "fail job", id, worker, attempt, `UPDATE jobs SET status = 'failed', error = $5,
		lease_expires_at = NULL, finished_at = $4, updated_at = $4 WHERE `+holder, rules.Now(), msg)
}

// MarkCancelled marks a running job cancelled; see qluster.JobStore.
func (db *DB) MarkCancelled(ctx context.Context, id, worker string, attempt int) error {
	return db.exec(ctx, "cancel job", id, worker, attempt, `UPDATE jobs SET status = 'cancelled',
		lease_expires_at = NULL, finished_at = $4, updated_at = $4 WHERE `+holder, rules.Now())
}

// Release puts a running job back in the queue; see qluster.JobStore.
func (db *DB) Release(ctx context.Context, id, worker string, attempt int) error {
	return db.exec(ctx, "release job", id, worker, attempt, `UPDATE jobs SET
			status = CASE WHEN cancel_requested THEN 'cancelled' ELSE 'queued' END,
			finished_at = CASE WHEN cancel_requested THEN $4::timestamptz END,
			worker = CASE WHEN cancel_requested THEN worker ELSE '' END,
			lease_expires_at = NULL, updated_at = $4
		WHERE `+holder, rules.Now())
}

// GetResult returns a completed job's result; see qluster.JobStore.
func (db *DB) GetResult(ctx context.Context, id string) (*qluster.JobResult, error) {
	var (
		status string
		data   []byte
	)
	err := db.pool.QueryRow(ctx, `SELECT j.status, r.data FROM jobs j
		LEFT JOIN results r ON r.job_id = j.id WHERE j.id = $1`, id).Scan(&status, &data)
	if err != nil {
		return nil, jobErr(err, id, "get result of job")
	}
	if status != string(qluster.JobCompleted) || data == nil {
		return nil, rules.NoResult(&qluster.Job{ID: id, Status: qluster.JobStatus(status)})
	}
	var res qluster.JobResult
	if err := json.Unmarshal(data, &res); err != nil {
		return nil, fmt.Errorf("postgres: decode result of job %s: %w", id, err)
	}
	return &res, nil
}

// RequeueExpired ends expired leases; see qluster.JobStore.
func (db *DB) RequeueExpired(ctx context.Context, now time.Time) (int, error) {
	tag, err := db.pool.Exec(ctx, `UPDATE jobs SET
			status = CASE WHEN cancel_requested THEN 'cancelled'
				WHEN attempt >= max_attempts THEN 'failed' ELSE 'queued' END,
			error = CASE WHEN cancel_requested OR attempt < max_attempts THEN error
				WHEN attempt = 1 THEN 'lease expired 1 time'
				ELSE 'lease expired ' || attempt || ' times' END,
			finished_at = CASE WHEN cancel_requested OR attempt >= max_attempts THEN $2::timestamptz END,
			worker = CASE WHEN cancel_requested OR attempt >= max_attempts THEN worker ELSE '' END,
			lease_expires_at = NULL, updated_at = $2
		WHERE status = 'running' AND lease_expires_at < $1`, rules.Trunc(now), rules.Now())
	if err != nil {
		return 0, fmt.Errorf("postgres: requeue expired: %w", err)
	}
	return int(tag.RowsAffected()), nil
}

// Stats counts jobs; see qluster.JobStore.
func (db *DB) Stats(ctx context.Context) (*qluster.JobStats, error) {
	rows, err := db.pool.Query(ctx, `SELECT status, backend, count(*) FROM jobs GROUP BY status, backend`)
	if err != nil {
		return nil, fmt.Errorf("postgres: stats: %w", err)
	}
	defer rows.Close()
	st := rules.NewStats()
	for rows.Next() {
		var (
			status, backend string
			n               int
		)
		if err := rows.Scan(&status, &backend, &n); err != nil {
			return nil, fmt.Errorf("postgres: stats: %w", err)
		}
		rules.AddStat(st, qluster.JobStatus(status), backend, n)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("postgres: stats: %w", err)
	}
	return st, nil
}
