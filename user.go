package qluster

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"strings"
	"time"
)

// User is an account. Every job belongs to one user; an admin sees and
// manages everything.
type User struct {
	// ID is a UUIDv7, assigned by CreateUser when empty.
	ID string `json:"id"`
	// Name is unique among users.
	Name string `json:"name"`
	// Admin grants access to every job, user and token.
	Admin bool `json:"admin"`
	// Limits bound what the user may ask for.
	Limits Limits `json:"limits"`
	// CreatedAt is when the user was created.
	CreatedAt time.Time `json:"created_at"`
	// DisabledAt, when set, is when the account was disabled: its tokens no
	// longer authenticate.
	DisabledAt time.Time `json:"disabled_at,omitzero"`
}

// Disabled reports whether the account is disabled.
func (u *User) Disabled() bool { return !u.DisabledAt.IsZero() }

// Limits bound one user's use of the service. A zero field means the
// server's default.
type Limits struct {
	// MaxConcurrentJobs bounds the user's queued plus running jobs.
	MaxConcurrentJobs int `json:"max_concurrent_jobs,omitempty"`
	// MaxShots bounds JobSpec.Shots.
	MaxShots int `json:"max_shots,omitempty"`
	// MaxCircuits bounds len(JobSpec.Circuits).
	MaxCircuits int `json:"max_circuits,omitempty"`
	// MaxRequestBytes bounds the size of a request body.
	MaxRequestBytes int64 `json:"max_request_bytes,omitempty"`
	// RatePerSecond is the sustained request rate allowed.
	RatePerSecond float64 `json:"rate_per_second,omitempty"`
	// RateBurst is the number of requests allowed at once above the rate.
	RateBurst int `json:"rate_burst,omitempty"`
}

// Token is an API token. Only its SHA-256 hash is stored; the secret is
// shown once, when it is made.
type Token struct {
	// ID is a UUIDv7, assigned by CreateToken when empty.
	ID string `json:"id"`
	// UserID is the ID of the user the token authenticates as.
	UserID string `json:"user_id"`
	// Name is a label chosen by whoever made the token.
	Name string `json:"name"`
	// Prefix is the start of the secret (TokenPrefixLen characters), shown
	// in lists so people can tell tokens apart.
	Prefix string `json:"prefix"`
	// Hash is HashToken of the secret.
	Hash [32]byte `json:"-"`
	// CreatedAt is when the token was made.
	CreatedAt time.Time `json:"created_at"`
	// LastUsedAt is about when the token last authenticated a request
	// (stores may record it with a delay of up to TouchInterval).
	LastUsedAt time.Time `json:"last_used_at,omitzero"`
	// RevokedAt, when set, is when the token was revoked.
	RevokedAt time.Time `json:"revoked_at,omitzero"`
}

// Revoked reports whether the token has been revoked.
func (t *Token) Revoked() bool { return !t.RevokedAt.IsZero() }

// Token format constants.
const (
	// TokenScheme starts every token secret.
	TokenScheme = "qlt_"
	// TokenPrefixLen is the length of Token.Prefix: the scheme and the first
	// eight characters of the random part.
	TokenPrefixLen = len(TokenScheme) + 8
	// TouchInterval is the most a store may delay recording a token's use.
	TouchInterval = time.Minute
)

// GenerateToken returns a new token secret ("qlt_" and 43 characters of
// base64url holding 256 random bits), its hash and its prefix.
func GenerateToken() (secret string, hash [32]byte, prefix string, err error) {
	var b [32]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", hash, "", fmt.Errorf("generate token: %w", err)
	}
	secret = TokenScheme + base64.RawURLEncoding.EncodeToString(b[:])
	return secret, HashToken(secret), secret[:TokenPrefixLen], nil
}

// HashToken returns the SHA-256 of a token secret, as stored in Token.Hash.
// Surrounding white space is ignored.
func HashToken(secret string) [32]byte {
	return sha256.Sum256([]byte(strings.TrimSpace(secret)))
}
