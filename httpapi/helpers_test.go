package httpapi_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/qluster/qluster/client"
	"github.com/qluster/qluster/httpapi"
	"github.com/qluster/qluster/httpapi/apitest"
)

const bell = `OPENQASM 2.0;
include "qelib1.inc";
qreg q[2];
creg c[2];
h q[0];
cx q[0],q[1];
measure q -> c;
`

// seen records every (route, method, status) answered in this package's
// tests, for the OpenAPI coverage check in TestMain.
var seen = struct {
	sync.Mutex
	m map[string]bool
}{m: map[string]bool{}}

// checkedTransport validates every response against openapi.json: the
// route, method and status must be documented and a JSON body must match
// the documented schema.
type checkedTransport struct {
	t testing.TB
}

func (c checkedTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, err := http.DefaultTransport.RoundTrip(req)
	if err != nil {
		return nil, err
	}
	path, op := spec.find(req.URL.Path, req.Method)
	key := fmt.Sprintf("%s %s %d", req.Method, path, resp.StatusCode)
	seen.Lock()
	seen.m[key] = true
	seen.Unlock()
	if op == nil {
		if resp.StatusCode != http.StatusNotFound && resp.StatusCode != http.StatusMethodNotAllowed {
			c.t.Errorf("%s %s: %d from an undocumented route", req.Method, req.URL.Path, resp.StatusCode)
		}
		return resp, nil
	}
	ct := resp.Header.Get("Content-Type")
	if strings.HasPrefix(ct, "text/event-stream") {
		return resp, nil
	}
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		return nil, err
	}
	resp.Body = io.NopCloser(bytes.NewReader(body))
	if err := spec.checkResponse(op, resp.StatusCode, ct, body); err != nil {
		c.t.Errorf("%s %s → %d: %v\nbody: %s", req.Method, req.URL.Path, resp.StatusCode, err, truncate(body))
	}
	return resp, nil
}

func truncate(b []byte) string {
	if len(b) > 600 {
		return string(b[:600]) + "…"
	}
	return string(b)
}

// httpClient returns an HTTP client whose responses are checked against
// the OpenAPI document.
func httpClient(t testing.TB) *http.Client {
	return &http.Client{Transport: checkedTransport{t}}
}

// newClient returns an API client for token with checked responses.
func newClient(t testing.TB, env *apitest.Env, token string) *client.Client {
	c := client.New(env.URL, token)
	c.HTTPClient = httpClient(t)
	return c
}

// reply is a raw response.
type reply struct {
	status int
	header http.Header
	body   []byte
}

// problem decodes the body as a problem.
func (r reply) problem(t testing.TB) httpapi.Problem {
	t.Helper()
	var p httpapi.Problem
	if err := json.Unmarshal(r.body, &p); err != nil {
		t.Fatalf("decoding problem: %v\nbody: %s", err, r.body)
	}
	return p
}

// request is a raw request for do.
type request struct {
	method, path string
	token        string
	header       map[string]string
	body         string
}

// do sends a raw request (Content-Type application/json when there is a
// body, unless the header says otherwise) and reads the whole response.
func do(t testing.TB, env *apitest.Env, r request) reply {
	t.Helper()
	var body io.Reader
	if r.body != "" {
		body = strings.NewReader(r.body)
	}
	req, err := http.NewRequest(r.method, env.URL+r.path, body)
	if err != nil {
		t.Fatal(err)
	}
	if r.body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	if r.token != "" {
		req.Header.Set("Authorization", "Bearer "+r.token)
	}
	for k, v := range r.header {
		if v == "" {
			req.Header.Del(k)
		} else {
			req.Header.Set(k, v)
		}
	}
	resp, err := httpClient(t).Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", r.method, r.path, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("%s %s: reading body: %v", r.method, r.path, err)
	}
	return reply{resp.StatusCode, resp.Header, b}
}

// submitBody is a submission of one circuit as JSON.
func submitBody(qasm string, shots int) string {
	b, _ := json.Marshal(map[string]any{"shots": shots, "circuits": []map[string]string{{"qasm": qasm}}})
	return string(b)
}

// wantProblem checks a problem response's status, code and that its
// detail contains every fragment.
func wantProblem(t testing.TB, r reply, status int, code string, fragments ...string) httpapi.Problem {
	t.Helper()
	if r.status != status {
		t.Fatalf("status = %d, want %d\nbody: %s", r.status, status, truncate(r.body))
	}
	if ct := r.header.Get("Content-Type"); ct != "application/problem+json" {
		t.Errorf("Content-Type = %q, want application/problem+json", ct)
	}
	p := r.problem(t)
	if p.Code != code {
		t.Errorf("code = %q, want %q (detail %q)", p.Code, code, p.Detail)
	}
	if p.Status != status || p.Type != "urn:qluster:problem:"+code || p.Title != http.StatusText(status) {
		t.Errorf("problem = %+v, want status %d, type urn:qluster:problem:%s, title %q", p, status, code, http.StatusText(status))
	}
	for _, f := range fragments {
		if !strings.Contains(p.Detail, f) {
			t.Errorf("detail = %q, want it to contain %q", p.Detail, f)
		}
	}
	return p
}

func itoa(n int) string { return strconv.Itoa(n) }

func mustJSON(t testing.TB, b []byte, v any) {
	t.Helper()
	if err := json.Unmarshal(b, v); err != nil {
		t.Fatalf("decoding %s: %v", truncate(b), err)
	}
}
