package postgres

import (
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/qluster/qluster"
)

// jobColumns are the jobs columns scanJob reads, in order.
var jobColumns = []string{"id", "owner", "backend", "status", "priority", "spec", "attempt", "max_attempts",
	"error", "worker", "lease_expires_at", "created_at", "started_at", "finished_at", "updated_at",
	"idempotency_key", "cancel_requested"}

// jobCols is jobColumns for a SELECT list.
var jobCols = strings.Join(jobColumns, ", ")

// jobColsOf is jobColumns qualified by a table alias.
func jobColsOf(alias string) string {
	return alias + "." + strings.Join(jobColumns, ", "+alias+".")
}

// scanner is a pgx.Row or pgx.Rows.
type scanner interface{ Scan(dest ...any) error }

// scanJob reads one row of jobCols followed by extra columns.
func scanJob(s scanner, extra ...any) (*qluster.Job, error) {
	var (
		j                        qluster.Job
		status                   string
		spec                     []byte
		lease, started, finished *time.Time
	)
	dest := []any{&j.ID, &j.Owner, &j.Backend, &status, &j.Priority, &spec, &j.Attempt, &j.MaxAttempts,
		&j.Error, &j.Worker, &lease, &j.CreatedAt, &started, &finished, &j.UpdatedAt, &j.IdempotencyKey,
		&j.CancelRequested}
	if err := s.Scan(append(dest, extra...)...); err != nil {
		return nil, err
	}
	if err := json.Unmarshal(spec, &j.Spec); err != nil {
		return nil, fmt.Errorf("job %s: decode spec: %w", j.ID, err)
	}
	j.Status = qluster.JobStatus(status)
	j.LeaseExpiresAt = fromNull(lease)
	j.CreatedAt = j.CreatedAt.UTC()
	j.StartedAt = fromNull(started)
	j.FinishedAt = fromNull(finished)
	j.UpdatedAt = j.UpdatedAt.UTC()
	return &j, nil
}

// userCols lists the users columns userDest reads, in order.
const userCols = `id, name, admin, limits, created_at, disabled_at`

// userDest returns the scan destinations for userCols into u, and a
// function to call after Scan.
func userDest(u *qluster.User) ([]any, func() error) {
	var (
		limits   []byte
		disabled *time.Time
	)
	dest := []any{&u.ID, &u.Name, &u.Admin, &limits, &u.CreatedAt, &disabled}
	return dest, func() error {
		if err := json.Unmarshal(limits, &u.Limits); err != nil {
			return fmt.Errorf("user %s: decode limits: %w", u.ID, err)
		}
		u.CreatedAt = u.CreatedAt.UTC()
		u.DisabledAt = fromNull(disabled)
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

// tokenCols lists the tokens columns tokenDest reads, in order.
const tokenCols = `id, user_id, name, prefix, hash, created_at, last_used_at, revoked_at`

// tokenDest returns the scan destinations for tokenCols into t, and a
// function to call after Scan.
func tokenDest(t *qluster.Token) ([]any, func() error) {
	var (
		hash          []byte
		used, revoked *time.Time
	)
	dest := []any{&t.ID, &t.UserID, &t.Name, &t.Prefix, &hash, &t.CreatedAt, &used, &revoked}
	return dest, func() error {
		if len(hash) != len(t.Hash) {
			return fmt.Errorf("token %s: hash has %d bytes, want %d", t.ID, len(hash), len(t.Hash))
		}
		copy(t.Hash[:], hash)
		t.CreatedAt = t.CreatedAt.UTC()
		t.LastUsedAt = fromNull(used)
		t.RevokedAt = fromNull(revoked)
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

// null returns nil for the zero time, else t: what a nullable timestamptz
// column takes.
func null(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return t
}

// fromNull is the inverse of null.
func fromNull(t *time.Time) time.Time {
	if t == nil {
		return time.Time{}
	}
	return t.UTC()
}
