package main

import (
	"bufio"
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	ql "github.com/qluster/qluster"
	"github.com/qluster/qluster/store/sqlite"
)

const serveBell = `OPENQASM 2.0;
include "qelib1.inc";
qreg q[2];
creg c[2];
h q[0];
cx q[0],q[1];
measure q -> c;
`

// ghzAfterRoundTrip returns an n-qubit circuit that applies layers of
// non-Clifford gates, undoes them, then prepares and measures a GHZ state:
// slow on the state vector, yet its only outcomes are all zeros and all
// ones.
func ghzAfterRoundTrip(n, layers int) string {
	var fw []string
	for range layers {
		for i := range n {
			fw = append(fw, fmt.Sprintf("h q[%d];", i), fmt.Sprintf("t q[%d];", i))
		}
		for i := 0; i+1 < n; i++ {
			fw = append(fw, fmt.Sprintf("cx q[%d],q[%d];", i, i+1))
		}
	}
	var b strings.Builder
	fmt.Fprintf(&b, "OPENQASM 2.0;\ninclude \"qelib1.inc\";\nqreg q[%d];\ncreg c[%d];\n", n, n)
	for _, g := range fw {
		b.WriteString(g + "\n")
	}
	for i := len(fw) - 1; i >= 0; i-- {
		b.WriteString(strings.Replace(fw[i], "t q", "tdg q", 1) + "\n")
	}
	b.WriteString("h q[0];\n")
	for i := 0; i+1 < n; i++ {
		fmt.Fprintf(&b, "cx q[%d],q[%d];\n", i, i+1)
	}
	b.WriteString("measure q -> c;\n")
	return b.String()
}

// buildQluster builds the binary into a test directory.
func buildQluster(t *testing.T) string {
	t.Helper()
	if testing.Short() {
		t.Skip("builds and starts the binary")
	}
	bin := filepath.Join(t.TempDir(), "qluster")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// serveStore is a store the e2e tests run against.
type serveStore struct {
	name string
	url  string // PostgreSQL URL; "" for SQLite
}

// serveStores returns SQLite and, when QLUSTER_TEST_DATABASE_URL is set,
// PostgreSQL. On CI (CI=true) a missing PostgreSQL URL fails the test.
func serveStores(t *testing.T) []serveStore {
	t.Helper()
	stores := []serveStore{{name: "sqlite"}}
	url := os.Getenv("QLUSTER_TEST_DATABASE_URL")
	if url == "" {
		if os.Getenv("CI") == "true" {
			t.Fatal("CI=true but QLUSTER_TEST_DATABASE_URL is unset: CI must test PostgreSQL (see store/postgres/README.md)")
		}
		t.Log("QLUSTER_TEST_DATABASE_URL is unset: skipping PostgreSQL (see store/postgres/README.md)")
		return stores
	}
	return append(stores, serveStore{name: "postgres", url: url})
}

// env returns the environment that points serve at a fresh, empty store:
// nothing for SQLite (the data directory holds it), a new schema, dropped
// at cleanup, for PostgreSQL.
func (st serveStore) env(t *testing.T) []string {
	t.Helper()
	if st.url == "" {
		return nil
	}
	var b [6]byte
	rand.Read(b[:])
	schema := "qluster_test_serve_" + hex.EncodeToString(b[:])
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		conn, err := pgx.Connect(ctx, st.url)
		if err != nil {
			t.Errorf("drop schema: %v", err)
			return
		}
		defer conn.Close(ctx)
		if _, err := conn.Exec(ctx, "DROP SCHEMA IF EXISTS "+pgx.Identifier{schema}.Sanitize()+" CASCADE"); err != nil {
			t.Errorf("drop schema %s: %v", schema, err)
		}
	})
	return []string{"QLUSTER_DATABASE_URL=" + st.url, "QLUSTER_DATABASE_SCHEMA=" + schema}
}

// serveProc is a running `qluster serve`.
type serveProc struct {
	t       *testing.T
	cmd     *exec.Cmd
	url     string
	dataDir string
	token   string
	done    chan struct{}
	mu      sync.Mutex
	log     bytes.Buffer
}

// startServe starts bin serve on a free port with dataDir and extra
// environment, and waits until it listens.
func startServe(t *testing.T, bin, dataDir string, env []string, args ...string) *serveProc {
	t.Helper()
	cmd := exec.Command(bin, append([]string{"serve", "--addr", "127.0.0.1:0", "--data-dir", dataDir}, args...)...)
	cmd.Env = append(append(os.Environ(), "QLUSTER_LOG_LEVEL=info"), env...)
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	p := &serveProc{t: t, cmd: cmd, dataDir: dataDir, done: make(chan struct{})}
	addr := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stderr)
		sc.Buffer(make([]byte, 1<<20), 1<<20)
		for sc.Scan() {
			line := sc.Bytes()
			p.mu.Lock()
			p.log.Write(line)
			p.log.WriteByte('\n')
			p.mu.Unlock()
			var m struct{ Msg, Addr string }
			if json.Unmarshal(line, &m) == nil && m.Msg == "listening" {
				addr <- m.Addr
			}
		}
		io.Copy(io.Discard, stderr)
		cmd.Wait()
		close(p.done)
	}()
	t.Cleanup(func() {
		select {
		case <-p.done:
		default:
			cmd.Process.Kill()
			<-p.done
		}
		if t.Failed() {
			t.Logf("server log:\n%s", p.logText())
		}
	})
	select {
	case a := <-addr:
		p.url = "http://" + a
	case <-p.done:
		t.Fatalf("qluster serve exited before listening:\n%s", p.logText())
	case <-time.After(60 * time.Second):
		t.Fatalf("qluster serve did not listen within 60s:\n%s", p.logText())
	}
	tok, err := os.ReadFile(filepath.Join(dataDir, "admin.token"))
	if err != nil {
		t.Fatalf("admin token: %v", err)
	}
	p.token = strings.TrimSpace(string(tok))
	return p
}

func (p *serveProc) logText() string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.log.String()
}

// stop sends sig and waits for the process to exit; it returns the exit
// status.
func (p *serveProc) stop(sig syscall.Signal, timeout time.Duration) int {
	p.t.Helper()
	p.cmd.Process.Signal(sig)
	select {
	case <-p.done:
	case <-time.After(timeout):
		p.t.Fatalf("qluster serve did not exit within %s of %v:\n%s", timeout, sig, p.logText())
	}
	return p.cmd.ProcessState.ExitCode()
}

// call sends a JSON request with the admin token and decodes a JSON answer
// into out; it returns the status. A 429 is retried after its Retry-After.
func (p *serveProc) call(method, path string, body, out any) int {
	p.t.Helper()
	var raw []byte
	if body != nil {
		raw, _ = json.Marshal(body)
	}
	var resp *http.Response
	for range 30 {
		req, _ := http.NewRequest(method, p.url+path, bytes.NewReader(raw))
		req.Header.Set("Authorization", "Bearer "+p.token)
		req.Header.Set("Content-Type", "application/json")
		var err error
		if resp, err = http.DefaultClient.Do(req); err != nil {
			p.t.Fatalf("%s %s: %v", method, path, err)
		}
		if resp.StatusCode != http.StatusTooManyRequests {
			break
		}
		resp.Body.Close()
		wait, _ := time.ParseDuration(resp.Header.Get("Retry-After") + "s")
		time.Sleep(max(wait, 100*time.Millisecond))
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if out != nil && resp.StatusCode/100 == 2 {
		if err := json.Unmarshal(b, out); err != nil {
			p.t.Fatalf("%s %s: bad JSON %q: %v", method, path, b, err)
		}
	}
	return resp.StatusCode
}

// serveJob is what the tests read of GET /v1/jobs/{id}.
type serveJob struct {
	ID          string `json:"id"`
	Status      string `json:"status"`
	Attempt     int    `json:"attempt"`
	Error       string `json:"error"`
	MaxAttempts int    `json:"max_attempts"`
}

// serveResult is what the tests read of GET /v1/jobs/{id}/result.
type serveResult struct {
	Results []struct {
		Shots  int            `json:"shots"`
		Counts map[string]int `json:"counts"`
		Engine string         `json:"engine"`
		Seed   uint64         `json:"seed"`
	} `json:"results"`
}

func (p *serveProc) submit(qasm string, shots int) string {
	p.t.Helper()
	var r struct{ ID string }
	body := map[string]any{"backend": "sv", "shots": shots, "circuits": []map[string]string{{"qasm": qasm}}}
	if code := p.call("POST", "/v1/jobs", body, &r); code != http.StatusAccepted || r.ID == "" {
		p.t.Fatalf("submit: status %d, id %q; want 202 and an id", code, r.ID)
	}
	return r.ID
}

func (p *serveProc) job(id string) serveJob {
	p.t.Helper()
	var j serveJob
	if code := p.call("GET", "/v1/jobs/"+id, nil, &j); code != http.StatusOK {
		p.t.Fatalf("GET job %s: status %d", id, code)
	}
	return j
}

// waitTerminal polls the job list until every job in ids is completed,
// failed or cancelled, and returns them.
func (p *serveProc) waitTerminal(ids []string, timeout time.Duration) map[string]serveJob {
	p.t.Helper()
	deadline := time.Now().Add(timeout)
	for {
		out := make(map[string]serveJob)
		for _, j := range p.jobs() {
			if j.Status == "completed" || j.Status == "failed" || j.Status == "cancelled" {
				out[j.ID] = j
			}
		}
		n := 0
		for _, id := range ids {
			if _, ok := out[id]; ok {
				n++
			}
		}
		if n == len(ids) {
			return out
		}
		if time.Now().After(deadline) {
			p.t.Fatalf("%d of %d jobs finished within %s", n, len(ids), timeout)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// jobs lists up to 1000 jobs.
func (p *serveProc) jobs() []serveJob {
	p.t.Helper()
	var list struct {
		Jobs []serveJob `json:"jobs"`
	}
	if code := p.call("GET", "/v1/jobs?limit=1000", nil, &list); code != http.StatusOK {
		p.t.Fatalf("list jobs: status %d", code)
	}
	return list.Jobs
}

// checkGHZ checks that a result has only the all-zeros and all-ones
// outcomes of n bits, summing to shots.
func checkGHZ(t *testing.T, id string, r serveResult, n, shots int) {
	t.Helper()
	zeros, ones := strings.Repeat("0", n), strings.Repeat("1", n)
	if len(r.Results) != 1 {
		t.Errorf("job %s: %d results, want 1", id, len(r.Results))
		return
	}
	c := r.Results[0].Counts
	if c[zeros]+c[ones] != shots || len(c) > 2 {
		t.Errorf("job %s: counts %v, want only %s and %s summing to %d", id, c, zeros, ones, shots)
	}
}

func TestServeEndToEnd(t *testing.T) {
	bin := buildQluster(t)
	for _, st := range serveStores(t) {
		t.Run(st.name, func(t *testing.T) {
			dir, env := filepath.Join(t.TempDir(), "data"), st.env(t)
			p := startServe(t, bin, dir, env)
			fi, err := os.Stat(filepath.Join(dir, "admin.token"))
			if err != nil || fi.Mode().Perm() != 0o600 {
				t.Fatalf("admin.token: mode %v (%v), want 0600", fi.Mode().Perm(), err)
			}
			if !strings.HasPrefix(p.token, "qlt_") {
				t.Errorf("admin token %q, want qlt_…", p.token)
			}
			if code := p.call("GET", "/readyz", nil, nil); code != http.StatusOK {
				t.Errorf("GET /readyz: %d, want 200", code)
			}
			id := p.submit(serveBell, 1000)
			if j := p.waitTerminal([]string{id}, 30*time.Second)[id]; j.Status != "completed" {
				t.Fatalf("job %s: %+v, want completed", id, j)
			}
			var r serveResult
			if code := p.call("GET", "/v1/jobs/"+id+"/result", nil, &r); code != http.StatusOK {
				t.Fatalf("GET result: %d", code)
			}
			checkGHZ(t, id, r, 2, 1000)
			if r.Results[0].Engine == "" || r.Results[0].Seed == 0 {
				t.Errorf("result %+v: want the engine and the seed picked", r.Results[0])
			}
			if code := p.stop(syscall.SIGTERM, 30*time.Second); code != 0 {
				t.Errorf("exit status after SIGTERM: %d, want 0", code)
			}

			// A restart keeps the admin token and the job.
			q := startServe(t, bin, dir, env)
			if q.token != p.token {
				t.Errorf("admin token changed on restart")
			}
			if j := q.job(id); j.Status != "completed" {
				t.Errorf("after restart job is %s, want completed", j.Status)
			}
			q.stop(syscall.SIGTERM, 30*time.Second)
		})
	}
}

func TestServeGracefulShutdown(t *testing.T) {
	bin := buildQluster(t)
	slow := ghzAfterRoundTrip(20, 6) // a few seconds
	for _, st := range serveStores(t) {
		t.Run(st.name, func(t *testing.T) {
			t.Run("running job past the grace period goes back to the queue", func(t *testing.T) {
				dir, env := filepath.Join(t.TempDir(), "data"), st.env(t)
				p := startServe(t, bin, dir, env, "--workers", "1", "--grace-period", "100ms")
				ids := []string{p.submit(slow, 10), p.submit(slow, 10)}
				waitStatus(t, p, ids[0], "running")
				if code := p.stop(syscall.SIGTERM, 30*time.Second); code != 0 {
					t.Errorf("exit status after SIGTERM: %d, want 0", code)
				}
				q := startServe(t, bin, dir, env, "--workers", "0")
				for _, id := range ids {
					if j := q.job(id); j.Status != "queued" {
						t.Errorf("job %s: %s, want queued", id, j.Status)
					}
				}
			})
			t.Run("running job within the grace period finishes", func(t *testing.T) {
				dir, env := filepath.Join(t.TempDir(), "data"), st.env(t)
				p := startServe(t, bin, dir, env, "--workers", "1", "--grace-period", "60s")
				id := p.submit(ghzAfterRoundTrip(18, 2), 10)
				waitStatus(t, p, id, "running")
				if code := p.stop(syscall.SIGTERM, 60*time.Second); code != 0 {
					t.Errorf("exit status after SIGTERM: %d, want 0", code)
				}
				q := startServe(t, bin, dir, env, "--workers", "0")
				if j := q.job(id); j.Status != "completed" {
					t.Errorf("job %s: %s, want completed", id, j.Status)
				}
			})
		})
	}
}

// waitStatus polls until job id has the status want.
func waitStatus(t *testing.T, p *serveProc, id, want string) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		j := p.job(id)
		if j.Status == want {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("job %s: %s, want %s", id, j.Status, want)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func TestServeFlagsFromEnvironment(t *testing.T) {
	t.Setenv("QLUSTER_ADDR", "0.0.0.0:9999")
	t.Setenv("QLUSTER_DATA_DIR", "/srv/q")
	t.Setenv("QLUSTER_WORKERS", "7")
	t.Setenv("QLUSTER_LEASE_TTL", "5s")
	s := newServeCommand(io.Discard)
	if s.Addr != "0.0.0.0:9999" || s.DataDir != "/srv/q" || s.Workers != 7 || s.LeaseTTL != 5*time.Second || s.envErr != nil {
		t.Errorf("from environment: addr %q, data dir %q, workers %d, lease TTL %s, err %v; want 0.0.0.0:9999, /srv/q, 7, 5s, nil",
			s.Addr, s.DataDir, s.Workers, s.LeaseTTL, s.envErr)
	}
	cmd := s.cobra()
	if err := cmd.ParseFlags([]string{"--workers", "3"}); err != nil || s.Workers != 3 {
		t.Errorf("--workers 3 over QLUSTER_WORKERS=7: got %d (%v), want 3", s.Workers, err)
	}
	t.Setenv("QLUSTER_WORKERS", "many")
	if s := newServeCommand(io.Discard); s.envErr == nil || !strings.Contains(s.envErr.Error(), "QLUSTER_WORKERS") {
		t.Errorf("QLUSTER_WORKERS=many: err %v, want one naming the variable", s.envErr)
	}
}

func TestServeDefaultDataDir(t *testing.T) {
	t.Setenv("XDG_DATA_HOME", "/xdg")
	if got, want := defaultDataDir(), filepath.Join("/xdg", "qluster"); got != want {
		t.Errorf("with XDG_DATA_HOME: %q, want %q", got, want)
	}
	t.Setenv("XDG_DATA_HOME", "")
	t.Setenv("HOME", "/home/ada")
	if got, want := defaultDataDir(), "/home/ada/.local/share/qluster"; runtime.GOOS == "linux" && got != want {
		t.Errorf("without XDG_DATA_HOME: %q, want %q", got, want)
	}
}

func TestServeBootstrapAdmin(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	st, err := sqlite.Open(ctx, sqlite.Options{Path: filepath.Join(dir, "q.db"), Synchronous: "NORMAL"})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	log := slog.New(slog.DiscardHandler)
	path := filepath.Join(dir, adminTokenFile)
	readToken := func() string {
		b, err := os.ReadFile(path)
		if err != nil {
			return ""
		}
		return string(b)
	}
	tokens := func() int {
		toks, err := st.ListTokens(ctx, "")
		if err != nil {
			t.Fatal(err)
		}
		return len(toks)
	}

	if err := bootstrapAdmin(ctx, st, dir, log); err != nil {
		t.Fatal(err)
	}
	first := readToken()
	if _, u, err := st.TokenByHash(ctx, ql.HashToken(first)); err != nil || !u.Admin || u.Name != "admin" {
		t.Fatalf("first start: token authenticates %v (%v), want the admin", u, err)
	}
	if fi, _ := os.Stat(path); fi.Mode().Perm() != 0o600 {
		t.Errorf("admin.token mode %v, want 0600", fi.Mode().Perm())
	}
	steps := []struct {
		name       string
		before     func()
		wantTokens int
		wantSame   bool
	}{
		{"second start keeps the token", func() {}, 1, true},
		{"missing file while the admin has a token: no new token, no file", func() { os.Remove(path) }, 1, true},
		{"stale file while the admin has no live token: a new one", func() {
			toks, _ := st.ListTokens(ctx, "")
			st.RevokeToken(ctx, toks[0].ID)
			os.WriteFile(path, []byte("qlt_stale\n"), 0o600)
		}, 2, false},
	}
	for _, s := range steps {
		t.Run(s.name, func(t *testing.T) {
			s.before()
			before := readToken()
			if err := bootstrapAdmin(ctx, st, dir, log); err != nil {
				t.Fatal(err)
			}
			if got := tokens(); got != s.wantTokens {
				t.Errorf("tokens: %d, want %d", got, s.wantTokens)
			}
			if same := readToken() == before; same != s.wantSame {
				t.Errorf("file unchanged: %v, want %v", same, s.wantSame)
			}
		})
	}
	if _, u, err := st.TokenByHash(ctx, ql.HashToken(readToken())); err != nil || !u.Admin {
		t.Errorf("final admin.token does not authenticate the admin: %v", err)
	}
}

// syncBuffer is a bytes.Buffer safe for concurrent use.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func TestServeRunInProcess(t *testing.T) {
	var logs syncBuffer
	s := newServeCommand(&logs)
	s.Addr, s.DataDir, s.Workers, s.SQLiteSync = "127.0.0.1:0", t.TempDir(), 1, "NORMAL"
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done := make(chan error, 1)
	go func() { done <- s.Run(ctx) }()
	var addr string
	for deadline := time.Now().Add(20 * time.Second); addr == ""; {
		for _, line := range strings.Split(logs.String(), "\n") {
			var m struct{ Msg, Addr string }
			if json.Unmarshal([]byte(line), &m) == nil && m.Msg == "listening" {
				addr = m.Addr
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("not listening after 20s:\n%s", logs.String())
		}
		time.Sleep(5 * time.Millisecond)
	}
	tok, err := os.ReadFile(filepath.Join(s.DataDir, adminTokenFile))
	if err != nil {
		t.Fatal(err)
	}
	p := &serveProc{t: t, url: "http://" + addr, token: strings.TrimSpace(string(tok))}
	id := p.submit(serveBell, 100)
	if j := p.waitTerminal([]string{id}, 20*time.Second)[id]; j.Status != "completed" {
		t.Errorf("job %s: %s (%s), want completed", id, j.Status, j.Error)
	}
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("Run: %v, want nil after cancel", err)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("Run did not return within 30s of cancel")
	}
	if !strings.Contains(logs.String(), `"msg":"stopped"`) {
		t.Errorf("no stopped log:\n%s", logs.String())
	}
}
