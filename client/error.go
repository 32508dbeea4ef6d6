package client

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// Error is an error response from the server: an RFC 9457 problem.
type Error struct {
	// Status is the HTTP status code.
	Status int `json:"status"`
	// Type, Title and Detail are the problem's members.
	Type   string `json:"type"`
	Title  string `json:"title"`
	Detail string `json:"detail"`
	// Code is the qluster error code ("invalid", "not_found", …).
	Code string `json:"code"`
	// RequestID names the request in the server's logs.
	RequestID string `json:"request_id,omitempty"`
	// Line and Column locate a QASM error; Circuit is the index of the
	// circuit it is in and CircuitName its name.
	Line        int    `json:"line,omitempty"`
	Column      int    `json:"column,omitempty"`
	Circuit     *int   `json:"circuit,omitempty"`
	CircuitName string `json:"circuit_name,omitempty"`
	// Backends lists the known backends when the one asked for is unknown.
	Backends []string `json:"backends,omitempty"`
	// RetryAfter is the server's Retry-After, when it sent one.
	RetryAfter time.Duration `json:"-"`
}

// Error returns the detail with the status, such as "400 Bad Request:
// circuits[0]: bell.qasm:3:1: unknown gate "hh"".
func (e *Error) Error() string {
	d := e.Detail
	if d == "" {
		d = e.Title
	}
	return fmt.Sprintf("%d %s: %s", e.Status, http.StatusText(e.Status), d)
}

// decodeError reads a non-2xx response into an *Error; a body that is not
// a problem becomes the detail.
func decodeError(resp *http.Response) error {
	body, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	e := &Error{}
	ct := resp.Header.Get("Content-Type")
	if !strings.HasPrefix(ct, "application/problem+json") && !strings.HasPrefix(ct, "application/json") || json.Unmarshal(body, e) != nil {
		e = &Error{Detail: strings.TrimSpace(string(body))}
	}
	e.Status = resp.StatusCode
	if e.Title == "" {
		e.Title = http.StatusText(resp.StatusCode)
	}
	if s := resp.Header.Get("Retry-After"); s != "" {
		if n, err := strconv.Atoi(s); err == nil && n >= 0 {
			e.RetryAfter = time.Duration(n) * time.Second
		}
	}
	return e
}
