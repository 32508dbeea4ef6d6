// Package noise describes the errors of a quantum chip as quantum channels
// and derives them from a device's calibration.
//
// A Channel is a set of Kraus operators; the constructors build the standard
// ones (thermal relaxation, amplitude and phase damping, depolarizing) and
// CheckCPTP verifies Σ K†K = I. A Model, built by FromDevice from a
// device.Device, says which channels follow each gate on which physical
// qubits, which assignment error each readout has, and, optionally, how
// waiting qubits relax. Plan turns a circuit into the sequence of ops and
// channels the noisy engines (sim/densitymat, sim/trajectory) run, and
// ChooseEngine is the rule that picks between them.
//
// In the data flow, a backend built from a device holds a Model and hands it
// to the engine it runs; the package knows nothing of jobs or HTTP.
package noise
