package postgres

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/qluster/qluster"
	"github.com/qluster/qluster/store/internal/rules"
)

// CreateUser stores a new user; see qluster.UserStore.
func (db *DB) CreateUser(ctx context.Context, in *qluster.User) (*qluster.User, error) {
	u, err := rules.NewUser(in, rules.Now())
	if err != nil {
		return nil, err
	}
	limits, err := json.Marshal(u.Limits)
	if err != nil {
		return nil, fmt.Errorf("postgres: create user: encode limits: %w", err)
	}
	_, err = db.pool.Exec(ctx, `INSERT INTO users (id, name, admin, limits, created_at, disabled_at)
		VALUES ($1, $2, $3, $4, $5, $6)`, u.ID, u.Name, u.Admin, string(limits), u.CreatedAt, null(u.DisabledAt))
	if err := userErr(err, u); err != nil {
		return nil, err
	}
	return u, nil
}

// userErr maps constraint violations on users to ECONFLICT.
func userErr(err error, u *qluster.User) error {
	if err == nil {
		return nil
	}
	switch code, constraint := pgCode(err); {
	case code == uniqueViolation && constraint == "users_pkey":
		return qluster.Errorf(qluster.ECONFLICT, "user %s already exists", u.ID)
	case code == uniqueViolation:
		return qluster.Errorf(qluster.ECONFLICT, "user name %q is taken", u.Name)
	}
	return fmt.Errorf("postgres: write user %s: %w", u.ID, err)
}

// GetUser returns a user by ID; see qluster.UserStore.
func (db *DB) GetUser(ctx context.Context, id string) (*qluster.User, error) {
	u, err := scanUser(db.pool.QueryRow(ctx, `SELECT `+userCols+` FROM users WHERE id = $1`, id))
	return u, userNotFound(err, "user "+id)
}

// GetUserByName returns a user by name; see qluster.UserStore.
func (db *DB) GetUserByName(ctx context.Context, name string) (*qluster.User, error) {
	u, err := scanUser(db.pool.QueryRow(ctx, `SELECT `+userCols+` FROM users WHERE name = $1`, name))
	return u, userNotFound(err, fmt.Sprintf("user %q", name))
}

// userNotFound turns a missing row into ENOTFOUND and wraps other errors.
func userNotFound(err error, what string) error {
	switch {
	case err == nil:
		return nil
	case errors.Is(err, pgx.ErrNoRows):
		return qluster.Errorf(qluster.ENOTFOUND, "%s not found", what)
	}
	return fmt.Errorf("postgres: get %s: %w", what, err)
}

// ListUsers returns every user, oldest first; see qluster.UserStore.
func (db *DB) ListUsers(ctx context.Context) ([]*qluster.User, error) {
	rows, err := db.pool.Query(ctx, `SELECT `+userCols+` FROM users ORDER BY created_at, id`)
	if err != nil {
		return nil, fmt.Errorf("postgres: list users: %w", err)
	}
	defer rows.Close()
	var users []*qluster.User
	for rows.Next() {
		u, err := scanUser(rows)
		if err != nil {
			return nil, fmt.Errorf("postgres: list users: %w", err)
		}
		users = append(users, u)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("postgres: list users: %w", err)
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
		return nil, fmt.Errorf("postgres: update user: encode limits: %w", err)
	}
	u, err := scanUser(db.pool.QueryRow(ctx, `UPDATE users SET name = $2, admin = $3, limits = $4, disabled_at = $5
		WHERE id = $1 RETURNING `+userCols,
		in.ID, in.Name, in.Admin, string(limits), null(rules.Trunc(in.DisabledAt))))
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, qluster.Errorf(qluster.ENOTFOUND, "user %s not found", in.ID)
	}
	if err := userErr(err, in); err != nil {
		return nil, err
	}
	return u, nil
}
