package sqlite

import (
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"github.com/qluster/qluster"
)

// jobCols lists the jobs columns scanJob reads, in order.
const jobCols = `id, owner, backend, status, priority, spec, attempt, max_attempts, error, worker,
	lease_expires_at, created_at, started_at, finished_at, updated_at, idempotency_key, cancel_requested`

// scanner is a *sql.Row or *sql.Rows.
type scanner interface{ Scan(dest ...any) error }

// scanJob reads one row of jobCols.
func scanJob(s scanner) (*qluster.Job, error) {
	var (
		j                                          qluster.Job
		spec                                       []byte
		lease, created, started, finished, updated int64
	)
	if err := s.Scan(&j.ID, &j.Owner, &j.Backend, &j.Status, &j.Priority, &spec, &j.Attempt, &j.MaxAttempts,
		&j.Error, &j.Worker, &lease, &created, &started, &finished, &updated, &j.IdempotencyKey,
		&j.CancelRequested); err != nil {
		return nil, err
	}
	if err := json.Unmarshal(spec, &j.Spec); err != nil {
		return nil, fmt.Errorf("job %s: decode spec: %w", j.ID, err)
	}
	j.LeaseExpiresAt = fromMicros(lease)
	j.CreatedAt = fromMicros(created)
	j.StartedAt = fromMicros(started)
	j.FinishedAt = fromMicros(finished)
	j.UpdatedAt = fromMicros(updated)
	return &j, nil
}

// userCols lists the users columns scanUser reads, in order.
const userCols = `id, name, admin, limits, created_at, disabled_at`

// userDest returns the scan destinations for userCols into u, and a
// function to call after Scan.
func userDest(u *qluster.User) ([]any, func() error) {
	var (
		limits            []byte
		created, disabled int64
	)
	dest := []any{&u.ID, &u.Name, &u.Admin, &limits, &created, &disabled}
	return dest, func() error {
		if err := json.Unmarshal(limits, &u.Limits); err != nil {
			return fmt.Errorf("user %s: decode limits: %w", u.ID, err)
		}
		u.CreatedAt = fromMicros(created)
		u.DisabledAt = fromMicros(disabled)
		return nil
	}
}

// scanUser reads one row of userCols.
func scanUser(s scanner) (*qluster.User, error) {
	var u qluster.User
	dest, finish := userDest(&u)
	if err := s.Scan(dest...); err != nil {
		return nil, err
	}
	return &u, finish()
}

// tokenCols lists the tokens columns scanToken reads, in order.
const tokenCols = `id, user_id, name, prefix, hash, created_at, last_used_at, revoked_at`

// tokenDest returns the scan destinations for tokenCols into t, and a
// function to call after Scan.
func tokenDest(t *qluster.Token) ([]any, func() error) {
	var (
		hash                   []byte
		created, used, revoked int64
	)
	dest := []any{&t.ID, &t.UserID, &t.Name, &t.Prefix, &hash, &created, &used, &revoked}
	return dest, func() error {
		if len(hash) != len(t.Hash) {
			return fmt.Errorf("token %s: hash has %d bytes, want %d", t.ID, len(hash), len(t.Hash))
		}
		copy(t.Hash[:], hash)
		t.CreatedAt = fromMicros(created)
		t.LastUsedAt = fromMicros(used)
		t.RevokedAt = fromMicros(revoked)
		return nil
	}
}

// scanToken reads one row of tokenCols.
func scanToken(s scanner) (*qluster.Token, error) {
	var t qluster.Token
	dest, finish := tokenDest(&t)
	if err := s.Scan(dest...); err != nil {
		return nil, err
	}
	return &t, finish()
}

// micros returns t as Unix microseconds, 0 for the zero time.
func micros(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.UnixMicro()
}

// fromMicros is the inverse of micros.
func fromMicros(us int64) time.Time {
	if us == 0 {
		return time.Time{}
	}
	return time.UnixMicro(us).UTC()
}

// isConstraint reports whether err is a SQLite constraint violation of the
// given extended kind (sqlite3.SQLITE_CONSTRAINT_UNIQUE, …).
func isConstraint(err error, code int) bool {
	var e *sqlite.Error
	return errors.As(err, &e) && e.Code() == code
}

// Extended result codes isConstraint looks for.
const (
	uniqueViolation     = sqlite3.SQLITE_CONSTRAINT_UNIQUE
	primaryKeyViolation = sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY
	foreignKeyViolation = sqlite3.SQLITE_CONSTRAINT_FOREIGNKEY
)
