package qluster

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"time"
)

// JobStatus is where a job is in its life: queued → running → completed,
// failed or cancelled. A running job whose lease expires goes back to queued.
type JobStatus string

// Job statuses.
const (
	JobQueued    JobStatus = "queued"
	JobRunning   JobStatus = "running"
	JobCompleted JobStatus = "completed"
	JobFailed    JobStatus = "failed"
	JobCancelled JobStatus = "cancelled"
)

// JobStatuses lists every status in life-cycle order.
var JobStatuses = []JobStatus{JobQueued, JobRunning, JobCompleted, JobFailed, JobCancelled}

// Terminal reports whether s is a final status (completed, failed or
// cancelled): a job in it never changes again.
func (s JobStatus) Terminal() bool {
	return s == JobCompleted || s == JobFailed || s == JobCancelled
}

// Valid reports whether s is one of the five statuses.
func (s JobStatus) Valid() bool {
	switch s {
	case JobQueued, JobRunning, JobCompleted, JobFailed, JobCancelled:
		return true
	}
	return false
}

// DefaultMaxAttempts is the number of leases a job may lose (by expiry)
// before it fails, when Job.MaxAttempts is 0.
const DefaultMaxAttempts = 3

// Job is one submission: one or more circuits run on one backend with one
// set of options. Stores own every field but the request fields (Owner,
// Backend, Priority, Spec, MaxAttempts, IdempotencyKey), which CreateJob
// takes from the caller.
type Job struct {
	// ID is a UUIDv7 (see NewID), assigned by CreateJob when empty.
	ID string `json:"id"`
	// Owner is the ID of the User who submitted the job.
	Owner string `json:"owner"`
	// Backend names the backend that runs the job ("sv", a chip name).
	Backend string `json:"backend"`
	// Status is the job's place in its life cycle.
	Status JobStatus `json:"status"`
	// Priority orders the queue: higher runs first; ties run oldest first.
	Priority int `json:"priority"`
	// Spec is what to run.
	Spec JobSpec `json:"spec"`
	// Attempt counts the leases taken on the job so far; together with
	// Worker it identifies the current lease.
	Attempt int `json:"attempt"`
	// MaxAttempts bounds Attempt for lease expiry; 0 means
	// DefaultMaxAttempts.
	MaxAttempts int `json:"max_attempts"`
	// Error says why a failed job failed.
	Error string `json:"error,omitempty"`
	// Worker names the holder of the current (or last) lease.
	Worker string `json:"worker,omitempty"`
	// LeaseExpiresAt is the deadline of the current lease of a running job.
	LeaseExpiresAt time.Time `json:"lease_expires_at,omitzero"`
	// CreatedAt is when the job was committed to the store.
	CreatedAt time.Time `json:"created_at"`
	// StartedAt is when the current (or last) lease was taken.
	StartedAt time.Time `json:"started_at,omitzero"`
	// FinishedAt is when the job reached a terminal status.
	FinishedAt time.Time `json:"finished_at,omitzero"`
	// UpdatedAt is the time of the last status change.
	UpdatedAt time.Time `json:"updated_at"`
	// IdempotencyKey, when not empty, makes a repeated CreateJob by the same
	// owner with the same key return this job instead of a new one.
	IdempotencyKey string `json:"idempotency_key,omitempty"`
	// CancelRequested is set when a running job is cancelled; its worker
	// learns of it on the next heartbeat and stops.
	CancelRequested bool `json:"cancel_requested,omitempty"`
}

// MaxAttemptsOrDefault returns j.MaxAttempts, or DefaultMaxAttempts when it
// is not positive.
func (j *Job) MaxAttemptsOrDefault() int {
	if j.MaxAttempts > 0 {
		return j.MaxAttempts
	}
	return DefaultMaxAttempts
}

// RequestHash returns a hex SHA-256 digest of what the submitter asked for
// (backend, priority and spec). Stores compare it to tell a retried
// submission from a different one under the same idempotency key.
func (j *Job) RequestHash() string {
	b, err := json.Marshal(struct {
		Backend  string  `json:"backend"`
		Priority int     `json:"priority"`
		Spec     JobSpec `json:"spec"`
	}{j.Backend, j.Priority, j.Spec})
	if err != nil {
		// A JobSpec holds only strings, numbers and booleans.
		panic("qluster: encoding job spec: " + err.Error())
	}
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// JobSpec says what a job runs: the circuits, the shots and the options
// shared by all circuits.
type JobSpec struct {
	// Shots is the number of samples per circuit; 0 asks for no sampling.
	Shots int `json:"shots"`
	// Seed makes sampling reproducible; nil lets the engine pick one (and
	// report it in the result).
	Seed *uint64 `json:"seed,omitempty"`
	// Circuits are run in order; results come back in the same order.
	Circuits []CircuitSpec `json:"circuits"`
	// Options tune compilation and the output.
	Options JobOptions `json:"options"`
}

// CircuitSpec is one circuit of a job, as OpenQASM source.
type CircuitSpec struct {
	// Name labels the circuit in results; may be empty.
	Name string `json:"name,omitempty"`
	// QASM is the OpenQASM 2.0 source.
	QASM string `json:"qasm"`
}

// JobOptions tune compilation and which outputs a job produces.
type JobOptions struct {
	// Transpile asks for compilation to the backend's target; nil means the
	// backend's default.
	Transpile *bool `json:"transpile,omitempty"`
	// OptimizationLevel (0 to 3) for the transpiler; nil means the default.
	OptimizationLevel *int `json:"optimization_level,omitempty"`
	// Memory asks for the per-shot outcomes.
	Memory bool `json:"memory,omitempty"`
	// Probabilities asks for the exact outcome distribution.
	Probabilities bool `json:"probabilities,omitempty"`
	// Statevector asks for the final amplitudes.
	Statevector bool `json:"statevector,omitempty"`
	// Precision is "double" (default) or "single".
	Precision string `json:"precision,omitempty"`
	// Engine names the simulator ("density_matrix", "trajectory" on chips;
	// "statevector", "stabilizer" on ideal simulators); "" or "auto" lets
	// the backend choose (BackendInfo.Engines lists the names it takes).
	Engine string `json:"engine,omitempty"`
}

// JobResult is the outcome of a completed job: one entry per circuit, in the
// order of JobSpec.Circuits.
type JobResult struct {
	// Results holds one entry per circuit.
	Results []CircuitResult `json:"results"`
}

// CircuitResult is the outcome of one circuit. Counts, Memory and
// Probabilities keys use Qiskit's bit order.
type CircuitResult struct {
	// Name is the circuit's name from its CircuitSpec.
	Name string `json:"name"`
	// Shots is the number of samples taken.
	Shots int `json:"shots"`
	// Counts maps outcomes to how often they were seen.
	Counts map[string]int `json:"counts"`
	// Memory lists the outcome of every shot, when asked for.
	Memory []string `json:"memory,omitempty"`
	// Probabilities is the exact outcome distribution, when asked for.
	Probabilities map[string]float64 `json:"probabilities,omitempty"`
	// Statevector holds the final amplitudes as [re, im] pairs, when asked
	// for.
	Statevector [][2]float64 `json:"statevector,omitempty"`
	// Compiled describes the circuit that actually ran, when the job was
	// transpiled.
	Compiled *CompiledCircuit `json:"compiled,omitempty"`
	// Engine names the simulator that ran the circuit.
	Engine string `json:"engine"`
	// Seed is the seed used for sampling.
	Seed uint64 `json:"seed"`
	// DurationMS is the run time in milliseconds.
	DurationMS float64 `json:"duration_ms"`
}

// CompiledCircuit describes a circuit after transpilation for a backend.
type CompiledCircuit struct {
	// QASM is the compiled circuit as OpenQASM 2.0.
	QASM string `json:"qasm"`
	// InitialLayout maps virtual qubit i to physical qubit InitialLayout[i];
	// -1 marks a qubit the circuit declares but never uses, which a chip
	// leaves unplaced when the circuit declares more qubits than it has
	// usable.
	InitialLayout []int `json:"initial_layout,omitempty"`
	// FinalLayout maps virtual qubit i to its physical qubit at the end
	// (-1 as in InitialLayout).
	FinalLayout []int `json:"final_layout,omitempty"`
	// TwoQubitGates counts the two-qubit gates after compilation.
	TwoQubitGates int `json:"two_qubit_gates"`
	// Depth is the circuit depth after compilation.
	Depth int `json:"depth"`
}
