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
// Today the registry holds the ideal state-vector simulator "sv"
// (NewStateVector). Emulated chips (a device, its noise model and an engine)
// and backends of remote nodes are further implementations of the same
// Backend interface, registered under their own names: neither the interface,
// the Registry, the worker nor the API changes when they arrive.
package backend
