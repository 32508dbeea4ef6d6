package postgres

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/qluster/qluster"
	"github.com/qluster/qluster/store/internal/rules"
)

// CreateToken stores a token's hash; see qluster.TokenStore.
func (db *DB) CreateToken(ctx context.Context, in *qluster.Token) (*qluster.Token, error) {
	t, err := rules.NewToken(in, rules.Now())
	if err != nil {
		return nil, err
	}
	_, err = db.pool.Exec(ctx, `INSERT INTO tokens (id, user_id, name, prefix, hash, created_at)
		VALUES ($1, $2, $3, $4, $5, $6)`, t.ID, t.UserID, t.Name, t.Prefix, t.Hash[:], t.CreatedAt)
	if err == nil {
		return t, nil
	}
	switch code, constraint := pgCode(err); {
	case code == foreignKeyViolation:
		return nil, qluster.Errorf(qluster.EINVALID, "token user %s is not a user", t.UserID)
	case code == uniqueViolation && constraint == "tokens_pkey":
		return nil, qluster.Errorf(qluster.ECONFLICT, "token %s already exists", t.ID)
	case code == uniqueViolation:
		return nil, qluster.Errorf(qluster.ECONFLICT, "a token with this hash already exists")
	}
	return nil, fmt.Errorf("postgres: create token: %w", err)
}

// GetToken returns a token by ID; see qluster.TokenStore.
func (db *DB) GetToken(ctx context.Context, id string) (*qluster.Token, error) {
	t, err := scanToken(db.pool.QueryRow(ctx, `SELECT `+tokenCols+` FROM tokens WHERE id = $1`, id))
	switch {
	case errors.Is(err, pgx.ErrNoRows):
		return nil, qluster.Errorf(qluster.ENOTFOUND, "token %s not found", id)
	case err != nil:
		return nil, fmt.Errorf("postgres: get token %s: %w", id, err)
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
	err := db.pool.QueryRow(ctx, `SELECT t.id, t.user_id, t.name, t.prefix, t.hash, t.created_at,
			t.last_used_at, t.revoked_at, u.id, u.name, u.admin, u.limits, u.created_at, u.disabled_at
		FROM tokens t JOIN users u ON u.id = t.user_id WHERE t.hash = $1`, hash[:]).Scan(append(tdest, udest...)...)
	switch {
	case errors.Is(err, pgx.ErrNoRows):
		return nil, nil, rules.UnknownToken()
	case err != nil:
		return nil, nil, fmt.Errorf("postgres: token by hash: %w", err)
	}
	if err := errors.Join(tfinish(), ufinish()); err != nil {
		return nil, nil, fmt.Errorf("postgres: token by hash: %w", err)
	}
	if err := rules.TokenDenied(&t, &u); err != nil {
		return nil, nil, err
	}
	return &t, &u, nil
}

// ListTokens returns a user's tokens, or all; see qluster.TokenStore.
func (db *DB) ListTokens(ctx context.Context, userID string) ([]*qluster.Token, error) {
	rows, err := db.pool.Query(ctx, `SELECT `+tokenCols+` FROM tokens
		WHERE $1 = '' OR user_id = $1 ORDER BY created_at, id`, userID)
	if err != nil {
		return nil, fmt.Errorf("postgres: list tokens: %w", err)
	}
	defer rows.Close()
	var tokens []*qluster.Token
	for rows.Next() {
		t, err := scanToken(rows)
		if err != nil {
			return nil, fmt.Errorf("postgres: list tokens: %w", err)
		}
		tokens = append(tokens, t)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("postgres: list tokens: %w", err)
	}
	return tokens, nil
}

// RevokeToken revokes a token; see qluster.TokenStore.
func (db *DB) RevokeToken(ctx context.Context, id string) error {
	tag, err := db.pool.Exec(ctx, `UPDATE tokens SET revoked_at = coalesce(revoked_at, $2) WHERE id = $1`,
		id, rules.Now())
	if err != nil {
		return fmt.Errorf("postgres: revoke token %s: %w", id, err)
	}
	if tag.RowsAffected() == 0 {
		return qluster.Errorf(qluster.ENOTFOUND, "token %s not found", id)
	}
	return nil
}

// TouchToken records a token's use, at most once per qluster.TouchInterval;
// see qluster.TokenStore.
func (db *DB) TouchToken(ctx context.Context, id string, at time.Time) error {
	at = rules.Trunc(at)
	if !db.touch.Due(id, at) {
		return nil
	}
	_, err := db.pool.Exec(ctx, `UPDATE tokens SET last_used_at = $2
		WHERE id = $1 AND (last_used_at IS NULL OR last_used_at < $2)`, id, at)
	if err != nil {
		db.touch.Forget(id)
		return fmt.Errorf("postgres: touch token %s: %w", id, err)
	}
	return nil
}
