// Package worker runs jobs: it leases queued jobs from a Leaser, parses each
// circuit's OpenQASM, runs it on the job's backend, heartbeats while it
// runs, and reports the outcome (Complete, Fail, MarkCancelled, or Release
// when it stops). The same loop serves the workers inside `qluster serve`,
// which lease straight from the store, and remote workers, whose Leaser
// will speak HTTP to a server.
//
// Its place in the data flow:
//
//	store (queued) ─► Lease ─► qasm.Parse ─► backend.Run ─► Complete ─► store (completed)
//
// Latency: an idle worker polls with a short, growing backoff, and Notify
// wakes it at once, so the API calls Notify after each submission.
package worker
