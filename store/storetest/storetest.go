package storetest

import (
	"encoding/json"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/qluster/qluster"
)

// NewStore returns a fresh, empty store for one test and arranges (with
// t.Cleanup) for it to be closed and removed.
type NewStore func(t *testing.T) qluster.Store

// test is one conformance check, run on its own fresh store.
type test struct {
	name string
	fn   func(t *testing.T, s qluster.Store)
}

// Run runs the whole suite, each test as a subtest on a store from newStore.
func Run(t *testing.T, newStore NewStore) {
	var all []test
	all = append(all, userTests...)
	all = append(all, tokenTests...)
	all = append(all, jobTests...)
	all = append(all, leaseTests...)
	all = append(all, raceTests...)
	for _, tc := range all {
		t.Run(tc.name, func(t *testing.T) {
			tc.fn(t, newStore(t))
		})
	}
}

// wantCode fails the test unless err carries code ("" for no error).
func wantCode(t *testing.T, what string, err error, code string) {
	t.Helper()
	if got := qluster.ErrorCode(err); got != code {
		t.Errorf("%s: error code = %q (%v), want %q", what, got, err, code)
	}
}

// mustUser creates a user named name.
func mustUser(t *testing.T, s qluster.Store, name string) *qluster.User {
	t.Helper()
	u, err := s.CreateUser(t.Context(), &qluster.User{Name: name})
	if err != nil {
		t.Fatalf("CreateUser(%q): %v", name, err)
	}
	return u
}

// bell is a small circuit for job specs.
const bell = `OPENQASM 2.0;
include "qelib1.inc";
qreg q[2];
creg c[2];
h q[0];
cx q[0],q[1];
measure q -> c;
`

// newJob returns a job request for owner on backend.
func newJob(owner, backend string) *qluster.Job {
	return &qluster.Job{
		Owner:   owner,
		Backend: backend,
		Spec: qluster.JobSpec{
			Shots:    1000,
			Circuits: []qluster.CircuitSpec{{Name: "bell", QASM: bell}},
		},
	}
}

// mustCreate creates a job and checks it is new.
func mustCreate(t *testing.T, s qluster.Store, j *qluster.Job) *qluster.Job {
	t.Helper()
	got, created, err := s.CreateJob(t.Context(), j)
	if err != nil {
		t.Fatalf("CreateJob: %v", err)
	}
	if !created {
		t.Fatalf("CreateJob: created = false, want true")
	}
	return got
}

// mustGet reads a job.
func mustGet(t *testing.T, s qluster.Store, id string) *qluster.Job {
	t.Helper()
	j, err := s.GetJob(t.Context(), id)
	if err != nil {
		t.Fatalf("GetJob(%s): %v", id, err)
	}
	return j
}

// mustLease leases up to max jobs for worker on any backend.
func mustLease(t *testing.T, s qluster.Store, worker string, max int) []*qluster.Job {
	t.Helper()
	jobs, err := s.Lease(t.Context(), qluster.LeaseRequest{Worker: worker, Max: max, TTL: time.Minute})
	if err != nil {
		t.Fatalf("Lease(%s): %v", worker, err)
	}
	return jobs
}

// leaseOne leases exactly one job for worker.
func leaseOne(t *testing.T, s qluster.Store, worker string) *qluster.Job {
	t.Helper()
	jobs := mustLease(t, s, worker, 1)
	if len(jobs) != 1 {
		t.Fatalf("Lease(%s) got %d jobs, want 1", worker, len(jobs))
	}
	return jobs[0]
}

// asJSON renders v for comparisons and messages.
func asJSON(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprintf("<%v>", err)
	}
	return string(b)
}

// sameJSON fails the test unless got and want encode to the same JSON.
func sameJSON(t *testing.T, what string, got, want any) {
	t.Helper()
	if g, w := asJSON(got), asJSON(want); g != w {
		t.Errorf("%s:\n got %s\nwant %s", what, g, w)
	}
}

// result returns a small result for a job with one circuit.
func result(seed uint64) *qluster.JobResult {
	return &qluster.JobResult{Results: []qluster.CircuitResult{{
		Name:          "bell",
		Shots:         4,
		Counts:        map[string]int{"00": 3, "11": 1},
		Memory:        []string{"00", "11", "00", "00"},
		Probabilities: map[string]float64{"00": 0.5, "11": 0.5},
		Statevector:   [][2]float64{{0.7071067811865476, 0}, {0, 0}, {0, 0}, {0.7071067811865475, -1e-17}},
		Compiled: &qluster.CompiledCircuit{
			QASM: bell, InitialLayout: []int{0, 1}, FinalLayout: []int{1, 0}, TwoQubitGates: 1, Depth: 3,
		},
		Engine:     "statevector",
		Seed:       seed,
		DurationMS: 0.25,
	}}}
}

// checkResults checks that each job has a result exactly when it is
// completed.
func checkResults(t *testing.T, s qluster.Store, ids []string) {
	t.Helper()
	for _, id := range ids {
		j := mustGet(t, s, id)
		_, err := s.GetResult(t.Context(), id)
		switch {
		case j.Status == qluster.JobCompleted && err != nil:
			t.Errorf("job %s is completed but GetResult fails: %v", id, err)
		case j.Status != qluster.JobCompleted:
			wantCode(t, fmt.Sprintf("GetResult of %s job %s", j.Status, id), err, qluster.ECONFLICT)
		}
	}
}

// parallel runs fn(0) … fn(n-1) in goroutines and waits for them.
func parallel(n int, fn func(i int)) {
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			fn(i)
		}()
	}
	wg.Wait()
}
