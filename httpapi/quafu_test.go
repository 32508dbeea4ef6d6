package httpapi_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/qluster/qluster"
	"github.com/qluster/qluster/httpapi"
	"github.com/qluster/qluster/httpapi/apitest"
	"github.com/qluster/qluster/store/sqlite"
)

// quafuReply is a decoded Quafu reply with its HTTP status.
type quafuReply struct {
	http int
	body map[string]any
	raw  string
}

// status returns the reply's Quafu status code.
func (r quafuReply) status() int {
	f, _ := r.body["status"].(float64)
	return int(f)
}

func (r quafuReply) str(key string) string {
	s, _ := r.body[key].(string)
	return s
}

// quafuPost sends a form POST as pyquafu does: the raw token in an
// api_token header.
func quafuPost(t testing.TB, env *apitest.Env, path, token string, form url.Values) quafuReply {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, env.URL+path, strings.NewReader(form.Encode()))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded;charset=UTF-8")
	if token != "" {
		req.Header.Set("api_token", token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("POST %s: %v", path, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	r := quafuReply{http: resp.StatusCode, raw: string(b)}
	if resp.StatusCode == http.StatusOK {
		if err := json.Unmarshal(b, &r.body); err != nil {
			t.Fatalf("POST %s: decoding %s: %v", path, b, err)
		}
	}
	return r
}

// wantQuafuError checks an error reply: HTTP 200 with the Quafu status
// code and a message holding every fragment.
func wantQuafuError(t testing.TB, r quafuReply, status int, fragments ...string) {
	t.Helper()
	if r.http != http.StatusOK || r.status() != status {
		t.Fatalf("reply = HTTP %d status %d, want HTTP 200 status %d\nbody: %s", r.http, r.status(), status, r.raw)
	}
	for _, f := range fragments {
		if !strings.Contains(r.str("message"), f) {
			t.Errorf("message = %q, want it to contain %q", r.str("message"), f)
		}
	}
}

func submitForm(qasm string, shots int, server string) url.Values {
	return url.Values{
		"qtasm": {qasm}, "shots": {itoa(shots)}, "qubits": {"2"}, "scan": {"0"}, "tomo": {"0"},
		"selected_server": {server}, "compile": {"1"}, "priority": {"2"}, "task_name": {"bell"},
		"pyquafu_version": {"0.4.5"}, "runtime_job_id": {""},
	}
}

// resLiteral is the only shape "res" may take: a dict literal of bit
// strings to decimal counts.
var resLiteral = regexp.MustCompile(`^\{("[01]*": [0-9]+(, "[01]*": [0-9]+)*)?\}$`)

// parseRes checks res against resLiteral and decodes it.
func parseRes(t testing.TB, res string) map[string]int {
	t.Helper()
	if !resLiteral.MatchString(res) {
		t.Fatalf("res = %q is not a plain literal of bit strings and counts", res)
	}
	var m map[string]int
	if err := json.Unmarshal([]byte(res), &m); err != nil {
		t.Fatalf("res %q: %v", res, err)
	}
	return m
}

func TestQuafuBackends(t *testing.T) {
	env := apitest.Start(t, apitest.Options{NoWorker: true})
	r := quafuPost(t, env, "/qbackend/get_backends/", env.AdminToken, nil)
	if r.status() != 200 || r.body["ok"] != true {
		t.Fatalf("reply = %s, want status 200 and ok", r.raw)
	}
	var data []struct {
		SystemName string   `json:"system_name"`
		SystemID   int      `json:"system_id"`
		Qubits     int      `json:"qubits"`
		Status     string   `json:"status"`
		QueuedLen  *int     `json:"queued_len"`
		ValidGates []string `json:"valid_gates"`
	}
	b, _ := json.Marshal(r.body["data"])
	mustJSON(t, b, &data)
	names := []string{}
	for i, d := range data {
		names = append(names, d.SystemName)
		if d.SystemID != i {
			t.Errorf("data[%d].system_id = %d, want %d", i, d.SystemID, i)
		}
		if d.Status != "Online" || d.Qubits <= 0 || d.QueuedLen == nil {
			t.Errorf("data[%d] = %+v, want Online, qubits > 0 and queued_len", i, d)
		}
		for _, g := range []string{"cx", "h", "rz", "barrier"} {
			if !strings.Contains(","+strings.Join(d.ValidGates, ",")+",", ","+g+",") {
				t.Errorf("data[%d].valid_gates = %v, want %s in it", i, d.ValidGates, g)
			}
		}
	}
	if got, want := strings.Join(names, ","), httpapi.QuafuAlias+",sv"; got != want {
		t.Errorf("system names = %s, want %s (alias first: pyquafu's default)", got, want)
	}
}

func TestQuafuAuth(t *testing.T) {
	env := apitest.Start(t, apitest.Options{NoWorker: true})
	tests := []struct {
		name, token, want string
		header            map[string]string
	}{
		{name: "missing api_token", want: "missing api_token"},
		{name: "unknown token", token: "qlt_" + strings.Repeat("a", 43), want: "invalid or revoked"},
		{name: "malformed token", token: "not-a-token", want: "malformed token"},
		{name: "Bearer header alone is not enough", header: map[string]string{"Authorization": "Bearer " + env.AdminToken}, want: "missing api_token"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req, _ := http.NewRequest(http.MethodPost, env.URL+"/qbackend/get_backends/", nil)
			if tt.token != "" {
				req.Header.Set("api_token", tt.token)
			}
			for k, v := range tt.header {
				req.Header.Set(k, v)
			}
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			b, _ := io.ReadAll(resp.Body)
			var body map[string]any
			mustJSON(t, b, &body)
			wantQuafuError(t, quafuReply{http: resp.StatusCode, body: body, raw: string(b)}, httpapi.QuafuUnauthorized, tt.want)
		})
	}
}

func TestQuafuRouting(t *testing.T) {
	env := apitest.Start(t, apitest.Options{NoWorker: true})
	tests := []struct {
		name, method, path string
		want               int
	}{
		{"GET is not allowed", http.MethodGet, "/qbackend/get_backends/", http.StatusMethodNotAllowed},
		{"path below a route is unknown", http.MethodPost, "/qbackend/get_backends/x", http.StatusNotFound},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req, _ := http.NewRequest(tt.method, env.URL+tt.path, nil)
			req.Header.Set("api_token", env.AdminToken)
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != tt.want {
				t.Errorf("%s %s = %d, want %d", tt.method, tt.path, resp.StatusCode, tt.want)
			}
		})
	}
	if routes := strings.Join(env.API.Routes(), "\n"); strings.Contains(routes, "qbackend") {
		t.Errorf("Routes() = %s, want no Quafu route (they are outside REST v1)", routes)
	}
}

func TestQuafuChipInfo(t *testing.T) {
	env := apitest.Start(t, apitest.Options{NoWorker: true})
	for _, name := range []string{"scq-p10", "sv", "SV"} {
		t.Run(name, func(t *testing.T) {
			r := quafuPost(t, env, "/qbackend/scq_get_chip_info/", env.AdminToken, url.Values{"system_name": {name}})
			topo, ok := r.body["topological_structure"].(map[string]any)
			if !ok || len(topo) == 0 || r.str("calibration_time") == "" {
				t.Fatalf("reply = %.300s, want calibration_time and a topological_structure", r.raw)
			}
			edge := regexp.MustCompile(`^Q[0-9]+_Q[0-9]+$`)
			for k, v := range topo {
				if !edge.MatchString(k) {
					t.Errorf("edge %q, want Qnn_Qnn", k)
				}
				fid := v.(map[string]any)["cx"].(map[string]any)["fidelity"].(float64)
				if fid != 1 {
					t.Errorf("edge %s fidelity = %g, want 1 on an ideal simulator", k, fid)
				}
			}
			if _, ok := topo["Q00_Q01"]; !ok {
				t.Errorf("no edge Q00_Q01 on an all-to-all simulator")
			}
		})
	}
	t.Run("unknown system", func(t *testing.T) {
		r := quafuPost(t, env, "/qbackend/scq_get_chip_info/", env.AdminToken, url.Values{"system_name": {"nope"}})
		wantQuafuError(t, r, httpapi.QuafuBadRequest, `unknown system_name "nope"`)
	})
}

func TestQuafuSubmit(t *testing.T) {
	env := apitest.Start(t, apitest.Options{})
	tests := []struct {
		name, qasm string
		want       map[string]bool // possible res keys
		fixed      string          // the only key, when deterministic
	}{
		{name: "bell", qasm: bell, want: map[string]bool{"00": true, "11": true}},
		{name: "c[0] is leftmost", qasm: "OPENQASM 2.0;\ninclude \"qelib1.inc\";\nqreg q[2];\ncreg c[2];\nx q[0];\nmeasure q[0] -> c[0];\nmeasure q[1] -> c[1];\n", fixed: "10"},
		{name: "only measured clbits", qasm: "OPENQASM 2.0;\ninclude \"qelib1.inc\";\nqreg q[2];\ncreg c[3];\nx q[1];\nmeasure q[1] -> c[2];\n", fixed: "1"},
		{name: "registers in declaration order", qasm: "OPENQASM 2.0;\ninclude \"qelib1.inc\";\nqreg q[2];\ncreg a[1];\ncreg b[1];\nx q[1];\nmeasure q[0] -> a[0];\nmeasure q[1] -> b[0];\n", fixed: "01"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := quafuPost(t, env, "/qbackend/scq_kit/", env.AdminToken, submitForm(tt.qasm, 500, "1"))
			if r.status() != httpapi.QuafuCompleted {
				t.Fatalf("status = %d, want %d (completed)\nbody: %s", r.status(), httpapi.QuafuCompleted, r.raw)
			}
			if r.str("task_id") == "" || r.str("task_name") != "bell" || r.str("openqasm") != tt.qasm {
				t.Errorf("reply = %s, want task_id, task_name bell and the submitted openqasm", r.raw)
			}
			res := parseRes(t, r.str("res"))
			total := 0
			for k, n := range res {
				total += n
				if tt.fixed != "" && k != tt.fixed || tt.fixed == "" && !tt.want[k] {
					t.Errorf("res key %q, want %v%v", k, tt.fixed, tt.want)
				}
			}
			if total != 500 {
				t.Errorf("res %v sums to %d, want 500", res, total)
			}
		})
	}
}

func TestQuafuAsyncAndRecall(t *testing.T) {
	env := apitest.Start(t, apitest.Options{NoWorker: true})
	r := quafuPost(t, env, "/qbackend/scq_kit_asyc/", env.AdminToken, submitForm(bell, 100, httpapi.QuafuAlias))
	id := r.str("task_id")
	if r.status() != httpapi.QuafuInQueue || id == "" || r.str("res") != "{}" {
		t.Fatalf("reply = %s, want status 0 (in queue), a task_id and res {}", r.raw)
	}
	recall := func() quafuReply {
		return quafuPost(t, env, "/qbackend/scq_task_recall/", env.AdminToken, url.Values{"task_id": {id}})
	}
	if r := recall(); r.status() != httpapi.QuafuInQueue || r.str("res") != "{}" {
		t.Errorf("recall before a worker = %s, want status 0 and res {}", r.raw)
	}
	env.StartWorker()
	deadline := time.Now().Add(10 * time.Second)
	for {
		r = recall()
		if r.status() == httpapi.QuafuCompleted || time.Now().After(deadline) {
			break
		}
		time.Sleep(10 * time.Millisecond)
	}
	if r.status() != httpapi.QuafuCompleted {
		t.Fatalf("recall = %s, want status 2 within 10 s", r.raw)
	}
	if res := parseRes(t, r.str("res")); res["00"]+res["11"] != 100 {
		t.Errorf("res = %v, want 100 shots over 00 and 11", res)
	}

	t.Run("another user cannot see it", func(t *testing.T) {
		_, tok := env.NewUser("bob", false, qluster.Limits{})
		r := quafuPost(t, env, "/qbackend/scq_task_recall/", tok, url.Values{"task_id": {id}})
		wantQuafuError(t, r, httpapi.QuafuBadRequest, "not found")
	})
}

func TestQuafuTaskStatuses(t *testing.T) {
	env := apitest.Start(t, apitest.Options{NoWorker: true})
	ctx := context.Background()
	submit := func() string {
		r := quafuPost(t, env, "/qbackend/scq_kit_asyc/", env.AdminToken, submitForm(bell, 10, "sv"))
		if r.str("task_id") == "" {
			t.Fatalf("submit = %s", r.raw)
		}
		return r.str("task_id")
	}
	recall := func(id string) int {
		return quafuPost(t, env, "/qbackend/scq_task_recall/", env.AdminToken, url.Values{"task_id": {id}}).status()
	}
	lease := func() *qluster.Job {
		jobs, err := env.Store.Lease(ctx, qluster.LeaseRequest{Worker: "w", TTL: time.Minute})
		if err != nil || len(jobs) != 1 {
			t.Fatalf("lease = %v, %v", jobs, err)
		}
		return jobs[0]
	}
	t.Run("running is 1, failed is 4", func(t *testing.T) {
		id := submit()
		j := lease()
		if got := recall(id); got != httpapi.QuafuRunning {
			t.Errorf("running: status = %d, want 1", got)
		}
		if err := env.Store.Fail(ctx, j.ID, "w", j.Attempt, "boom"); err != nil {
			t.Fatal(err)
		}
		if got := recall(id); got != httpapi.QuafuFailed {
			t.Errorf("failed: status = %d, want 4", got)
		}
	})
	t.Run("requeued after a lost lease is 5", func(t *testing.T) {
		id := submit()
		j := lease()
		if err := env.Store.Release(ctx, j.ID, "w", j.Attempt); err != nil {
			t.Fatal(err)
		}
		if got := recall(id); got != httpapi.QuafuPending {
			t.Errorf("requeued: status = %d, want 5", got)
		}
		if _, err := env.Store.CancelJob(ctx, id); err != nil {
			t.Fatal(err)
		}
		if got := recall(id); got != httpapi.QuafuCanceled {
			t.Errorf("cancelled: status = %d, want 3", got)
		}
	})
}

func TestQuafuSyncFailures(t *testing.T) {
	env := apitest.Start(t, apitest.Options{NoWorker: true})
	t.Run("timeout is a ServerError naming the task", func(t *testing.T) {
		defer httpapi.SetQuafuSyncTimeout(50 * time.Millisecond)()
		r := quafuPost(t, env, "/qbackend/scq_kit/", env.AdminToken, submitForm(bell, 10, "sv"))
		wantQuafuError(t, r, httpapi.QuafuServerError, "did not finish within 50ms", "Task.retrieve(")
		if _, err := env.Store.CancelJob(context.Background(), strings.Split(strings.Split(r.str("message"), "task ")[1], " ")[0]); err != nil {
			t.Errorf("cancelling the task the message names: %v", err)
		}
	})
	t.Run("failed job is a CompileError", func(t *testing.T) {
		var (
			wg sync.WaitGroup
			r  quafuReply
		)
		wg.Add(1)
		go func() {
			defer wg.Done()
			r = quafuPost(t, env, "/qbackend/scq_kit/", env.AdminToken, submitForm(bell, 10, "sv"))
		}()
		ctx := context.Background()
		var jobs []*qluster.Job
		for deadline := time.Now().Add(10 * time.Second); len(jobs) == 0 && time.Now().Before(deadline); {
			var err error
			if jobs, err = env.Store.Lease(ctx, qluster.LeaseRequest{Worker: "w", TTL: time.Minute}); err != nil {
				t.Fatal(err)
			}
			time.Sleep(5 * time.Millisecond)
		}
		if len(jobs) != 1 {
			t.Fatalf("leased %d jobs, want 1", len(jobs))
		}
		if err := env.Store.Fail(ctx, jobs[0].ID, "w", jobs[0].Attempt, "transpile: no route"); err != nil {
			t.Fatal(err)
		}
		wg.Wait()
		wantQuafuError(t, r, httpapi.QuafuCompileError, "failed: transpile: no route")
	})
}

func TestQuafuErrors(t *testing.T) {
	env := apitest.Start(t, apitest.Options{NoWorker: true})
	_, limited := env.NewUser("limited", false, qluster.Limits{MaxConcurrentJobs: 1})
	_, slow := env.NewUser("slow", false, qluster.Limits{RatePerSecond: 0.001, RateBurst: 1})
	form := func(edit func(url.Values)) url.Values {
		f := submitForm(bell, 10, "sv")
		edit(f)
		return f
	}
	tests := []struct {
		name, path, token string
		form              url.Values
		before            func()
		status            int
		fragments         []string
	}{
		{name: "QASM syntax error is a CircuitError with its line", path: "scq_kit_asyc", form: form(func(f url.Values) {
			f.Set("qtasm", "OPENQASM 2.0;\ninclude \"qelib1.inc\";\nqreg q[2];\nfoo q[0];\n")
		}), status: httpapi.QuafuCircuitError, fragments: []string{"bell:4:"}},
		{name: "empty circuit is a CircuitError", path: "scq_kit", form: form(func(f url.Values) { f.Set("qtasm", " ") }), status: httpapi.QuafuCircuitError, fragments: []string{"qtasm is empty"}},
		{name: "too wide is a CircuitError", path: "scq_kit_asyc", form: form(func(f url.Values) {
			f.Set("qtasm", "OPENQASM 2.0;\ninclude \"qelib1.inc\";\nqreg q[200];\nt q[0];\n")
		}), status: httpapi.QuafuCircuitError, fragments: []string{"200"}},
		{name: "unknown server", path: "scq_kit", form: form(func(f url.Values) { f.Set("selected_server", "42") }), status: httpapi.QuafuBadRequest, fragments: []string{`unknown selected_server "42"`, "sv (1)"}},
		{name: "tomography", path: "scq_kit", form: form(func(f url.Values) { f.Set("tomo", "1") }), status: httpapi.QuafuBadRequest, fragments: []string{"not supported"}},
		{name: "shots not a number", path: "scq_kit", form: form(func(f url.Values) { f.Set("shots", "many") }), status: httpapi.QuafuBadRequest, fragments: []string{`"shots" must be an integer`}},
		{name: "negative shots", path: "scq_kit", form: form(func(f url.Values) { f.Set("shots", "-5") }), status: httpapi.QuafuBadRequest, fragments: []string{"shots"}},
		{name: "compile out of range", path: "scq_kit", form: form(func(f url.Values) { f.Set("compile", "7") }), status: httpapi.QuafuBadRequest, fragments: []string{"compile"}},
		{name: "repeated field", path: "scq_kit", form: form(func(f url.Values) { f.Add("shots", "3") }), status: httpapi.QuafuBadRequest, fragments: []string{`"shots" given 2 times`}},
		{name: "recall without id", path: "scq_task_recall", form: url.Values{}, status: httpapi.QuafuBadRequest, fragments: []string{"task_id"}},
		{name: "recall unknown id", path: "scq_task_recall", form: url.Values{"task_id": {"0190a0a0-0000-7000-8000-000000000000"}}, status: httpapi.QuafuBadRequest, fragments: []string{"not found"}},
		{name: "concurrent-job limit is busy", path: "scq_kit_asyc", token: limited, form: form(func(url.Values) {}),
			before: func() { quafuPost(t, env, "/qbackend/scq_kit_asyc/", limited, submitForm(bell, 10, "sv")) },
			status: httpapi.QuafuBusy, fragments: []string{"jobs queued or running"}},
		{name: "rate limit is busy", path: "get_backends", token: slow,
			before: func() { quafuPost(t, env, "/qbackend/get_backends/", slow, nil) },
			status: httpapi.QuafuBusy, fragments: []string{"request rate"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.before != nil {
				tt.before()
			}
			tok := tt.token
			if tok == "" {
				tok = env.AdminToken
			}
			r := quafuPost(t, env, "/qbackend/"+tt.path+"/", tok, tt.form)
			wantQuafuError(t, r, tt.status, tt.fragments...)
		})
	}
	t.Run("internal error shows only the request id", func(t *testing.T) {
		env := apitest.Start(t, apitest.Options{NoWorker: true})
		// Warm the token cache, if any, then break the store.
		quafuPost(t, env, "/qbackend/get_backends/", env.AdminToken, nil)
		env.Store.Close()
		r := quafuPost(t, env, "/qbackend/get_backends/", env.AdminToken, nil)
		wantQuafuError(t, r, httpapi.QuafuServerError, "internal error (request id")
	})
}

// TestQuafuResLiteral checks that res is built only from bits and counts:
// hostile names in the circuit or task never reach it, and counts keys that
// are not bit strings are refused rather than escaped.
func TestQuafuResLiteral(t *testing.T) {
	const two = "OPENQASM 2.0;\nqreg q[2];\ncreg c[2];\nmeasure q[0] -> c[0];\nmeasure q[1] -> c[1];\n"
	tests := []struct {
		name    string
		src     string
		counts  map[string]int
		want    string
		wantErr string
	}{
		{"sorted and reversed", two, map[string]int{"01": 3, "10": 4, "00": 1}, `{"00": 1, "01": 4, "10": 3}`, ""},
		{"empty", two, map[string]int{}, `{}`, ""},
		{"merges unmeasured bits", "OPENQASM 2.0;\nqreg q[1];\ncreg c[2];\nmeasure q[0] -> c[1];\n", map[string]int{"10": 2, "11": 3, "00": 5}, `{"0": 5, "1": 5}`, ""},
		{"code in a key", two, map[string]int{`__import__("os").system("id")`: 1}, "", "bits"},
		{"quote in a key", two, map[string]int{`0"`: 1}, "", "not a bit string"},
		{"digits other than 0 and 1", two, map[string]int{"12": 1}, "", "not a bit string"},
		{"negative count", two, map[string]int{"00": -1}, "", "negative"},
		{"bad circuit", "OPENQASM 2.0;\nqreg", map[string]int{"00": 1}, "", "parsing"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := httpapi.QuafuRes(tt.src, tt.counts)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Errorf("QuafuRes = %q, %v; want an error containing %q", got, err, tt.wantErr)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Errorf("QuafuRes = %q, %v; want %q", got, err, tt.want)
			}
		})
	}

	t.Run("hostile names over HTTP", func(t *testing.T) {
		env := apitest.Start(t, apitest.Options{})
		hostile := `"}); __import__('os').system('touch /tmp/pwned') #`
		src := "OPENQASM 2.0;\ninclude \"qelib1.inc\";\nqreg evil__import__[2];\ncreg os_system_x[2];\nh evil__import__[0];\nmeasure evil__import__ -> os_system_x;\n"
		f := submitForm(src, 50, "sv")
		f.Set("task_name", hostile)
		r := quafuPost(t, env, "/qbackend/scq_kit/", env.AdminToken, f)
		if r.status() != httpapi.QuafuCompleted || r.str("task_name") != hostile {
			t.Fatalf("reply = %s, want completed with the task name kept as data", r.raw)
		}
		parseRes(t, r.str("res"))
	})
}

// staticBackends is a fixed backend list.
type staticBackends []qluster.BackendInfo

func (s staticBackends) List() []qluster.BackendInfo { return s }

// miniCalibration is a 4-qubit chip in Qluster's device schema v1: qubit 2
// unusable, an undirected and a directed edge.
const miniCalibration = `{"schema":"qluster.device/v1","name":"mini","calibration_time":"2025-01-02T03:04:05Z",
"basis":["cz","rz","sx","x"],
"qubits":[{"name":"Q0101","t1_us":80,"t2_us":60},{"name":"Q0102","t1_us":80,"t2_us":60},{"name":"Q0103","usable":false},{"name":"Q0104","t1_us":80,"t2_us":60}],
"edges":[{"a":0,"b":1,"gate":"cz","error":0.03},{"a":1,"b":3,"gate":"cz","error":0.25,"directed":true}]}`

func TestQuafuChipFromCalibration(t *testing.T) {
	db, err := sqlite.Open(context.Background(), sqlite.Options{Path: filepath.Join(t.TempDir(), "q.db")})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	chip := qluster.BackendInfo{Name: "mini", Kind: qluster.BackendChip, Status: qluster.BackendOnline, NumQubits: 3,
		Basis: []string{"cz", "rz", "sx", "x"}, CouplingMap: [][2]int{{0, 1}, {1, 0}, {1, 3}}, Calibration: json.RawMessage(miniCalibration)}
	big := qluster.BackendInfo{Name: "big", Kind: qluster.BackendChip, Status: qluster.BackendOnline, NumQubits: 100,
		Basis: []string{"cx"}, CouplingMap: [][2]int{{5, 6}}}
	sv := qluster.BackendInfo{Name: "sv", Kind: qluster.BackendSimulator, Status: qluster.BackendOnline, NumQubits: 20}
	api := httpapi.New(httpapi.Options{Store: db, Backends: staticBackends{big, chip, sv}})
	srv := httptest.NewServer(api)
	defer srv.Close()
	_, secret := mustUser(t, db)
	env := &apitest.Env{URL: srv.URL}

	r := quafuPost(t, env, "/qbackend/get_backends/", secret, nil)
	var names []string
	for _, d := range r.body["data"].([]any) {
		m := d.(map[string]any)
		names = append(names, m["system_name"].(string)+"="+m["backend"].(string))
	}
	if got, want := strings.Join(names, ","), "ScQ-P10=mini,big=big,mini=mini,sv=sv"; got != want {
		t.Errorf("backends = %s, want %s (the alias is the chip closest to 10 qubits)", got, want)
	}

	tests := []struct {
		system string
		want   map[string]float64
	}{
		{"mini", map[string]float64{"Q0101_Q0102": 0.97, "Q0102_Q0101": 0.97, "Q0102_Q0104": 0.75}},
		{"scq-p10", map[string]float64{"Q0101_Q0102": 0.97, "Q0102_Q0101": 0.97, "Q0102_Q0104": 0.75}},
		{"big", map[string]float64{"Q05_Q06": 1}},
	}
	for _, tt := range tests {
		t.Run(tt.system, func(t *testing.T) {
			r := quafuPost(t, env, "/qbackend/scq_get_chip_info/", secret, url.Values{"system_name": {tt.system}})
			var info struct {
				CalibrationTime string                                   `json:"calibration_time"`
				Topology        map[string]map[string]map[string]float64 `json:"topological_structure"`
			}
			mustJSON(t, []byte(r.raw), &info)
			got := map[string]float64{}
			for k, v := range info.Topology {
				for _, g := range v {
					got[k] = math.Round(g["fidelity"]*1e9) / 1e9
				}
			}
			if fmt.Sprint(got) != fmt.Sprint(tt.want) {
				t.Errorf("topological_structure = %v, want %v", got, tt.want)
			}
			if tt.system == "mini" && info.CalibrationTime != "2025-01-02 03:04:05" {
				t.Errorf("calibration_time = %q, want 2025-01-02 03:04:05", info.CalibrationTime)
			}
		})
	}
}

// mustUser creates a user with a token in db.
func mustUser(t *testing.T, db *sqlite.DB) (*qluster.User, string) {
	t.Helper()
	ctx := context.Background()
	u, err := db.CreateUser(ctx, &qluster.User{Name: "u"})
	if err != nil {
		t.Fatal(err)
	}
	secret, hash, prefix, err := qluster.GenerateToken()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.CreateToken(ctx, &qluster.Token{UserID: u.ID, Name: "t", Hash: hash, Prefix: prefix}); err != nil {
		t.Fatal(err)
	}
	return u, secret
}
