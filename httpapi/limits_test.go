package httpapi_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/qluster/qluster"
	"github.com/qluster/qluster/httpapi"
	"github.com/qluster/qluster/httpapi/apitest"
)

// clock is a settable time source.
type clock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *clock) Add(d time.Duration) {
	c.mu.Lock()
	c.now = c.now.Add(d)
	c.mu.Unlock()
}

func TestRateLimit(t *testing.T) {
	clk := &clock{now: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}
	env := apitest.Start(t, apitest.Options{NoWorker: true, Now: clk.Now})
	_, tok := env.NewUser("eager", false, qluster.Limits{RatePerSecond: 0.5, RateBurst: 3})
	get := request{method: "GET", path: "/v1/jobs", token: tok}
	for i := range 3 {
		if r := do(t, env, get); r.status != 200 {
			t.Fatalf("request %d within the burst = %d, want 200", i+1, r.status)
		}
	}
	r := do(t, env, get)
	wantProblem(t, r, http.StatusTooManyRequests, qluster.ERATELIMITED, "request rate above 0.5 per second")
	if ra := r.header.Get("Retry-After"); ra != "2" {
		t.Errorf("Retry-After = %q, want 2", ra)
	}
	if r := do(t, env, request{method: "GET", path: "/v1/jobs", token: env.AdminToken}); r.status != 200 {
		t.Errorf("another token's request = %d, want 200: buckets are per token", r.status)
	}
	clk.Add(2 * time.Second)
	if r := do(t, env, get); r.status != 200 {
		t.Errorf("after waiting = %d, want 200", r.status)
	}
	if r := do(t, env, get); r.status != 429 {
		t.Errorf("again at once = %d, want 429", r.status)
	}
	t.Run("every authenticated route is limited", func(t *testing.T) {
		for _, rt := range env.API.Routes() {
			method, path, _ := strings.Cut(rt, " ")
			op := spec.ops[path][method]
			if op == nil || op.Responses["429"].Ref == "" {
				continue
			}
			path = strings.NewReplacer("{id}", "x", "{name}", "sv").Replace(path)
			body := ""
			if method == "POST" {
				body = "{}"
			}
			r := do(t, env, request{method: method, path: path, token: tok, body: body})
			if r.status != 429 || r.header.Get("Retry-After") == "" {
				t.Errorf("%s %s = %d (Retry-After %q), want 429 with Retry-After", method, path, r.status, r.header.Get("Retry-After"))
			}
		}
	})
}

func TestConcurrentJobLimit(t *testing.T) {
	env := apitest.Start(t, apitest.Options{NoWorker: true})
	_, tok := env.NewUser("busy", false, qluster.Limits{MaxConcurrentJobs: 2})
	post := request{method: "POST", path: "/v1/jobs", token: tok, body: circuitJSON(bell)}
	var first string
	for i := range 2 {
		r := do(t, env, post)
		if r.status != 202 {
			t.Fatalf("submit %d = %d %s, want 202", i+1, r.status, r.body)
		}
		if first == "" {
			var s struct{ ID string }
			mustJSON(t, r.body, &s)
			first = s.ID
		}
	}
	r := do(t, env, post)
	wantProblem(t, r, http.StatusTooManyRequests, qluster.ERATELIMITED, "2 jobs queued or running")
	if r.header.Get("Retry-After") == "" {
		t.Error("429 without Retry-After")
	}
	if r := do(t, env, request{method: "DELETE", path: "/v1/jobs/" + first, token: tok}); r.status != 200 {
		t.Fatalf("cancel = %d", r.status)
	}
	if r := do(t, env, post); r.status != 202 {
		t.Errorf("submit after a cancel = %d %s, want 202", r.status, r.body)
	}
}

func TestBodyLimit(t *testing.T) {
	env := apitest.Start(t, apitest.Options{NoWorker: true})
	_, tok := env.NewUser("big", false, qluster.Limits{MaxRequestBytes: 1000})
	small := circuitJSON(bell)
	if r := do(t, env, request{method: "POST", path: "/v1/jobs", token: tok, body: small}); r.status != 202 {
		t.Fatalf("small submit = %d %s", r.status, r.body)
	}
	big := circuitJSON(bell + "// " + strings.Repeat("pad ", 300) + "\n")
	wantProblem(t, do(t, env, request{method: "POST", path: "/v1/jobs", token: tok, body: big}), 413, qluster.ETOOLARGE, "limit of 1000 bytes")
}

// countingStore reports a fixed number of active jobs through the optional
// ActiveJobCounter method.
type countingStore struct {
	qluster.Store
	n     int
	calls int
}

func (s *countingStore) CountActiveJobs(_ context.Context, _ string) (int, error) {
	s.calls++
	return s.n, nil
}

func TestConcurrentJobLimitUsesCounter(t *testing.T) {
	env := apitest.Start(t, apitest.Options{NoWorker: true})
	_, tok := env.NewUser("counted", false, qluster.Limits{MaxConcurrentJobs: 5})
	st := &countingStore{Store: env.Store, n: 4}
	srv := httptest.NewServer(httpapi.New(httpapi.Options{Store: st, Backends: env.Registry, Check: env.Registry.Check}))
	defer srv.Close()
	env2 := &apitest.Env{URL: srv.URL}
	post := request{method: "POST", path: "/v1/jobs", token: tok, body: circuitJSON(bell)}
	if r := do(t, env2, post); r.status != 202 {
		t.Fatalf("with 4 of 5 active: %d %s, want 202", r.status, r.body)
	}
	st.n = 5
	wantProblem(t, do(t, env2, post), 429, qluster.ERATELIMITED, "5 jobs queued or running")
	if st.calls != 2 {
		t.Errorf("CountActiveJobs called %d times, want 2", st.calls)
	}
}
