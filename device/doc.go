// Package device models a quantum chip as the compiler and the noisy
// emulators see it: its qubits (with T1, T2, frequency, single-qubit gate
// duration and error, readout error), its coupling map (edges with a
// two-qubit gate, its error and duration, directed or not), its basis gates
// and the time it was calibrated.
//
// Devices come from three places:
//
//   - the Quafu chip JSON format (ParseQuafu, LoadQuafu), as published for
//     the Dongling chip, Python-literal strings included;
//   - Qluster's own versioned JSON schema, "qluster.device/v1" (Load,
//     Marshal; documented in SCHEMA.md), which operators drop into a devices
//     directory (LoadDir);
//   - built-in presets (Preset, Presets): the real Dongling calibration and a
//     10-qubit example, both embedded, and generated line, grid and heavy-hex
//     chips with plausible calibration drawn from a fixed-seed generator.
//
// Where a source lacks a figure (the Quafu files have no readout or
// single-qubit gate errors), the loaders use the named defaults of
// defaults.go and record each one in Device.Defaults, so that a backend can
// show which of its figures are real.
//
// In the data flow, a Device is the compiler's Target and the input from
// which sim/noise derives a noise model; the backend registry turns each
// Device into a backend. The package knows nothing of engines or HTTP.
package device
