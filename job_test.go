package qluster_test

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/qluster/qluster"
)

func TestJobStatusTerminal(t *testing.T) {
	for _, tc := range []struct {
		s            qluster.JobStatus
		terminal, ok bool
	}{
		{qluster.JobQueued, false, true},
		{qluster.JobRunning, false, true},
		{qluster.JobCompleted, true, true},
		{qluster.JobFailed, true, true},
		{qluster.JobCancelled, true, true},
		{"paused", false, false},
		{"", false, false},
	} {
		t.Run(string(tc.s), func(t *testing.T) {
			if got := tc.s.Terminal(); got != tc.terminal {
				t.Errorf("Terminal() = %v, want %v", got, tc.terminal)
			}
			if got := tc.s.Valid(); got != tc.ok {
				t.Errorf("Valid() = %v, want %v", got, tc.ok)
			}
		})
	}
}

func TestRequestHash(t *testing.T) {
	seed := uint64(1)
	base := func() *qluster.Job {
		return &qluster.Job{Owner: "u", Backend: "sv", Priority: 1,
			Spec: qluster.JobSpec{Shots: 10, Circuits: []qluster.CircuitSpec{{QASM: "x"}}}}
	}
	same := []func(j *qluster.Job){
		func(j *qluster.Job) { j.ID = "other" },
		func(j *qluster.Job) { j.Owner = "other" },
		func(j *qluster.Job) { j.Status = qluster.JobRunning },
		func(j *qluster.Job) { j.IdempotencyKey = "k" },
		func(j *qluster.Job) { j.CreatedAt = time.Now() },
	}
	differ := []func(j *qluster.Job){
		func(j *qluster.Job) { j.Backend = "chip" },
		func(j *qluster.Job) { j.Priority = 2 },
		func(j *qluster.Job) { j.Spec.Shots = 11 },
		func(j *qluster.Job) { j.Spec.Seed = &seed },
		func(j *qluster.Job) { j.Spec.Circuits[0].QASM = "y" },
		func(j *qluster.Job) { j.Spec.Circuits[0].Name = "n" },
		func(j *qluster.Job) { j.Spec.Options.Memory = true },
	}
	want := base().RequestHash()
	if len(want) != 64 {
		t.Fatalf("RequestHash() = %q, want 64 hex digits", want)
	}
	for i, f := range same {
		j := base()
		f(j)
		if got := j.RequestHash(); got != want {
			t.Errorf("change %d outside the request changed the hash", i)
		}
	}
	for i, f := range differ {
		j := base()
		f(j)
		if got := j.RequestHash(); got == want {
			t.Errorf("change %d of the request kept the hash", i)
		}
	}
}

func TestMaxAttemptsOrDefault(t *testing.T) {
	for _, tc := range []struct{ in, want int }{{0, qluster.DefaultMaxAttempts}, {-1, qluster.DefaultMaxAttempts}, {1, 1}, {9, 9}} {
		if got := (&qluster.Job{MaxAttempts: tc.in}).MaxAttemptsOrDefault(); got != tc.want {
			t.Errorf("MaxAttemptsOrDefault() with %d = %d, want %d", tc.in, got, tc.want)
		}
	}
}

// TestJSONShape pins the snake_case field names of the API-facing types.
func TestJSONShape(t *testing.T) {
	seed, level, tr := uint64(7), 1, false
	for _, tc := range []struct {
		name string
		v    any
		want string
	}{
		{"spec", qluster.JobSpec{Shots: 5, Seed: &seed, Circuits: []qluster.CircuitSpec{{Name: "a", QASM: "q"}},
			Options: qluster.JobOptions{Transpile: &tr, OptimizationLevel: &level, Memory: true, Probabilities: true,
				Statevector: true, Precision: "single"}},
			`{"shots":5,"seed":7,"circuits":[{"name":"a","qasm":"q"}],"options":{"transpile":false,"optimization_level":1,"memory":true,"probabilities":true,"statevector":true,"precision":"single"}}`},
		{"empty spec", qluster.JobSpec{}, `{"shots":0,"circuits":null,"options":{}}`},
		{"result", qluster.CircuitResult{Name: "a", Shots: 2, Counts: map[string]int{"1": 2}, Memory: []string{"1", "1"},
			Probabilities: map[string]float64{"1": 1}, Statevector: [][2]float64{{0, 0}, {1, 0}},
			Compiled: &qluster.CompiledCircuit{QASM: "q", InitialLayout: []int{3}, FinalLayout: []int{3}, TwoQubitGates: 0, Depth: 1},
			Engine:   "statevector", Seed: 9, DurationMS: 1.5},
			`{"name":"a","shots":2,"counts":{"1":2},"memory":["1","1"],"probabilities":{"1":1},"statevector":[[0,0],[1,0]],"compiled":{"qasm":"q","initial_layout":[3],"final_layout":[3],"two_qubit_gates":0,"depth":1},"engine":"statevector","seed":9,"duration_ms":1.5}`},
		{"job", qluster.Job{ID: "j", Owner: "u", Backend: "sv", Status: qluster.JobQueued, MaxAttempts: 3,
			CreatedAt: time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC), UpdatedAt: time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)},
			`{"id":"j","owner":"u","backend":"sv","status":"queued","priority":0,"spec":{"shots":0,"circuits":null,"options":{}},"attempt":0,"max_attempts":3,"created_at":"2026-01-02T03:04:05Z","updated_at":"2026-01-02T03:04:05Z"}`},
		{"limits", qluster.Limits{MaxConcurrentJobs: 1, MaxShots: 2, MaxCircuits: 3, MaxRequestBytes: 4, RatePerSecond: 0.5, RateBurst: 6},
			`{"max_concurrent_jobs":1,"max_shots":2,"max_circuits":3,"max_request_bytes":4,"rate_per_second":0.5,"rate_burst":6}`},
		{"token hides hash", qluster.Token{ID: "t", UserID: "u", Name: "n", Prefix: "qlt_abcdefgh", Hash: [32]byte{1},
			CreatedAt: time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)},
			`{"id":"t","user_id":"u","name":"n","prefix":"qlt_abcdefgh","created_at":"2026-01-02T03:04:05Z"}`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b, err := json.Marshal(tc.v)
			if err != nil {
				t.Fatal(err)
			}
			if string(b) != tc.want {
				t.Errorf("JSON:\n got %s\nwant %s", b, tc.want)
			}
		})
	}
}
