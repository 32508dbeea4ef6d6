// Package preset holds the compiler's ready-made pipelines, optimisation
// levels 0 to 3, as plain functions of a circuit and a Target (a
// *device.Device). Run chains the passes of packages transpile/unroll,
// layout, routing, basis and optimize; the result is a circuit over the
// device's physical qubits, in its basis, with every two-qubit gate on a
// coupling edge, together with the layouts and the figures (two-qubit gate
// count, depth, time per pass) a job result shows.
//
// In the data flow a worker calls Run after leasing a job for a chip
// backend and before handing the compiled circuit to the engine; the CLI's
// "qluster transpile" calls it directly.
package preset
