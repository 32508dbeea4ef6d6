package client

import (
	"time"

	"github.com/qluster/qluster"
)

// SubmitRequest is a job submission (POST /v1/jobs).
type SubmitRequest struct {
	// Backend names the backend; "" means the server's default ("sv").
	Backend string `json:"backend,omitempty"`
	// Shots per circuit; nil means the backend's default.
	Shots *int `json:"shots,omitempty"`
	// Seed makes sampling reproducible; nil lets the engine pick.
	Seed *uint64 `json:"seed,omitempty"`
	// Circuits are the OpenQASM 2.0 sources, run in order.
	Circuits []qluster.CircuitSpec `json:"circuits"`
	// Options tune compilation and outputs.
	Options qluster.JobOptions `json:"options,omitzero"`
	// Priority orders the queue (positive values are for admins).
	Priority int `json:"priority,omitempty"`
	// IdempotencyKey, when set, is sent as the Idempotency-Key header: a
	// retried submission with the same key returns the first job.
	IdempotencyKey string `json:"-"`
}

// Submitted is the answer to a submission.
type Submitted struct {
	// ID is the job's ID.
	ID string `json:"id"`
	// Status is the job's status (queued, or later for a replay).
	Status qluster.JobStatus `json:"status"`
	// Backend is the backend that runs the job (the one chosen, for
	// "auto").
	Backend string `json:"backend"`
	// Replayed is true when the server returned an earlier job with the
	// same idempotency key.
	Replayed bool `json:"-"`
}

// Job is a job as the API shows it.
type Job struct {
	ID              string             `json:"id"`
	Owner           string             `json:"owner"`
	Backend         string             `json:"backend"`
	Status          qluster.JobStatus  `json:"status"`
	Priority        int                `json:"priority"`
	Shots           int                `json:"shots"`
	Seed            *uint64            `json:"seed,omitempty"`
	NumCircuits     int                `json:"num_circuits"`
	Options         qluster.JobOptions `json:"options"`
	Attempt         int                `json:"attempt"`
	Error           string             `json:"error,omitempty"`
	CancelRequested bool               `json:"cancel_requested,omitempty"`
	IdempotencyKey  string             `json:"idempotency_key,omitempty"`
	CreatedAt       time.Time          `json:"created_at"`
	StartedAt       time.Time          `json:"started_at,omitzero"`
	FinishedAt      time.Time          `json:"finished_at,omitzero"`
	UpdatedAt       time.Time          `json:"updated_at"`
}

// JobList is a page of jobs, newest first.
type JobList struct {
	// Jobs on this page.
	Jobs []*Job `json:"jobs"`
	// NextCursor fetches the next page; "" on the last.
	NextCursor string `json:"next_cursor,omitempty"`
}

// ListOptions filter and page List.
type ListOptions struct {
	// Status, Backend and Owner (admins: a user's ID or name) filter.
	Status  qluster.JobStatus
	Backend string
	Owner   string
	// Limit is the page size; 0 means the server's default.
	Limit int
	// Cursor is a previous page's NextCursor.
	Cursor string
}

// Result is a completed job's result.
type Result struct {
	ID      string                  `json:"id"`
	Status  qluster.JobStatus       `json:"status"`
	Backend string                  `json:"backend"`
	Results []qluster.CircuitResult `json:"results"`
}

// Token is an API token as the API lists it.
type Token struct {
	qluster.Token
	// User is the name of the token's user.
	User string `json:"user"`
}

// CreatedToken is a new token with its secret, shown only once.
type CreatedToken struct {
	Token
	// Secret is the token to send as "Authorization: Bearer …".
	Secret string `json:"token"`
}
