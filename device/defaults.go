package device

import "math"

// Named defaults for figures a source does not give. The Quafu chip files
// carry T1, T2, frequencies and single-qubit gate durations but no readout
// figures, no single-qubit gate errors, no two-qubit gate durations and no
// readout durations; the loaders fill them from these constants and record
// each use in Device.Defaults.
const (
	// DefaultReadoutP10 is p(1|0), the chance of reading 1 from |0⟩.
	// Published transmon chips (Google's Sycamore, USTC's Zuchongzhi, IBM's
	// Falcon and Eagle processors) report readout errors of one to a few
	// percent per qubit; 2% sits in that range.
	DefaultReadoutP10 = 0.02
	// DefaultReadoutP01 is p(0|1), the chance of reading 0 from |1⟩. It is
	// larger than DefaultReadoutP10 because an excited qubit can relax
	// during the readout pulse, the asymmetry those chips report.
	DefaultReadoutP01 = 0.04
	// DefaultGate1QError is the floor of the single-qubit gate error (1 −
	// average gate fidelity). Randomized-benchmarking figures published for
	// tunable transmon chips lie between 1e-4 and 1e-3; we take the
	// conservative end. The error used for a qubit is the larger of this
	// floor and the coherence limit over its gate duration
	// (CoherenceLimitedError), so a qubit with short T1 or T2 is not shown
	// better than physics allows.
	DefaultGate1QError = 1e-3
	// DefaultGate1QDuration is the single-qubit gate duration in ns used
	// when a calibrated qubit has none: 30 ns, the most common figure in
	// the Dongling calibration.
	DefaultGate1QDuration = 30.0
	// DefaultCZDuration is the CZ gate duration in ns. Flux-activated CZ
	// gates on tunable-coupler transmon chips take a few tens of
	// nanoseconds (about 30 to 60 ns); 40 ns sits in that range. It is
	// also used for two-qubit gates other than cx.
	DefaultCZDuration = 40.0
	// DefaultCXDuration is the CX gate duration in ns on a chip whose
	// native entangler is a CZ: one DefaultCZDuration between two π/2
	// rotations of the target (about 30 ns each).
	DefaultCXDuration = 100.0
	// DefaultReadoutDuration is the measurement duration in ns: dispersive
	// readout on such chips takes about 1 to 2 µs.
	DefaultReadoutDuration = 1500.0
	// QuafuTimeZoneOffset is the offset from UTC, in hours, at which a
	// Quafu calibration_time without a zone is read: Beijing time (UTC+8),
	// where the Quafu chips are operated.
	QuafuTimeZoneOffset = 8
)

// DefaultGate2QDuration returns the default duration in ns of the named
// two-qubit gate: DefaultCXDuration for cx, DefaultCZDuration otherwise.
func DefaultGate2QDuration(gateName string) float64 {
	if gateName == "cx" {
		return DefaultCXDuration
	}
	return DefaultCZDuration
}

// CoherenceLimitedError returns the average gate error of a single-qubit
// gate of the given duration (ns) limited only by relaxation and dephasing
// (T1, T2 in µs): 1 − F_avg of the thermal-relaxation channel, which is
// (2·(1 − e^(−t/T2)) + (1 − e^(−t/T1))) / 6. It is 0 for a non-positive
// duration and treats a non-positive T1 or T2 as infinite.
func CoherenceLimitedError(durationNs, t1Us, t2Us float64) float64 {
	if durationNs <= 0 {
		return 0
	}
	t := durationNs / 1000
	decay := func(T float64) float64 {
		if T <= 0 {
			return 0
		}
		return -math.Expm1(-t / T)
	}
	return (2*decay(t2Us) + decay(t1Us)) / 6
}
