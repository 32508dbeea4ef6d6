package client

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/qluster/qluster"
)

// Client talks to one Qluster server. Its fields may be changed before
// first use; it is safe for concurrent use after that.
type Client struct {
	// BaseURL is the server's address, such as "http://127.0.0.1:8080".
	BaseURL string
	// Token is the API token sent as "Authorization: Bearer …"; "" sends
	// none.
	Token string
	// HTTPClient makes the requests; nil means http.DefaultClient.
	HTTPClient *http.Client
	// UserAgent is sent with every request.
	UserAgent string
}

// New returns a client for the server at baseURL using token.
func New(baseURL, token string) *Client {
	return &Client{BaseURL: strings.TrimRight(baseURL, "/"), Token: token, UserAgent: "qluster-go-client/1"}
}

func (c *Client) httpClient() *http.Client {
	if c.HTTPClient != nil {
		return c.HTTPClient
	}
	return http.DefaultClient
}

// newRequest builds a request for path (with query q) and a JSON body.
func (c *Client) newRequest(ctx context.Context, method, path string, q url.Values, body any) (*http.Request, error) {
	u := strings.TrimRight(c.BaseURL, "/") + path
	if len(q) > 0 {
		u += "?" + q.Encode()
	}
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return nil, fmt.Errorf("encoding request: %w", err)
		}
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, u, rd)
	if err != nil {
		return nil, fmt.Errorf("building request: %w", err)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	req.Header.Set("Accept", "application/json")
	if c.Token != "" {
		req.Header.Set("Authorization", "Bearer "+c.Token)
	}
	if c.UserAgent != "" {
		req.Header.Set("User-Agent", c.UserAgent)
	}
	return req, nil
}

// do sends req and decodes a 2xx JSON body into out (when not nil); any
// other status is returned as an *Error.
func (c *Client) do(req *http.Request, out any) (*http.Response, error) {
	resp, err := c.httpClient().Do(req)
	if err != nil {
		return nil, fmt.Errorf("%s %s: %w", req.Method, req.URL.Path, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return resp, decodeError(resp)
	}
	if out != nil && resp.StatusCode != http.StatusNoContent {
		if err := json.NewDecoder(resp.Body).Decode(out); err != nil {
			return resp, fmt.Errorf("%s %s: decoding response: %w", req.Method, req.URL.Path, err)
		}
	}
	return resp, nil
}

func (c *Client) call(ctx context.Context, method, path string, q url.Values, body, out any) error {
	req, err := c.newRequest(ctx, method, path, q, body)
	if err != nil {
		return err
	}
	_, err = c.do(req, out)
	return err
}

// Submit submits a job and returns its ID once the server has stored it.
func (c *Client) Submit(ctx context.Context, r SubmitRequest) (*Submitted, error) {
	req, err := c.newRequest(ctx, http.MethodPost, "/v1/jobs", nil, r)
	if err != nil {
		return nil, err
	}
	if r.IdempotencyKey != "" {
		req.Header.Set("Idempotency-Key", r.IdempotencyKey)
	}
	var s Submitted
	resp, err := c.do(req, &s)
	if err != nil {
		return nil, err
	}
	s.Replayed = resp.Header.Get("Idempotent-Replayed") == "true"
	return &s, nil
}

// Get returns a job.
func (c *Client) Get(ctx context.Context, id string) (*Job, error) {
	var j Job
	return &j, c.call(ctx, http.MethodGet, "/v1/jobs/"+url.PathEscape(id), nil, nil, &j)
}

// List returns a page of jobs, newest first.
func (c *Client) List(ctx context.Context, o ListOptions) (*JobList, error) {
	q := url.Values{}
	set := func(k, v string) {
		if v != "" {
			q.Set(k, v)
		}
	}
	set("status", string(o.Status))
	set("backend", o.Backend)
	set("owner", o.Owner)
	set("cursor", o.Cursor)
	if o.Limit > 0 {
		q.Set("limit", strconv.Itoa(o.Limit))
	}
	var l JobList
	return &l, c.call(ctx, http.MethodGet, "/v1/jobs", q, nil, &l)
}

// Cancel cancels a job and returns it after the request: cancelled when it
// was queued, running with CancelRequested when it was running.
func (c *Client) Cancel(ctx context.Context, id string) (*Job, error) {
	var j Job
	return &j, c.call(ctx, http.MethodDelete, "/v1/jobs/"+url.PathEscape(id), nil, nil, &j)
}

// Result returns a completed job's result; a job not completed is an
// *Error with status 409.
func (c *Client) Result(ctx context.Context, id string) (*Result, error) {
	var r Result
	return &r, c.call(ctx, http.MethodGet, "/v1/jobs/"+url.PathEscape(id)+"/result", nil, nil, &r)
}

// WaitResult returns a job's result, letting the server hold the request
// up to wait (at most a minute) for the job to finish: one round trip for a
// short job. A job still unfinished when the wait runs out is a 409 Error,
// as from Result.
func (c *Client) WaitResult(ctx context.Context, id string, wait time.Duration) (*Result, error) {
	var r Result
	q := url.Values{"wait": {wait.String()}}
	return &r, c.call(ctx, http.MethodGet, "/v1/jobs/"+url.PathEscape(id)+"/result", q, nil, &r)
}

// Backends lists the backends.
func (c *Client) Backends(ctx context.Context) ([]qluster.BackendInfo, error) {
	var out struct {
		Backends []qluster.BackendInfo `json:"backends"`
	}
	return out.Backends, c.call(ctx, http.MethodGet, "/v1/backends", nil, nil, &out)
}

// Backend returns one backend.
func (c *Client) Backend(ctx context.Context, name string) (*qluster.BackendInfo, error) {
	var b qluster.BackendInfo
	return &b, c.call(ctx, http.MethodGet, "/v1/backends/"+url.PathEscape(name), nil, nil, &b)
}

// CreateUser creates a user (admin only).
func (c *Client) CreateUser(ctx context.Context, name string, admin bool, limits qluster.Limits) (*qluster.User, error) {
	var u qluster.User
	body := struct {
		Name   string         `json:"name"`
		Admin  bool           `json:"admin"`
		Limits qluster.Limits `json:"limits"`
	}{name, admin, limits}
	return &u, c.call(ctx, http.MethodPost, "/v1/users", nil, body, &u)
}

// ListUsers lists every user (admin only).
func (c *Client) ListUsers(ctx context.Context) ([]*qluster.User, error) {
	var out struct {
		Users []*qluster.User `json:"users"`
	}
	return out.Users, c.call(ctx, http.MethodGet, "/v1/users", nil, nil, &out)
}

// CreateToken creates a token for a user (a name or ID; "" for the
// caller). Only admins may name another user.
func (c *Client) CreateToken(ctx context.Context, user, name string) (*CreatedToken, error) {
	var t CreatedToken
	body := struct {
		User string `json:"user,omitempty"`
		Name string `json:"name,omitempty"`
	}{user, name}
	return &t, c.call(ctx, http.MethodPost, "/v1/tokens", nil, body, &t)
}

// ListTokens lists tokens: a user's (a name or ID), or for "" every token
// an admin may see (the caller's own for others).
func (c *Client) ListTokens(ctx context.Context, user string) ([]*Token, error) {
	q := url.Values{}
	if user != "" {
		q.Set("user", user)
	}
	var out struct {
		Tokens []*Token `json:"tokens"`
	}
	return out.Tokens, c.call(ctx, http.MethodGet, "/v1/tokens", q, nil, &out)
}

// RevokeToken revokes a token by ID.
func (c *Client) RevokeToken(ctx context.Context, id string) error {
	return c.call(ctx, http.MethodDelete, "/v1/tokens/"+url.PathEscape(id), nil, nil, nil)
}
