package qluster

import (
	"context"
	"time"
)

// List limits for ListJobs.
const (
	// DefaultListLimit is the page size when JobFilter.Limit is 0.
	DefaultListLimit = 50
	// MaxListLimit is the largest page; larger limits are cut to it.
	MaxListLimit = 1000
)

// JobFilter selects and pages jobs for ListJobs. Empty fields match all.
type JobFilter struct {
	// Owner restricts the list to one user's jobs.
	Owner string
	// Status restricts the list to one status.
	Status JobStatus
	// Backend restricts the list to one backend.
	Backend string
	// Limit is the page size: 0 means DefaultListLimit, above MaxListLimit
	// means MaxListLimit.
	Limit int
	// Cursor, from a previous ListJobs with the same filter, starts the page
	// after the one that returned it.
	Cursor string
}

// LeaseRequest asks for queued jobs to run.
type LeaseRequest struct {
	// Worker names the caller; it must be unique among live workers.
	Worker string
	// Backends lists the backends the worker runs; empty means any.
	Backends []string
	// Max is the most jobs to lease; 0 means 1.
	Max int
	// TTL is how long the lease lasts without a heartbeat.
	TTL time.Duration
}

// JobStats counts jobs for metrics and the backends list.
type JobStats struct {
	// ByStatus counts all jobs by status; every status has an entry.
	ByStatus map[JobStatus]int
	// Queued counts queued jobs by backend (the queue depth).
	Queued map[string]int
	// Running counts running jobs by backend.
	Running map[string]int
}

// JobStore keeps jobs and their results durably. A job is identified by its
// lease (worker and attempt) while running; only the lease holder may
// heartbeat or finish it, so a job is finished at most once.
type JobStore interface {
	// CreateJob commits a new queued job and returns it with the fields the
	// store owns filled in; the job is durable when CreateJob returns. With
	// a non-empty IdempotencyKey, a job by the same owner with the same key
	// is returned instead, with created false (ECONFLICT if its
	// RequestHash differs). EINVALID for a missing owner, backend or
	// circuit, or an unknown owner.
	CreateJob(ctx context.Context, job *Job) (created *Job, isNew bool, err error)
	// GetJob returns a job; ENOTFOUND when there is none.
	GetJob(ctx context.Context, id string) (*Job, error)
	// ListJobs returns the jobs that match f, newest first, and a cursor for
	// the next page ("" on the last page). EINVALID for a bad cursor or
	// status, or a negative limit.
	ListJobs(ctx context.Context, f JobFilter) (jobs []*Job, next string, err error)
	// CountActiveJobs returns the number of owner's queued plus running
	// jobs (the concurrent-job limit), cheaply however many jobs the owner
	// has finished.
	CountActiveJobs(ctx context.Context, owner string) (int, error)
	// CancelJob cancels a queued job at once and asks a running job's
	// worker to stop (CancelRequested), returning the job after the change.
	// A running job with the request already made is returned unchanged.
	// ENOTFOUND for no job, ECONFLICT for a finished one.
	CancelJob(ctx context.Context, id string) (*Job, error)
	// Lease moves up to r.Max queued jobs for r.Backends to running for
	// r.Worker, highest priority then oldest first, incrementing Attempt and
	// setting the lease deadline to now+TTL. It is safe with any number of
	// concurrent callers: no job is leased twice. It returns no jobs, not an
	// error, when nothing is queued. EINVALID for an empty worker or a
	// non-positive TTL.
	Lease(ctx context.Context, r LeaseRequest) ([]*Job, error)
	// Heartbeat extends the lease of (worker, attempt) on a running job to
	// now+ttl and reports whether cancellation was requested. ECONFLICT
	// ("lease lost") when the job is not running under that lease,
	// ENOTFOUND for no job.
	Heartbeat(ctx context.Context, id, worker string, attempt int, ttl time.Duration) (cancelRequested bool, err error)
	// Complete stores the result and marks the job completed, atomically.
	// Only the holder of the current lease may complete a running job:
	// ECONFLICT otherwise (including a second completion), ENOTFOUND for no
	// job, EINVALID for a nil result.
	Complete(ctx context.Context, id, worker string, attempt int, res *JobResult) error
	// Fail marks a running job failed with msg, under the same rule as
	// Complete.
	Fail(ctx context.Context, id, worker string, attempt int, msg string) error
	// MarkCancelled marks a running job cancelled, under the same rule as
	// Complete; a worker calls it after stopping on a cancel request.
	MarkCancelled(ctx context.Context, id, worker string, attempt int) error
	// Release puts a running job back in the queue, under the same rule as
	// Complete (a worker shutting down calls it). The attempt still counts
	// toward MaxAttempts.
	Release(ctx context.Context, id, worker string, attempt int) error
	// GetResult returns a completed job's result. ENOTFOUND for no job,
	// ECONFLICT for a job that is not completed.
	GetResult(ctx context.Context, id string) (*JobResult, error)
	// RequeueExpired ends every lease whose deadline is before now: the job
	// goes back to queued, or to failed ("lease expired N times") once
	// Attempt reaches MaxAttempts, or to cancelled if cancellation was
	// requested. It returns how many jobs it changed.
	RequeueExpired(ctx context.Context, now time.Time) (int, error)
	// Stats counts jobs by status and the queue depth by backend.
	Stats(ctx context.Context) (*JobStats, error)
}

// UserStore keeps user accounts.
type UserStore interface {
	// CreateUser stores a new user and returns it with ID (when empty) and
	// CreatedAt filled in. EINVALID for an empty name, ECONFLICT for a name
	// or ID in use.
	CreateUser(ctx context.Context, u *User) (*User, error)
	// GetUser returns a user by ID; ENOTFOUND when there is none.
	GetUser(ctx context.Context, id string) (*User, error)
	// GetUserByName returns a user by name; ENOTFOUND when there is none.
	GetUserByName(ctx context.Context, name string) (*User, error)
	// ListUsers returns every user, oldest first.
	ListUsers(ctx context.Context) ([]*User, error)
	// UpdateUser replaces the Name, Admin, Limits and DisabledAt of the user
	// with u.ID and returns the stored user. ENOTFOUND for no user,
	// EINVALID for an empty name, ECONFLICT for a name in use.
	UpdateUser(ctx context.Context, u *User) (*User, error)
}

// TokenStore keeps API tokens (hashes only).
type TokenStore interface {
	// CreateToken stores a token and returns it with ID (when empty) and
	// CreatedAt filled in. EINVALID for a zero hash, an unknown user or an
	// empty prefix; ECONFLICT for a hash in use.
	CreateToken(ctx context.Context, t *Token) (*Token, error)
	// GetToken returns a token by ID; ENOTFOUND when there is none.
	GetToken(ctx context.Context, id string) (*Token, error)
	// TokenByHash authenticates: it returns the token with this hash and its
	// user. EUNAUTHORIZED for an unknown or revoked token, EFORBIDDEN for a
	// disabled user.
	TokenByHash(ctx context.Context, hash [32]byte) (*Token, *User, error)
	// ListTokens returns a user's tokens, or every token for userID "",
	// oldest first, revoked ones included.
	ListTokens(ctx context.Context, userID string) ([]*Token, error)
	// RevokeToken revokes a token; revoking it again changes nothing.
	// ENOTFOUND when there is none.
	RevokeToken(ctx context.Context, id string) error
	// TouchToken records that the token was used at at. Stores may skip the
	// write when the recorded time is less than TouchInterval older.
	TouchToken(ctx context.Context, id string, at time.Time) error
}

// Store is everything durable the service keeps.
type Store interface {
	JobStore
	UserStore
	TokenStore
	// Ping checks that the store can be reached.
	Ping(ctx context.Context) error
	// Close waits for pending writes and releases the store.
	Close() error
}
