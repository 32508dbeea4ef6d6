package httpapi_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/qluster/qluster"
	"github.com/qluster/qluster/client"
	"github.com/qluster/qluster/httpapi/apitest"
)

func ctxT(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	t.Cleanup(cancel)
	return ctx
}

func intp(n int) *int       { return &n }
func u64p(n uint64) *uint64 { return &n }
func boolp(b bool) *bool    { return &b }

func TestSubmitWaitResult(t *testing.T) {
	env := apitest.Start(t, apitest.Options{})
	ctx := ctxT(t)
	c := newClient(t, env, env.AdminToken)
	sub, err := c.Submit(ctx, client.SubmitRequest{
		Backend: "sv", Shots: intp(1000), Seed: u64p(7),
		Circuits: []qluster.CircuitSpec{{Name: "bell", QASM: bell}, {Name: "x", QASM: "OPENQASM 2.0;\ninclude \"qelib1.inc\";\nqreg q[1];\ncreg c[1];\nx q[0];\nmeasure q -> c;\n"}},
		Options:  qluster.JobOptions{Probabilities: true},
	})
	if err != nil {
		t.Fatalf("Submit: %v", err)
	}
	if sub.Status != qluster.JobQueued || sub.ID == "" || sub.Replayed {
		t.Errorf("Submit = %+v, want a new queued job", sub)
	}
	var statuses []qluster.JobStatus
	j, err := c.Wait(ctx, sub.ID, client.WaitOptions{OnStatus: func(j *client.Job) { statuses = append(statuses, j.Status) }})
	if err != nil {
		t.Fatalf("Wait: %v", err)
	}
	if j.Status != qluster.JobCompleted || statuses[len(statuses)-1] != qluster.JobCompleted {
		t.Fatalf("Wait = %s (seen %v), want completed; error %q", j.Status, statuses, j.Error)
	}
	res, err := c.Result(ctx, sub.ID)
	if err != nil {
		t.Fatalf("Result: %v", err)
	}
	if len(res.Results) != 2 {
		t.Fatalf("got %d results, want 2", len(res.Results))
	}
	b := res.Results[0]
	if b.Name != "bell" || b.Shots != 1000 || b.Counts["00"]+b.Counts["11"] != 1000 || b.Counts["00"] < 400 || b.Counts["11"] < 400 {
		t.Errorf("bell result = %+v, want ~500 00 and ~500 11 of 1000", b)
	}
	if x := res.Results[1]; x.Counts["1"] != 1000 || x.Probabilities["1"] != 1 {
		t.Errorf("x result = counts %v probabilities %v, want all 1", x.Counts, x.Probabilities)
	}
	got, err := c.Get(ctx, sub.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.NumCircuits != 2 || got.Shots != 1000 || *got.Seed != 7 || got.Owner != env.Admin.ID || got.FinishedAt.IsZero() {
		t.Errorf("Get = %+v, want 2 circuits, 1000 shots, seed 7, owner admin, finished", got)
	}
}

func TestSubmitDefaults(t *testing.T) {
	env := apitest.Start(t, apitest.Options{NoWorker: true})
	r := do(t, env, request{method: "POST", path: "/v1/jobs", token: env.AdminToken, body: `{"circuits":[{"qasm":` + jsonString(bell) + `}]}`})
	if r.status != http.StatusAccepted {
		t.Fatalf("status = %d, want 202: %s", r.status, r.body)
	}
	var sub client.Submitted
	mustJSON(t, r.body, &sub)
	if loc := r.header.Get("Location"); loc != "/v1/jobs/"+sub.ID {
		t.Errorf("Location = %q, want /v1/jobs/%s", loc, sub.ID)
	}
	j, err := env.Store.GetJob(context.Background(), sub.ID)
	if err != nil {
		t.Fatal(err)
	}
	if j.Backend != "sv" || j.Spec.Shots != 1024 || j.Status != qluster.JobQueued {
		t.Errorf("stored job = backend %q shots %d status %s, want sv, 1024, queued", j.Backend, j.Spec.Shots, j.Status)
	}
}

func TestIdempotency(t *testing.T) {
	env := apitest.Start(t, apitest.Options{NoWorker: true})
	ctx := ctxT(t)
	c := newClient(t, env, env.AdminToken)
	req := client.SubmitRequest{Shots: intp(10), Circuits: []qluster.CircuitSpec{{QASM: bell}}, IdempotencyKey: "key-1"}
	first, err := c.Submit(ctx, req)
	if err != nil {
		t.Fatal(err)
	}
	second, err := c.Submit(ctx, req)
	if err != nil {
		t.Fatal(err)
	}
	if second.ID != first.ID || !second.Replayed || first.Replayed {
		t.Errorf("second submit = %+v, first %+v: want the same ID, replayed", second, first)
	}
	t.Run("different request, same key", func(t *testing.T) {
		req.Shots = intp(11)
		_, err := c.Submit(ctx, req)
		wantAPIError(t, err, 409, qluster.ECONFLICT)
	})
	t.Run("same key, other user", func(t *testing.T) {
		_, tok := env.NewUser("bob", false, qluster.Limits{})
		req.Shots = intp(10)
		other, err := newClient(t, env, tok).Submit(ctx, req)
		if err != nil {
			t.Fatal(err)
		}
		if other.ID == first.ID || other.Replayed {
			t.Errorf("other user's submit = %+v, want a new job", other)
		}
	})
	t.Run("concurrent", func(t *testing.T) {
		req := client.SubmitRequest{Shots: intp(5), Circuits: []qluster.CircuitSpec{{QASM: bell}}, IdempotencyKey: "key-race"}
		ids := make([]string, 8)
		var wg sync.WaitGroup
		for i := range ids {
			wg.Go(func() {
				s, err := c.Submit(ctx, req)
				if err != nil {
					t.Error(err)
					return
				}
				ids[i] = s.ID
			})
		}
		wg.Wait()
		for _, id := range ids {
			if id != ids[0] {
				t.Fatalf("concurrent submissions with one key got IDs %v, want one", ids)
			}
		}
	})
}

func TestListPagination(t *testing.T) {
	env := apitest.Start(t, apitest.Options{NoWorker: true})
	ctx := ctxT(t)
	admin := newClient(t, env, env.AdminToken)
	_, aliceTok := env.NewUser("alice", false, qluster.Limits{})
	alice := newClient(t, env, aliceTok)
	var want []string
	for i := 0; i < 7; i++ {
		s, err := alice.Submit(ctx, client.SubmitRequest{Shots: intp(i + 1), Circuits: []qluster.CircuitSpec{{QASM: bell}}})
		if err != nil {
			t.Fatal(err)
		}
		want = append([]string{s.ID}, want...) // newest first
	}
	if _, err := admin.Submit(ctx, client.SubmitRequest{Circuits: []qluster.CircuitSpec{{QASM: bell}}}); err != nil {
		t.Fatal(err)
	}
	var got []string
	cursor := ""
	pages := 0
	for {
		l, err := alice.List(ctx, client.ListOptions{Limit: 3, Cursor: cursor})
		if err != nil {
			t.Fatal(err)
		}
		pages++
		for _, j := range l.Jobs {
			got = append(got, j.ID)
		}
		if l.NextCursor == "" {
			break
		}
		cursor = l.NextCursor
	}
	if strings.Join(got, ",") != strings.Join(want, ",") || pages != 3 {
		t.Errorf("paged IDs (%d pages) = %v, want %v in 3 pages", pages, got, want)
	}
	tests := []struct {
		name string
		c    *client.Client
		o    client.ListOptions
		n    int
	}{
		{"admin sees all", admin, client.ListOptions{}, 8},
		{"admin filters by owner name", admin, client.ListOptions{Owner: "alice"}, 7},
		{"status filter", alice, client.ListOptions{Status: qluster.JobQueued}, 7},
		{"status filter, none", alice, client.ListOptions{Status: qluster.JobCompleted}, 0},
		{"backend filter", alice, client.ListOptions{Backend: "sv"}, 7},
		{"backend filter, none", alice, client.ListOptions{Backend: "nope"}, 0},
		{"own name as owner", alice, client.ListOptions{Owner: "alice"}, 7},
		{"admin's own name as owner", admin, client.ListOptions{Owner: "admin"}, 1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			l, err := tc.c.List(ctx, tc.o)
			if err != nil {
				t.Fatal(err)
			}
			if len(l.Jobs) != tc.n {
				t.Errorf("got %d jobs, want %d", len(l.Jobs), tc.n)
			}
		})
	}
	t.Run("non-admin owner filter is forbidden", func(t *testing.T) {
		_, err := alice.List(ctx, client.ListOptions{Owner: "admin"})
		wantAPIError(t, err, 403, qluster.EFORBIDDEN)
	})
	t.Run("unknown owner", func(t *testing.T) {
		_, err := admin.List(ctx, client.ListOptions{Owner: "nobody"})
		wantAPIError(t, err, 404, qluster.ENOTFOUND)
	})
}

func TestCancel(t *testing.T) {
	env := apitest.Start(t, apitest.Options{NoWorker: true})
	ctx := ctxT(t)
	c := newClient(t, env, env.AdminToken)
	submit := func() string {
		s, err := c.Submit(ctx, client.SubmitRequest{Shots: intp(10), Circuits: []qluster.CircuitSpec{{QASM: bell}}})
		if err != nil {
			t.Fatal(err)
		}
		return s.ID
	}
	t.Run("queued job is cancelled at once", func(t *testing.T) {
		id := submit()
		j, err := c.Cancel(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		if j.Status != qluster.JobCancelled {
			t.Errorf("status = %s, want cancelled", j.Status)
		}
		_, err = c.Cancel(ctx, id)
		wantAPIError(t, err, 409, qluster.ECONFLICT)
		_, err = c.Result(ctx, id)
		wantAPIError(t, err, 409, qluster.ECONFLICT)
	})
	t.Run("running job gets a cancel request", func(t *testing.T) {
		id := submit()
		jobs, err := env.Store.Lease(ctx, qluster.LeaseRequest{Worker: "w1", Max: 1, TTL: time.Minute})
		if err != nil || len(jobs) != 1 || jobs[0].ID != id {
			t.Fatalf("Lease = %v, %v; want job %s", jobs, err, id)
		}
		_, err = c.Result(ctx, id)
		wantAPIError(t, err, 409, qluster.ECONFLICT, "running")
		j, err := c.Cancel(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		if j.Status != qluster.JobRunning || !j.CancelRequested {
			t.Errorf("after cancel: status %s cancel_requested %v, want running, true", j.Status, j.CancelRequested)
		}
		if err := env.Store.MarkCancelled(ctx, id, "w1", jobs[0].Attempt); err != nil {
			t.Fatal(err)
		}
		j, err = c.Get(ctx, id)
		if err != nil || j.Status != qluster.JobCancelled {
			t.Errorf("Get = %v, %v; want cancelled", j, err)
		}
	})
	t.Run("failed job result is a conflict with the error", func(t *testing.T) {
		id := submit()
		jobs, err := env.Store.Lease(ctx, qluster.LeaseRequest{Worker: "w2", Max: 1, TTL: time.Minute})
		if err != nil || len(jobs) != 1 {
			t.Fatal(err)
		}
		if err := env.Store.Fail(ctx, id, "w2", jobs[0].Attempt, "engine exploded"); err != nil {
			t.Fatal(err)
		}
		_, err = c.Result(ctx, id)
		wantAPIError(t, err, 409, qluster.ECONFLICT, "engine exploded")
	})
	t.Run("missing job", func(t *testing.T) {
		_, err := c.Cancel(ctx, "no-such-job")
		wantAPIError(t, err, 404, qluster.ENOTFOUND)
	})
}

// TestCancelRace cancels jobs while a real worker runs them: every job ends
// completed or cancelled, each cancel answers 200 or 409, and a completed
// job has its result.
func TestCancelRace(t *testing.T) {
	env := apitest.Start(t, apitest.Options{})
	ctx := ctxT(t)
	c := newClient(t, env, env.AdminToken)
	const n = 20
	ids := make([]string, n)
	for i := range ids {
		s, err := c.Submit(ctx, client.SubmitRequest{Shots: intp(100), Circuits: []qluster.CircuitSpec{{QASM: bell}}})
		if err != nil {
			t.Fatal(err)
		}
		ids[i] = s.ID
	}
	var wg sync.WaitGroup
	for _, id := range ids {
		wg.Go(func() {
			_, err := c.Cancel(ctx, id)
			var e *client.Error
			if err != nil && !(errors.As(err, &e) && e.Status == 409) {
				t.Errorf("cancel %s: %v, want 200 or 409", id, err)
			}
		})
	}
	wg.Wait()
	for _, id := range ids {
		j, err := c.Wait(ctx, id, client.WaitOptions{})
		if err != nil {
			t.Fatal(err)
		}
		switch j.Status {
		case qluster.JobCompleted:
			if _, err := c.Result(ctx, id); err != nil {
				t.Errorf("result of completed %s: %v", id, err)
			}
		case qluster.JobCancelled:
		default:
			t.Errorf("job %s ended %s (%s), want completed or cancelled", id, j.Status, j.Error)
		}
	}
}

func TestEvents(t *testing.T) {
	env := apitest.Start(t, apitest.Options{NoWorker: true})
	ctx := ctxT(t)
	c := newClient(t, env, env.AdminToken)
	s, err := c.Submit(ctx, client.SubmitRequest{Shots: intp(100), Circuits: []qluster.CircuitSpec{{QASM: bell}}})
	if err != nil {
		t.Fatal(err)
	}
	req, _ := http.NewRequestWithContext(ctx, "GET", env.URL+"/v1/jobs/"+s.ID+"/events", nil)
	req.Header.Set("Authorization", "Bearer "+env.AdminToken)
	resp, err := httpClient(t).Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "text/event-stream" {
		t.Fatalf("events = %d %q, want 200 text/event-stream", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	events := make(chan string, 16)
	go func() {
		defer close(events)
		buf := make([]byte, 1<<16)
		var pending string
		for {
			n, err := resp.Body.Read(buf)
			pending += string(buf[:n])
			for {
				i := strings.Index(pending, "\n\n")
				if i < 0 {
					break
				}
				events <- pending[:i]
				pending = pending[i+2:]
			}
			if err != nil {
				return
			}
		}
	}()
	next := func() map[string]any {
		t.Helper()
		for {
			select {
			case ev, ok := <-events:
				if !ok {
					t.Fatal("stream ended early")
				}
				if !strings.Contains(ev, "event: status") {
					continue
				}
				data := ev[strings.Index(ev, "data: ")+6:]
				var v any
				mustJSON(t, []byte(data), &v)
				if err := spec.validate(map[string]any{"$ref": "#/components/schemas/Job"}, v, "$"); err != nil {
					t.Errorf("event data does not match the Job schema: %v", err)
				}
				return v.(map[string]any)
			case <-time.After(10 * time.Second):
				t.Fatal("no event within 10 s")
			}
		}
	}
	if ev := next(); ev["status"] != "queued" {
		t.Errorf("first event status = %v, want queued", ev["status"])
	}
	jobs, err := env.Store.Lease(ctx, qluster.LeaseRequest{Worker: "w", Max: 1, TTL: time.Minute})
	if err != nil || len(jobs) != 1 {
		t.Fatal(err)
	}
	if ev := next(); ev["status"] != "running" {
		t.Errorf("second event status = %v, want running", ev["status"])
	}
	res := &qluster.JobResult{Results: []qluster.CircuitResult{{Shots: 100, Counts: map[string]int{"00": 100}, Engine: "test"}}}
	if err := env.Store.Complete(ctx, s.ID, "w", jobs[0].Attempt, res); err != nil {
		t.Fatal(err)
	}
	if ev := next(); ev["status"] != "completed" {
		t.Errorf("third event status = %v, want completed", ev["status"])
	}
	select {
	case _, ok := <-events:
		if ok {
			t.Error("stream sent more after the terminal status")
		}
	case <-time.After(5 * time.Second):
		t.Error("stream not closed after the terminal status")
	}
	t.Run("poll fallback", func(t *testing.T) {
		j, err := c.Wait(ctx, s.ID, client.WaitOptions{NoStream: true})
		if err != nil || j.Status != qluster.JobCompleted {
			t.Errorf("Wait(NoStream) = %v, %v; want completed", j, err)
		}
	})
	t.Run("missing job", func(t *testing.T) {
		_, err := c.Wait(ctx, "missing", client.WaitOptions{})
		wantAPIError(t, err, 404, qluster.ENOTFOUND)
	})
}

func TestBackends(t *testing.T) {
	env := apitest.Start(t, apitest.Options{NoWorker: true})
	ctx := ctxT(t)
	c := newClient(t, env, env.AdminToken)
	if _, err := c.Submit(ctx, client.SubmitRequest{Circuits: []qluster.CircuitSpec{{QASM: bell}}}); err != nil {
		t.Fatal(err)
	}
	list, err := c.Backends(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != 1 || list[0].Name != "sv" || list[0].NumQubits < 20 || list[0].QueueLength != 1 {
		t.Errorf("Backends = %+v, want sv with ≥ 20 qubits and 1 queued", list)
	}
	b, err := c.Backend(ctx, "sv")
	if err != nil || b.Name != "sv" || b.QueueLength != 1 {
		t.Errorf("Backend(sv) = %+v, %v", b, err)
	}
	_, err = c.Backend(ctx, "nope")
	wantAPIError(t, err, 404, qluster.ENOTFOUND)
	r := do(t, env, request{method: "GET", path: "/v1/backends?x=1", token: env.AdminToken})
	wantProblem(t, r, 400, qluster.EINVALID, `unknown query parameter "x"`)
}

func TestHealth(t *testing.T) {
	env := apitest.Start(t, apitest.Options{NoWorker: true})
	for _, path := range []string{"/healthz", "/readyz"} {
		if r := do(t, env, request{method: "GET", path: path}); r.status != 200 {
			t.Errorf("GET %s = %d %s, want 200", path, r.status, r.body)
		}
	}
	env.Store.Close()
	r := do(t, env, request{method: "GET", path: "/readyz"})
	p := wantProblem(t, r, 500, qluster.EINTERNAL, "internal error (request id ")
	if p.RequestID == "" || r.header.Get("X-Request-Id") != p.RequestID {
		t.Errorf("request id = %q, header %q; want equal and set", p.RequestID, r.header.Get("X-Request-Id"))
	}
}

func TestMetrics(t *testing.T) {
	env := apitest.Start(t, apitest.Options{})
	ctx := ctxT(t)
	c := newClient(t, env, env.AdminToken)
	s, err := c.Submit(ctx, client.SubmitRequest{Shots: intp(10), Circuits: []qluster.CircuitSpec{{QASM: bell}}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.Wait(ctx, s.ID, client.WaitOptions{}); err != nil {
		t.Fatal(err)
	}
	// The worker reports the finished job (JobFinished) just after storing
	// it, so a client can see it completed a moment before the histograms
	// count it.
	var body string
	for deadline := time.Now().Add(5 * time.Second); ; time.Sleep(10 * time.Millisecond) {
		body = string(do(t, env, request{method: "GET", path: "/metrics"}).body)
		if strings.Contains(body, `qluster_job_duration_seconds_count{backend="sv",status="completed"} 1`) || time.Now().After(deadline) {
			break
		}
	}
	for _, want := range []string{
		`qluster_jobs{status="completed"} 1`,
		`qluster_jobs{status="queued"} 0`,
		`qluster_store_up 1`,
		`qluster_jobs_submitted_total{backend="sv"} 1`,
		`qluster_http_request_duration_seconds_count{code="202",method="POST",route="POST /v1/jobs"} 1`,
		`qluster_job_duration_seconds_count{backend="sv",status="completed"} 1`,
		`qluster_job_queue_seconds_count{backend="sv"} 1`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("/metrics lacks %q", want)
		}
	}
}

func wantAPIError(t *testing.T, err error, status int, code string, fragments ...string) *client.Error {
	t.Helper()
	var e *client.Error
	if !errors.As(err, &e) {
		t.Fatalf("error = %v, want an API error %d %s", err, status, code)
	}
	if e.Status != status || e.Code != code {
		t.Errorf("error = %d %s (%s), want %d %s", e.Status, e.Code, e.Detail, status, code)
	}
	for _, f := range fragments {
		if !strings.Contains(e.Detail, f) {
			t.Errorf("detail %q lacks %q", e.Detail, f)
		}
	}
	return e
}

func jsonString(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

// TestCloseStreams ends open event streams (for a graceful shutdown); Wait
// then falls back to polling and still sees the job finish.
func TestCloseStreams(t *testing.T) {
	env := apitest.Start(t, apitest.Options{NoWorker: true})
	ctx := ctxT(t)
	c := newClient(t, env, env.AdminToken)
	s, err := c.Submit(ctx, client.SubmitRequest{Shots: intp(1), Circuits: []qluster.CircuitSpec{{QASM: bell}}})
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan *client.Job, 1)
	var mu sync.Mutex
	var seen []qluster.JobStatus
	go func() {
		j, err := c.Wait(ctx, s.ID, client.WaitOptions{PollInterval: 10 * time.Millisecond, OnStatus: func(j *client.Job) {
			mu.Lock()
			seen = append(seen, j.Status)
			mu.Unlock()
		}})
		if err != nil {
			t.Error(err)
		}
		done <- j
	}()
	for {
		mu.Lock()
		n := len(seen)
		mu.Unlock()
		if n > 0 {
			break
		}
		time.Sleep(time.Millisecond)
	}
	env.API.CloseStreams()
	if _, err := c.Cancel(ctx, s.ID); err != nil {
		t.Fatal(err)
	}
	select {
	case j := <-done:
		if j == nil || j.Status != qluster.JobCancelled {
			t.Errorf("Wait = %+v, want cancelled", j)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Wait did not return after the streams closed")
	}
}
