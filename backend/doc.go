// Package backend holds the backends jobs run on and the registry that names
// them. A Backend is everything the worker needs to turn one parsed circuit
// into a qluster.CircuitResult: it describes itself (Info), rejects what it
// cannot run before any work is done (Validate, called by the API at submit
// time and by the worker again before running), and runs (Run).
//
// The package's place in the data flow:
//
//	httpapi ─► Registry.Get(job.Backend).Validate ─► store (queued)
//	worker  ─► lease ─► qasm.Parse ─► Registry.Get(job.Backend).Run ─► store (completed)
//
// A server's registry (NewServiceRegistry) holds the ideal state-vector
// simulator "sv" (NewStateVector) and one emulated chip per device (NewChip):
// the built-in presets and the files of the devices directory. A Chip
// compiles each circuit for its device (transpile/preset), simulates only
// the physical qubits the compiled circuit touches under the noise of their
// calibration (sim/noise with sim/densitymat or sim/trajectory) and reports
// the compiled circuit with the counts. Registry.Choose picks the backend of
// a job submitted to "auto": the chip, and through its compiler's layout the
// region, with the highest estimated success probability.
//
// Backends of remote nodes are further implementations of the same Backend
// interface, registered under their own names.
package backend
