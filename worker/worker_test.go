package worker_test

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/qluster/qluster"
	"github.com/qluster/qluster/backend"
	"github.com/qluster/qluster/circuit"
	"github.com/qluster/qluster/store/sqlite"
	"github.com/qluster/qluster/worker"
)

const bell = `OPENQASM 2.0;
include "qelib1.inc";
qreg q[2];
creg c[2];
h q[0];
cx q[0],q[1];
measure q -> c;
`

// slowCircuit returns a circuit of n qubits with layers of non-Clifford
// gates: it runs on the state vector and takes a while.
func slowCircuit(n, layers int) string {
	var b strings.Builder
	fmt.Fprintf(&b, "OPENQASM 2.0;\ninclude \"qelib1.inc\";\nqreg q[%d];\ncreg c[%d];\n", n, n)
	for range layers {
		for i := range n {
			fmt.Fprintf(&b, "h q[%d];\nt q[%d];\n", i, i)
		}
		for i := 0; i+1 < n; i++ {
			fmt.Fprintf(&b, "cx q[%d],q[%d];\n", i, i+1)
		}
	}
	b.WriteString("measure q -> c;\n")
	return b.String()
}

type env struct {
	store *sqlite.DB
	owner string
	reg   *backend.Registry
}

func newEnv(t testing.TB) *env {
	t.Helper()
	ctx := context.Background()
	db, err := sqlite.Open(ctx, sqlite.Options{Path: filepath.Join(t.TempDir(), "q.db"), Synchronous: "NORMAL"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	u, err := db.CreateUser(ctx, &qluster.User{Name: "alice"})
	if err != nil {
		t.Fatal(err)
	}
	return &env{store: db, owner: u.ID, reg: backend.NewRegistry(backend.NewStateVector(backend.StateVectorOptions{MemoryLimit: 1 << 30}))}
}

func (e *env) submit(t testing.TB, spec qluster.JobSpec) string {
	t.Helper()
	return e.submitTo(t, "sv", spec)
}

func (e *env) submitTo(t testing.TB, backendName string, spec qluster.JobSpec) string {
	t.Helper()
	j, _, err := e.store.CreateJob(context.Background(), &qluster.Job{Owner: e.owner, Backend: backendName, Spec: spec})
	if err != nil {
		t.Fatal(err)
	}
	return j.ID
}

// start runs a worker until the test ends (or stop is called) and returns
// it with a function that stops it and waits for Run to return.
func (e *env) start(t *testing.T, opt worker.Options) (*worker.Worker, func()) {
	t.Helper()
	if opt.Leaser == nil {
		opt.Leaser = e.store
	}
	opt.Registry = e.reg
	w := worker.New(opt)
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	wg.Go(func() {
		if err := w.Run(ctx); err != nil {
			t.Errorf("Run: %v", err)
		}
	})
	var once sync.Once
	stop := func() { once.Do(func() { cancel(); wg.Wait() }) }
	t.Cleanup(stop)
	return w, stop
}

// waitStatus polls until job id has status want.
func (e *env) waitStatus(t *testing.T, id string, want qluster.JobStatus, timeout time.Duration) *qluster.Job {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for {
		j, err := e.store.GetJob(context.Background(), id)
		if err != nil {
			t.Fatal(err)
		}
		if j.Status == want {
			return j
		}
		if time.Now().After(deadline) || (j.Status.Terminal() && want != j.Status) {
			t.Fatalf("job %s: status %s (error %q), want %s", id, j.Status, j.Error, want)
		}
		time.Sleep(2 * time.Millisecond)
	}
}

func TestWorkerRunsJobs(t *testing.T) {
	e := newEnv(t)
	e.start(t, worker.Options{Concurrency: 2})
	seed := uint64(42)
	tests := []struct {
		name   string
		spec   qluster.JobSpec
		status qluster.JobStatus
		check  func(t *testing.T, j *qluster.Job, r *qluster.JobResult)
	}{
		{"bell with seed", qluster.JobSpec{Shots: 1000, Seed: &seed, Circuits: []qluster.CircuitSpec{{Name: "bell", QASM: bell}}}, qluster.JobCompleted,
			func(t *testing.T, _ *qluster.Job, r *qluster.JobResult) {
				got := r.Results[0]
				if got.Name != "bell" || got.Seed != 42 || got.Shots != 1000 || got.Counts["00"]+got.Counts["11"] != 1000 || got.Engine == "" {
					t.Errorf("result = %+v, want bell, seed 42, 1000 shots of 00 and 11, an engine", got)
				}
			}},
		{"seed picked and recorded", qluster.JobSpec{Shots: 10, Circuits: []qluster.CircuitSpec{{QASM: bell}, {QASM: bell}}}, qluster.JobCompleted,
			func(t *testing.T, _ *qluster.Job, r *qluster.JobResult) {
				if len(r.Results) != 2 || r.Results[0].Seed == 0 || r.Results[0].Seed != r.Results[1].Seed {
					t.Errorf("seeds = %d, %d; want one non-zero seed for both circuits", r.Results[0].Seed, r.Results[1].Seed)
				}
			}},
		{"qasm error fails with position", qluster.JobSpec{Shots: 1, Circuits: []qluster.CircuitSpec{{QASM: bell}, {Name: "bad", QASM: "OPENQASM 2.0;\nqreg q[1];\nfoo q[0];\n"}}}, qluster.JobFailed,
			func(t *testing.T, j *qluster.Job, _ *qluster.JobResult) {
				if !strings.HasPrefix(j.Error, "bad:3:") {
					t.Errorf("error = %q, want it to start with bad:3:", j.Error)
				}
			}},
		{"unnamed circuit error names its index", qluster.JobSpec{Shots: 1, Circuits: []qluster.CircuitSpec{{QASM: "OPENQASM 2.0;\nqreg q[1]\n"}}}, qluster.JobFailed,
			func(t *testing.T, j *qluster.Job, _ *qluster.JobResult) {
				if !strings.HasPrefix(j.Error, "circuit 0:") {
					t.Errorf("error = %q, want it to start with circuit 0:", j.Error)
				}
			}},
		{"backend limit fails", qluster.JobSpec{Shots: backend.DefaultMaxShots + 1, Circuits: []qluster.CircuitSpec{{QASM: bell}}}, qluster.JobFailed,
			func(t *testing.T, j *qluster.Job, _ *qluster.JobResult) {
				if !strings.Contains(j.Error, "at most") {
					t.Errorf("error = %q, want the backend's reason", j.Error)
				}
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			id := e.submit(t, tt.spec)
			j := e.waitStatus(t, id, tt.status, 10*time.Second)
			var r *qluster.JobResult
			if tt.status == qluster.JobCompleted {
				var err error
				if r, err = e.store.GetResult(context.Background(), id); err != nil {
					t.Fatal(err)
				}
			}
			tt.check(t, j, r)
		})
	}
}

func TestWorkerNotifyWakesIdleWorker(t *testing.T) {
	e := newEnv(t)
	// With a one-hour poll, only Notify can start the job promptly.
	w, _ := e.start(t, worker.Options{Concurrency: 1, PollMin: time.Hour, PollMax: time.Hour})
	time.Sleep(20 * time.Millisecond) // let the first (empty) lease pass
	id := e.submit(t, qluster.JobSpec{Shots: 100, Circuits: []qluster.CircuitSpec{{QASM: bell}}})
	w.Notify()
	e.waitStatus(t, id, qluster.JobCompleted, 5*time.Second)
}

func TestWorkerCancelRunningJob(t *testing.T) {
	e := newEnv(t)
	e.start(t, worker.Options{Concurrency: 1, LeaseTTL: time.Second, HeartbeatEvery: 10 * time.Millisecond})
	id := e.submit(t, qluster.JobSpec{Shots: 1, Circuits: []qluster.CircuitSpec{{QASM: slowCircuit(20, 400)}}})
	e.waitStatus(t, id, qluster.JobRunning, 5*time.Second)
	if _, err := e.store.CancelJob(context.Background(), id); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	e.waitStatus(t, id, qluster.JobCancelled, 10*time.Second)
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("cancel took %s, want well under 2s", d)
	}
}

// blocking is a backend whose runs last until they are cancelled.
type blocking struct{ backend.Backend }

func (blocking) Info() qluster.BackendInfo {
	return qluster.BackendInfo{Name: "block", Kind: qluster.BackendSimulator, Status: qluster.BackendOnline, NumQubits: 2, MaxShots: 10}
}

func (blocking) Run(ctx context.Context, _ *circuit.Circuit, _ backend.RunOptions) (*qluster.CircuitResult, error) {
	<-ctx.Done()
	return nil, ctx.Err()
}

// TestWorkerCancelStopsAtOnce checks Cancel on a job that waits for a slot
// (leased ahead) and on a running one: both end cancelled long before the
// next heartbeat would have seen the request.
func TestWorkerCancelStopsAtOnce(t *testing.T) {
	e := newEnv(t)
	if err := e.reg.Register(blocking{e.reg.Backends()[0]}); err != nil {
		t.Fatal(err)
	}
	// ShortJob of an hour: once a job has run, jobs count as short and the
	// worker leases ahead.
	w, _ := e.start(t, worker.Options{Concurrency: 1, Prefetch: 4, ShortJob: time.Hour, LeaseTTL: time.Minute, HeartbeatEvery: 20 * time.Second})
	bellSpec := qluster.JobSpec{Shots: 10, Circuits: []qluster.CircuitSpec{{QASM: bell}}}
	// One quick job brings the mean run time under ShortJob.
	e.waitStatus(t, e.submit(t, bellSpec), qluster.JobCompleted, 5*time.Second)
	running := e.submitTo(t, "block", bellSpec)
	w.Notify()
	e.waitStatus(t, running, qluster.JobRunning, 5*time.Second)
	waiting := e.submit(t, bellSpec)
	w.Notify()
	e.waitStatus(t, waiting, qluster.JobRunning, 5*time.Second) // leased, waiting for the slot
	for _, id := range []string{waiting, running} {
		if _, err := e.store.CancelJob(context.Background(), id); err != nil {
			t.Fatal(err)
		}
		start := time.Now()
		if !w.Cancel(id) {
			t.Fatalf("Cancel(%s) = false, want true: the worker holds its lease", id)
		}
		e.waitStatus(t, id, qluster.JobCancelled, 5*time.Second)
		if d := time.Since(start); d > 2*time.Second {
			t.Errorf("job %s: cancel took %s, want well under the 20 s heartbeat", id, d)
		}
	}
	if w.Cancel("no-such-job") {
		t.Error("Cancel of a job the worker does not hold = true, want false")
	}
}

func TestWorkerGracefulStop(t *testing.T) {
	t.Run("running job past the grace period is released", func(t *testing.T) {
		e := newEnv(t)
		w, stop := e.start(t, worker.Options{Concurrency: 1, GracePeriod: 50 * time.Millisecond})
		id := e.submit(t, qluster.JobSpec{Shots: 1, Circuits: []qluster.CircuitSpec{{QASM: slowCircuit(20, 400)}}})
		e.waitStatus(t, id, qluster.JobRunning, 5*time.Second)
		stop()
		j := e.waitStatus(t, id, qluster.JobQueued, time.Second)
		if j.Attempt != 1 || w.Stats().Released.Load() != 1 {
			t.Errorf("attempt %d, released %d; want 1 and 1", j.Attempt, w.Stats().Released.Load())
		}
	})
	t.Run("short running job finishes", func(t *testing.T) {
		e := newEnv(t)
		_, stop := e.start(t, worker.Options{Concurrency: 1, GracePeriod: 10 * time.Second})
		id := e.submit(t, qluster.JobSpec{Shots: 1, Circuits: []qluster.CircuitSpec{{QASM: slowCircuit(16, 30)}}})
		e.waitStatus(t, id, qluster.JobRunning, 5*time.Second)
		stop()
		e.waitStatus(t, id, qluster.JobCompleted, time.Second)
	})
	t.Run("prefetched jobs go back at once", func(t *testing.T) {
		e := newEnv(t)
		// ShortJob of an hour: once a job has run, every job counts as
		// short, so the worker prefetches.
		w, stop := e.start(t, worker.Options{Concurrency: 1, Prefetch: 3, ShortJob: time.Hour, GracePeriod: 10 * time.Second})
		e.waitStatus(t, e.submit(t, qluster.JobSpec{Shots: 1, Circuits: []qluster.CircuitSpec{{QASM: bell}}}), qluster.JobCompleted, 5*time.Second)
		ids := make([]string, 3)
		for i := range ids {
			ids[i] = e.submit(t, qluster.JobSpec{Shots: 1, Circuits: []qluster.CircuitSpec{{QASM: slowCircuit(18, 60)}}})
		}
		e.waitStatus(t, ids[2], qluster.JobRunning, 5*time.Second)
		stop()
		queued := 0
		for _, id := range ids {
			j, _ := e.store.GetJob(context.Background(), id)
			if j.Status == qluster.JobQueued {
				queued++
			} else if j.Status != qluster.JobCompleted {
				t.Errorf("job %s: %s, want completed or queued", id, j.Status)
			}
		}
		if queued < 2 || w.Stats().Released.Load() < 2 {
			t.Errorf("%d jobs back in the queue, %d released; want at least 2 (one slot, three leased)", queued, w.Stats().Released.Load())
		}
	})
}

func TestWorkerSweepsExpiredLeases(t *testing.T) {
	e := newEnv(t)
	id := e.submit(t, qluster.JobSpec{Shots: 10, Circuits: []qluster.CircuitSpec{{QASM: bell}}})
	// A worker that dies right after leasing.
	if got, err := e.store.Lease(context.Background(), qluster.LeaseRequest{Worker: "dead", Max: 1, TTL: 50 * time.Millisecond}); err != nil || len(got) != 1 {
		t.Fatalf("Lease = %d jobs, %v", len(got), err)
	}
	e.start(t, worker.Options{Sweeper: e.store, SweepEvery: 20 * time.Millisecond})
	j := e.waitStatus(t, id, qluster.JobCompleted, 5*time.Second)
	if j.Attempt != 2 {
		t.Errorf("attempt = %d, want 2", j.Attempt)
	}
}

// lostLeaser reports every heartbeat's lease as lost.
type lostLeaser struct{ worker.Leaser }

func (lostLeaser) Heartbeat(context.Context, string, string, int, time.Duration) (bool, error) {
	return false, qluster.Errorf(qluster.ECONFLICT, "lease lost")
}

func TestWorkerLeaseLostAbandonsJob(t *testing.T) {
	e := newEnv(t)
	w, _ := e.start(t, worker.Options{Leaser: lostLeaser{e.store}, Concurrency: 1, LeaseTTL: time.Minute, HeartbeatEvery: 10 * time.Millisecond})
	id := e.submit(t, qluster.JobSpec{Shots: 1, Circuits: []qluster.CircuitSpec{{QASM: slowCircuit(20, 400)}}})
	deadline := time.Now().Add(10 * time.Second)
	for w.Stats().LeaseLost.Load() == 0 {
		if time.Now().After(deadline) {
			t.Fatal("lease loss not noticed")
		}
		time.Sleep(5 * time.Millisecond)
	}
	if j, _ := e.store.GetJob(context.Background(), id); j.Status != qluster.JobRunning || w.Stats().Completed.Load() != 0 {
		t.Errorf("status %s, completed %d; want the job left running (its lease is someone else's) and nothing reported", j.Status, w.Stats().Completed.Load())
	}
}

func TestWorkerLeasesOnlyForFreeSlotsWhileJobsAreLong(t *testing.T) {
	e := newEnv(t)
	e.start(t, worker.Options{Concurrency: 1, Prefetch: 8, GracePeriod: 50 * time.Millisecond})
	ids := make([]string, 3)
	for i := range ids {
		ids[i] = e.submit(t, qluster.JobSpec{Shots: 1, Circuits: []qluster.CircuitSpec{{QASM: slowCircuit(20, 400)}}})
	}
	e.waitStatus(t, ids[0], qluster.JobRunning, 5*time.Second)
	time.Sleep(50 * time.Millisecond)
	for _, id := range ids[1:] {
		if j, _ := e.store.GetJob(context.Background(), id); j.Status != qluster.JobQueued {
			t.Errorf("job %s: %s, want queued (no prefetch before jobs are known to be short)", id, j.Status)
		}
	}
}
