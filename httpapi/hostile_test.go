package httpapi_test

import (
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/qluster/qluster"
	"github.com/qluster/qluster/circuit"
	"github.com/qluster/qluster/httpapi"
	"github.com/qluster/qluster/httpapi/apitest"
)

// circuitJSON is a submission body with one circuit of source src.
func circuitJSON(src string) string {
	return `{"circuits":[{"qasm":` + jsonString(src) + `}]}`
}

// explode defines gates that double at every level: n levels make 2^n
// operations.
func explode(n int) string {
	var b strings.Builder
	b.WriteString("OPENQASM 2.0;\ninclude \"qelib1.inc\";\nqreg q[1];\ngate g0 a { h a; }\n")
	for i := 1; i <= n; i++ {
		fmt.Fprintf(&b, "gate g%d a { g%d a; g%d a; }\n", i, i-1, i-1)
	}
	fmt.Fprintf(&b, "g%d q[0];\n", n)
	return b.String()
}

// TestHostileRequests sends malformed, oversized and abusive requests: each
// gets a precise 4xx problem, and the server stays healthy.
func TestHostileRequests(t *testing.T) {
	env := apitest.Start(t, apitest.Options{NoWorker: true, Limits: qluster.Limits{MaxRequestBytes: 64 << 10, MaxCircuits: 5}})
	_, tok := env.NewUser("mallory", false, qluster.Limits{})
	post := func(body string) request {
		return request{method: "POST", path: "/v1/jobs", token: tok, body: body}
	}
	withHeader := func(r request, k, v string) request {
		r.header = map[string]string{k: v}
		return r
	}
	tests := []struct {
		name      string
		req       request
		status    int
		code      string
		detail    string
		line, col int
	}{
		{"truncated JSON", post(`{"circuits": [`), 400, qluster.EINVALID, "offset", 0, 0},
		{"JSON syntax error", post(`{"circuits" [1]}`), 400, qluster.EINVALID, "invalid JSON at offset 13: invalid character", 0, 0},
		{"trailing garbage", post(circuitJSON(bell) + ` x`), 400, qluster.EINVALID, "after the top-level value", 0, 0},
		{"two JSON values", post(circuitJSON(bell) + circuitJSON(bell)), 400, qluster.EINVALID, "after the top-level value", 0, 0},
		{"empty body", post(" "), 400, qluster.EINVALID, "empty request body", 0, 0},
		{"JSON null", post(`null`), 400, qluster.EINVALID, "at least one circuit", 0, 0},
		{"JSON array", post(`[]`), 400, qluster.EINVALID, "the body must be a JSON object, not array", 0, 0},
		{"unknown field", post(`{"circuit":[]}`), 400, qluster.EINVALID, `unknown field "circuit"`, 0, 0},
		{"unknown circuit field", post(`{"circuits":[{"qasm":"x","lang":"qasm3"}]}`), 400, qluster.EINVALID, `unknown field "lang"`, 0, 0},
		{"unknown option", post(`{"circuits":[{"qasm":"x"}],"options":{"turbo":true}}`), 400, qluster.EINVALID, `unknown field "turbo"`, 0, 0},
		{"shots as string", post(`{"shots":"many","circuits":[]}`), 400, qluster.EINVALID, "shots must be int", 0, 0},
		{"fractional shots", post(`{"shots":1.5,"circuits":[]}`), 400, qluster.EINVALID, "shots must be int", 0, 0},
		{"shots overflow", post(`{"shots":1e30,"circuits":[]}`), 400, qluster.EINVALID, "shots must be int", 0, 0},
		{"negative seed", post(`{"seed":-1,"circuits":[]}`), 400, qluster.EINVALID, "seed must be uint64", 0, 0},
		{"10^9 shots", post(`{"shots":1000000000,"circuits":[{"qasm":` + jsonString(bell) + `}]}`), 400, qluster.EINVALID, "shots 1000000000 is over the limit of 1000000", 0, 0},
		{"negative shots", post(`{"shots":-1,"circuits":[{"qasm":` + jsonString(bell) + `}]}`), 400, qluster.EINVALID, "shots must be ≥ 0", 0, 0},
		{"no circuits", post(`{"circuits":[]}`), 400, qluster.EINVALID, "at least one circuit", 0, 0},
		{"too many circuits", post(`{"circuits":[` + strings.Repeat(`{"qasm":"x"},`, 5) + `{"qasm":"x"}]}`), 400, qluster.EINVALID, "6 circuits is over the limit of 5", 0, 0},
		{"empty qasm", post(`{"circuits":[{"qasm":"  "}]}`), 400, qluster.EINVALID, "circuits[0]: qasm is empty", 0, 0},
		{"malformed qasm", post(`{"circuits":[{"qasm":` + jsonString(bell) + `},{"name":"bad","qasm":"OPENQASM 2.0;\nqreg q[2];\n  hh q[0];\n"}]}`), 400, qluster.EINVALID, "circuits[1]: bad:3:3", 3, 3},
		{"10^6-qubit register", post(circuitJSON("OPENQASM 2.0;\nqreg q[1000000];\n")), 400, qluster.EINVALID, "circuits[0]", 2, 0},
		{"one qubit over the backend", post(circuitJSON("OPENQASM 2.0;\nqreg q[10000];\nqreg r[1];\n")), 400, qluster.EINVALID, "circuits[0]", 3, 0},
		{"gate expansion bomb", post(circuitJSON(explode(40))), 400, qluster.EINVALID, "circuits[0]", -1, 0},
		{"include outside", post(circuitJSON("OPENQASM 2.0;\ninclude \"/etc/passwd\";\n")), 400, qluster.EINVALID, "circuits[0]", 2, 0},
		{"unknown backend", post(`{"backend":"ibm_brisbane","circuits":[{"qasm":"x"}]}`), 400, qluster.EINVALID, `unknown backend "ibm_brisbane"; available: sv`, 0, 0},
		{"priority out of range", post(`{"priority":1000,"circuits":[{"qasm":"x"}]}`), 400, qluster.EINVALID, "priority must be between", 0, 0},
		{"positive priority by a user", post(`{"priority":5,"circuits":[{"qasm":"x"}]}`), 403, qluster.EFORBIDDEN, "only admins", 0, 0},
		{"optimization level 9", post(`{"options":{"optimization_level":9},"circuits":[{"qasm":"x"}]}`), 400, qluster.EINVALID, "optimization_level must be 0 to 3", 0, 0},
		{"precision quad", post(`{"options":{"precision":"quad"},"circuits":[{"qasm":"x"}]}`), 400, qluster.EINVALID, "precision", 0, 0},
		{"circuit name too long", post(`{"circuits":[{"name":"` + strings.Repeat("n", 300) + `","qasm":"x"}]}`), 400, qluster.EINVALID, "name longer than 256", 0, 0},
		{"deep JSON nesting", post(strings.Repeat("[", 20000) + strings.Repeat("]", 20000)), 400, qluster.EINVALID, "invalid JSON", 0, 0},
		{"text/plain body", withHeader(post(circuitJSON(bell)), "Content-Type", "text/plain"), 415, "unsupported_media_type", "application/json", 0, 0},
		{"form body", withHeader(post(circuitJSON(bell)), "Content-Type", "application/x-www-form-urlencoded"), 415, "unsupported_media_type", "application/json", 0, 0},
		{"no content type", withHeader(post(circuitJSON(bell)), "Content-Type", ""), 415, "unsupported_media_type", "application/json", 0, 0},
		{"huge body", post(`{"circuits":[{"qasm":"` + strings.Repeat("x", 100<<10) + `"}]}`), 413, qluster.ETOOLARGE, "limit of 65536 bytes", 0, 0},
		{"long idempotency key", withHeader(post(circuitJSON(bell)), "Idempotency-Key", strings.Repeat("k", 300)), 400, qluster.EINVALID, "Idempotency-Key", 0, 0},
		{"huge bearer token", request{method: "GET", path: "/v1/jobs", token: "qlt_" + strings.Repeat("A", 5000)}, 401, qluster.EUNAUTHORIZED, "malformed token", 0, 0},
		{"bad status filter", request{method: "GET", path: "/v1/jobs?status=done", token: tok}, 400, qluster.EINVALID, `got "done"`, 0, 0},
		{"negative limit", request{method: "GET", path: "/v1/jobs?limit=-1", token: tok}, 400, qluster.EINVALID, "limit must be a positive integer", 0, 0},
		{"limit not a number", request{method: "GET", path: "/v1/jobs?limit=ten", token: tok}, 400, qluster.EINVALID, "limit must be a positive integer", 0, 0},
		{"forged cursor", request{method: "GET", path: "/v1/jobs?cursor=%27%3B%20DROP%20TABLE%20jobs", token: tok}, 400, qluster.EINVALID, "cursor", 0, 0},
		{"repeated parameter", request{method: "GET", path: "/v1/jobs?status=queued&status=running", token: tok}, 400, qluster.EINVALID, "given 2 times", 0, 0},
		{"unknown parameter", request{method: "GET", path: "/v1/jobs?sort=asc", token: tok}, 400, qluster.EINVALID, `unknown query parameter "sort"`, 0, 0},
		{"PUT on jobs", request{method: "PUT", path: "/v1/jobs", token: tok, body: "{}"}, 405, "method_not_allowed", "allowed: GET, POST", 0, 0},
		{"unknown endpoint", request{method: "GET", path: "/v2/jobs", token: tok}, 404, qluster.ENOTFOUND, "no such endpoint", 0, 0},
		{"user with empty name", request{method: "POST", path: "/v1/users", token: env.AdminToken, body: `{"name":""}`}, 400, qluster.EINVALID, "name is required", 0, 0},
		{"user name with spaces", request{method: "POST", path: "/v1/users", token: env.AdminToken, body: `{"name":" x "}`}, 400, qluster.EINVALID, "surrounding spaces", 0, 0},
		{"user with negative limits", request{method: "POST", path: "/v1/users", token: env.AdminToken, body: `{"name":"x","limits":{"max_shots":-5}}`}, 400, qluster.EINVALID, "must not be negative", 0, 0},
		{"user body as text", withHeader(request{method: "POST", path: "/v1/users", token: env.AdminToken, body: `{"name":"x"}`}, "Content-Type", "text/plain"), 415, "unsupported_media_type", "application/json", 0, 0},
		{"user body too large", request{method: "POST", path: "/v1/users", token: env.AdminToken, body: `{"name":"` + strings.Repeat("x", 70<<10) + `"}`}, 413, qluster.ETOOLARGE, "limit", 0, 0},
		{"token unknown field", request{method: "POST", path: "/v1/tokens", token: tok, body: `{"scope":"all"}`}, 400, qluster.EINVALID, `unknown field "scope"`, 0, 0},
		{"token body as text", withHeader(request{method: "POST", path: "/v1/tokens", token: tok, body: `{}`}, "Content-Type", "text/plain"), 415, "unsupported_media_type", "application/json", 0, 0},
		{"token body too large", request{method: "POST", path: "/v1/tokens", token: tok, body: `{"name":"` + strings.Repeat("x", 70<<10) + `"}`}, 413, qluster.ETOOLARGE, "limit", 0, 0},
		{"users list parameter", request{method: "GET", path: "/v1/users?all=1", token: env.AdminToken}, 400, qluster.EINVALID, "unknown query parameter", 0, 0},
		{"tokens list parameter", request{method: "GET", path: "/v1/tokens?all=1", token: tok}, 400, qluster.EINVALID, "unknown query parameter", 0, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := do(t, env, tc.req)
			p := wantProblem(t, r, tc.status, tc.code, tc.detail)
			switch {
			case tc.line > 0 && (p.Line != tc.line || tc.col > 0 && p.Column != tc.col || p.Column < 1 || p.Circuit == nil):
				t.Errorf("position = line %d column %d circuit %v, want line %d column %d and a circuit index", p.Line, p.Column, p.Circuit, tc.line, tc.col)
			case tc.line < 0 && (p.Line < 1 || p.Column < 1):
				t.Errorf("position = line %d column %d, want one", p.Line, p.Column)
			case tc.line == 0 && p.Line != 0:
				t.Errorf("line = %d, want none", p.Line)
			}
			if tc.status == 405 && r.header.Get("Allow") != "GET, POST" {
				t.Errorf("Allow = %q, want GET, POST", r.header.Get("Allow"))
			}
			if tc.name == "unknown backend" && (len(p.Backends) != 1 || p.Backends[0] != "sv") {
				t.Errorf("backends = %v, want [sv]", p.Backends)
			}
			if p.RequestID == "" {
				t.Error("no request_id")
			}
		})
	}
	if len(tests) < 30 {
		t.Errorf("only %d hostile requests, want ≥ 30", len(tests))
	}
	t.Run("server still healthy", func(t *testing.T) {
		if r := do(t, env, request{method: "GET", path: "/healthz"}); r.status != http.StatusOK {
			t.Errorf("healthz = %d", r.status)
		}
		if r := do(t, env, post(circuitJSON(bell))); r.status != http.StatusAccepted {
			t.Errorf("valid submit after the attack = %d %s", r.status, r.body)
		}
		var l struct{ Jobs []any }
		mustJSON(t, do(t, env, request{method: "GET", path: "/v1/jobs", token: tok}).body, &l)
		if len(l.Jobs) != 1 {
			t.Errorf("mallory has %d jobs, want 1: no hostile request may store a job", len(l.Jobs))
		}
	})
}

// TestCheckHook runs submissions through a backend check that rejects, fails
// and panics: the user sees the rejection, or only a request id.
func TestCheckHook(t *testing.T) {
	env := apitest.Start(t, apitest.Options{NoWorker: true})
	var logs strings.Builder
	check := func(_ string, c *circuit.Circuit, _ qluster.JobSpec) error {
		switch c.NumQubits {
		case 0:
			return nil
		case 1:
			return qluster.Errorf(qluster.EINVALID, "sv: one qubit is too few")
		case 2:
			return errors.New("database password is hunter2")
		}
		panic("boom")
	}
	srv := httptest.NewServer(httpapi.New(httpapi.Options{Store: env.Store, Backends: env.Registry, Check: check,
		Logger: slog.New(slog.NewTextHandler(&logs, nil))}))
	defer srv.Close()
	env2 := &apitest.Env{URL: srv.URL}
	sub := func(n int) reply {
		src := fmt.Sprintf("OPENQASM 2.0;\nqreg q[%d];\n", n)
		return do(t, env2, request{method: "POST", path: "/v1/jobs", token: env.AdminToken, body: `{"circuits":[{"qasm":"OPENQASM 2.0;"},{"name":"n","qasm":` + jsonString(src) + `}]}`})
	}
	t.Run("rejection", func(t *testing.T) {
		p := wantProblem(t, sub(1), 400, qluster.EINVALID, "circuits[1]: sv: one qubit is too few")
		if p.Circuit == nil || *p.Circuit != 1 || p.CircuitName != "n" {
			t.Errorf("circuit = %v %q, want 1 n", p.Circuit, p.CircuitName)
		}
	})
	for _, n := range []int{2, 3} {
		t.Run(fmt.Sprintf("internal %d", n), func(t *testing.T) {
			r := sub(n)
			p := wantProblem(t, r, 500, qluster.EINTERNAL, "internal error (request id "+r.header.Get("X-Request-Id")+")")
			if strings.Contains(p.Detail, "hunter2") || strings.Contains(p.Detail, "boom") {
				t.Errorf("detail %q leaks the cause", p.Detail)
			}
			if !strings.Contains(logs.String(), r.header.Get("X-Request-Id")) {
				t.Errorf("log lacks the request id:\n%s", logs.String())
			}
		})
	}
	if !strings.Contains(logs.String(), "hunter2") || !strings.Contains(logs.String(), "panic: boom") {
		t.Errorf("log lacks the causes:\n%s", logs.String())
	}
	if r := do(t, env2, request{method: "GET", path: "/healthz"}); r.status != 200 {
		t.Errorf("healthz after a panic = %d", r.status)
	}
}
