package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/qluster/qluster"
	"github.com/qluster/qluster/store/internal/rules"
)

// CreateToken stores a token's hash; see qluster.TokenStore.
func (db *DB) CreateToken(ctx context.Context, in *qluster.Token) (*qluster.Token, error) {
	t, err := rules.NewToken(in, time.Time{})
	if err != nil {
		return nil, err
	}
	err = db.write(ctx, func(tx *wtx, now time.Time) error {
		_, err := tx.Exec(`INSERT INTO tokens (id, user_id, name, prefix, hash, created_at)
			VALUES ($1, $2, $3, $4, $5, $6)`, t.ID, t.UserID, t.Name, t.Prefix, t.Hash[:], micros(now))
		switch {
		case isConstraint(err, foreignKeyViolation):
			return qluster.Errorf(qluster.EINVALID, "token user %s is not a user", t.UserID)
		case isConstraint(err, primaryKeyViolation):
			return qluster.Errorf(qluster.ECONFLICT, "token %s already exists", t.ID)
		case isConstraint(err, uniqueViolation):
			return qluster.Errorf(qluster.ECONFLICT, "a token with this hash already exists")
		case err != nil:
			return fmt.Errorf("sqlite: create token: %w", err)
		}
		t.CreatedAt = now
		return nil
	})
	if err != nil {
		return nil, err
	}
	return t, nil
}

// GetToken returns a token by ID; see qluster.TokenStore.
func (db *DB) GetToken(ctx context.Context, id string) (*qluster.Token, error) {
	t, err := scanToken(db.read.QueryRowContext(ctx, `SELECT `+tokenCols+` FROM tokens WHERE id = $1`, id))
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return nil, qluster.Errorf(qluster.ENOTFOUND, "token %s not found", id)
	case err != nil:
		return nil, fmt.Errorf("sqlite: get token %s: %w", id, err)
	}
	return t, nil
}

// TokenByHash returns the token with this hash and its user; see
// qluster.TokenStore.
func (db *DB) TokenByHash(ctx context.Context, hash [32]byte) (*qluster.Token, *qluster.User, error) {
	var (
		t qluster.Token
		u qluster.User
	)
	tdest, tfinish := tokenDest(&t)
	udest, ufinish := userDest(&u)
	err := db.read.QueryRowContext(ctx, `SELECT t.id, t.user_id, t.name, t.prefix, t.hash, t.created_at,
			t.last_used_at, t.revoked_at, u.id, u.name, u.admin, u.limits, u.created_at, u.disabled_at
		FROM tokens t JOIN users u ON u.id = t.user_id WHERE t.hash = $1`, hash[:]).Scan(append(tdest, udest...)...)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return nil, nil, rules.UnknownToken()
	case err != nil:
		return nil, nil, fmt.Errorf("sqlite: token by hash: %w", err)
	}
	if err := errors.Join(tfinish(), ufinish()); err != nil {
		return nil, nil, fmt.Errorf("sqlite: token by hash: %w", err)
	}
	if err := rules.TokenDenied(&t, &u); err != nil {
		return nil, nil, err
	}
	return &t, &u, nil
}

// ListTokens returns a user's tokens, or all; see qluster.TokenStore.
func (db *DB) ListTokens(ctx context.Context, userID string) ([]*qluster.Token, error) {
	q, args := `SELECT `+tokenCols+` FROM tokens ORDER BY created_at, id`, []any(nil)
	if userID != "" {
		q, args = `SELECT `+tokenCols+` FROM tokens WHERE user_id = $1 ORDER BY created_at, id`, []any{userID}
	}
	rows, err := db.read.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("sqlite: list tokens: %w", err)
	}
	defer rows.Close()
	var tokens []*qluster.Token
	for rows.Next() {
		t, err := scanToken(rows)
		if err != nil {
			return nil, fmt.Errorf("sqlite: list tokens: %w", err)
		}
		tokens = append(tokens, t)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("sqlite: list tokens: %w", err)
	}
	return tokens, nil
}

// RevokeToken revokes a token; see qluster.TokenStore.
func (db *DB) RevokeToken(ctx context.Context, id string) error {
	return db.write(ctx, func(tx *wtx, now time.Time) error {
		res, err := tx.Exec(`UPDATE tokens SET revoked_at = CASE revoked_at WHEN 0 THEN $2 ELSE revoked_at END
			WHERE id = $1`, id, micros(now))
		if err != nil {
			return fmt.Errorf("sqlite: revoke token %s: %w", id, err)
		}
		if n, err := res.RowsAffected(); err != nil || n == 0 {
			return qluster.Errorf(qluster.ENOTFOUND, "token %s not found", id)
		}
		return nil
	})
}

// TouchToken records a token's use, at most once per qluster.TouchInterval;
// see qluster.TokenStore.
func (db *DB) TouchToken(ctx context.Context, id string, at time.Time) error {
	at = rules.Trunc(at)
	if !db.touch.Due(id, at) {
		return nil
	}
	err := db.write(ctx, func(tx *wtx, _ time.Time) error {
		_, err := tx.Exec(`UPDATE tokens SET last_used_at = $2 WHERE id = $1 AND last_used_at < $2`, id, micros(at))
		return err
	})
	if err != nil {
		db.touch.Forget(id)
		return fmt.Errorf("sqlite: touch token %s: %w", id, err)
	}
	return nil
}
