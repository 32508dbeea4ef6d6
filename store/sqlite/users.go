package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/qluster/qluster"
	"github.com/qluster/qluster/store/internal/rules"
)

// CreateUser stores a new user; see qluster.UserStore.
func (db *DB) CreateUser(ctx context.Context, in *qluster.User) (*qluster.User, error) {
	u, err := rules.NewUser(in, time.Time{})
	if err != nil {
		return nil, err
	}
	limits, err := json.Marshal(u.Limits)
	if err != nil {
		return nil, fmt.Errorf("sqlite: create user: encode limits: %w", err)
	}
	err = db.write(ctx, func(tx *wtx, now time.Time) error {
		_, err := tx.Exec(`INSERT INTO users (id, name, admin, limits, created_at, disabled_at)
			VALUES ($1, $2, $3, $4, $5, $6)`, u.ID, u.Name, u.Admin, string(limits), micros(now), micros(u.DisabledAt))
		if err := userErr(err, u); err != nil {
			return err
		}
		u.CreatedAt = now
		return nil
	})
	if err != nil {
		return nil, err
	}
	return u, nil
}

// userErr maps constraint violations on users to ECONFLICT.
func userErr(err error, u *qluster.User) error {
	switch {
	case err == nil:
		return nil
	case isConstraint(err, primaryKeyViolation):
		return qluster.Errorf(qluster.ECONFLICT, "user %s already exists", u.ID)
	case isConstraint(err, uniqueViolation):
		return qluster.Errorf(qluster.ECONFLICT, "user name %q is taken", u.Name)
	}
	return fmt.Errorf("sqlite: write user %s: %w", u.ID, err)
}

// GetUser returns a user by ID; see qluster.UserStore.
func (db *DB) GetUser(ctx context.Context, id string) (*qluster.User, error) {
	u, err := scanUser(db.read.QueryRowContext(ctx, `SELECT `+userCols+` FROM users WHERE id = $1`, id))
	return u, userNotFound(err, "user "+id)
}

// GetUserByName returns a user by name; see qluster.UserStore.
func (db *DB) GetUserByName(ctx context.Context, name string) (*qluster.User, error) {
	u, err := scanUser(db.read.QueryRowContext(ctx, `SELECT `+userCols+` FROM users WHERE name = $1`, name))
	return u, userNotFound(err, fmt.Sprintf("user %q", name))
}

// userNotFound turns a missing row into ENOTFOUND and wraps other errors.
func userNotFound(err error, what string) error {
	switch {
	case err == nil:
		return nil
	case errors.Is(err, sql.ErrNoRows):
		return qluster.Errorf(qluster.ENOTFOUND, "%s not found", what)
	}
	return fmt.Errorf("sqlite: get %s: %w", what, err)
}

// ListUsers returns every user, oldest first; see qluster.UserStore.
func (db *DB) ListUsers(ctx context.Context) ([]*qluster.User, error) {
	rows, err := db.read.QueryContext(ctx, `SELECT `+userCols+` FROM users ORDER BY created_at, id`)
	if err != nil {
		return nil, fmt.Errorf("sqlite: list users: %w", err)
	}
	defer rows.Close()
	var users []*qluster.User
	for rows.Next() {
		u, err := scanUser(rows)
		if err != nil {
			return nil, fmt.Errorf("sqlite: list users: %w", err)
		}
		users = append(users, u)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("sqlite: list users: %w", err)
	}
	return users, nil
}

// UpdateUser replaces a user's name, admin flag, limits and disabled time;
// see qluster.UserStore.
func (db *DB) UpdateUser(ctx context.Context, in *qluster.User) (*qluster.User, error) {
	if in == nil {
		return nil, qluster.Errorf(qluster.EINVALID, "no user")
	}
	if err := rules.CheckUserName(in.Name); err != nil {
		return nil, err
	}
	limits, err := json.Marshal(in.Limits)
	if err != nil {
		return nil, fmt.Errorf("sqlite: update user: encode limits: %w", err)
	}
	var out *qluster.User
	err = db.write(ctx, func(tx *wtx, now time.Time) error {
		u, err := scanUser(tx.QueryRow(`UPDATE users SET name = $2, admin = $3, limits = $4, disabled_at = $5
			WHERE id = $1 RETURNING `+userCols,
			in.ID, in.Name, in.Admin, string(limits), micros(rules.Trunc(in.DisabledAt))))
		if errors.Is(err, sql.ErrNoRows) {
			return qluster.Errorf(qluster.ENOTFOUND, "user %s not found", in.ID)
		}
		if err := userErr(err, in); err != nil {
			return err
		}
		out = u
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}
