package noise

import (
	"fmt"

	"github.com/qluster/qluster/circuit"
	"github.com/qluster/qluster/device"
)

// ModelOptions tune FromDevice.
type ModelOptions struct {
	// IdleNoise adds thermal relaxation on a qubit for the time it waits
	// between two of its operations while other qubits work (see Plan).
	IdleNoise bool
}

// Model is the noise of one device: the channels that follow each gate on
// each physical qubit or edge, each qubit's readout error and, with
// IdleNoise, relaxation of waiting qubits. A nil *Model is the ideal
// (noiseless) model. A Model is immutable and safe for concurrent use.
type Model struct {
	dev     *device.Device
	opt     ModelOptions
	oneQ    [][]Channel          // by device qubit; nil for unusable qubits
	twoQ    map[[2]int][]Channel // by (first argument, second argument)
	readout []ReadoutError       // by device qubit
}

// FromDevice builds the noise model of d from its calibration, as Qiskit
// Aer's basic device model does:
//
//   - every non-virtual single-qubit gate on qubit q is followed by a
//     depolarizing channel and then thermal relaxation over the qubit's
//     Gate1QDuration (T1, T2 of q, excited population 0);
//   - every two-qubit gate on an edge is followed by a two-qubit
//     depolarizing channel and then thermal relaxation of each of its two
//     qubits over the edge's Duration (two channels, relaxation ⊗ I and
//     I ⊗ relaxation);
//   - the depolarizing parameter is DepolarizingParam(error, F_relax, d):
//     chosen so that the composite channel's average gate fidelity equals
//     the calibrated 1 − Gate1QError or 1 − Edge.Error (zero when the
//     relaxation alone already reaches the calibrated error);
//   - each measurement's result is flipped with the qubit's readout
//     assignment error (ReadoutP10, ReadoutP01).
//
// Virtual gates (single-qubit diagonal gates such as rz, which chips run as
// a frame change of zero duration) get no noise. A T2 above 2·T1 is clipped
// to 2·T1; a zero T1 or T2 means that decay is absent. It fails on a device
// that does not validate or on figures that give no valid channel.
func FromDevice(d *device.Device, opt ModelOptions) (*Model, error) {
	if err := d.Validate(); err != nil {
		return nil, fmt.Errorf("noise model: %w", err)
	}
	m := &Model{
		dev:     d,
		opt:     opt,
		oneQ:    make([][]Channel, len(d.Qubits)),
		twoQ:    map[[2]int][]Channel{},
		readout: make([]ReadoutError, len(d.Qubits)),
	}
	for i, q := range d.Qubits {
		if !q.Usable {
			continue
		}
		m.readout[i] = ReadoutError{P10: q.ReadoutP10, P01: q.ReadoutP01}
		if err := m.readout[i].Check(); err != nil {
			return nil, fmt.Errorf("noise model of %s: qubit %s: %w", d.Name, q.Name, err)
		}
		relax, err := m.relaxation(i, q.Gate1QDuration)
		if err != nil {
			return nil, err
		}
		chs, err := gateChannels(q.Gate1QError, relax)
		if err != nil {
			return nil, fmt.Errorf("noise model of %s: qubit %s: %w", d.Name, q.Name, err)
		}
		m.oneQ[i] = chs
	}
	for _, e := range d.Edges {
		for _, dir := range [][2]int{{e.A, e.B}, {e.B, e.A}} {
			if dir[0] != e.A && e.Directed {
				continue
			}
			if old, ok := d.EdgeBetween(dir[0], dir[1]); !ok || old != e {
				continue // another gate on the pair has the lower error
			}
			ra, err := m.relaxation(dir[0], e.Duration)
			if err != nil {
				return nil, err
			}
			rb, err := m.relaxation(dir[1], e.Duration)
			if err != nil {
				return nil, err
			}
			chs, err := gateChannels(e.Error, Tensor(ra, rb))
			if err != nil {
				return nil, fmt.Errorf("noise model of %s: edge %s-%s: %w", d.Name, d.Qubits[dir[0]].Name, d.Qubits[dir[1]].Name, err)
			}
			// The relaxation of the two qubits, as two channels that each
			// act on one of them (their product is Tensor(ra, rb)), so that
			// trajectories can sample them qubit by qubit.
			m.twoQ[dir] = append(chs[:len(chs)-1], Tensor(ra, Identity(1)), Tensor(Identity(1), rb))
		}
	}
	return m, nil
}

// relaxation returns the thermal relaxation of device qubit q over
// durationNs nanoseconds.
func (m *Model) relaxation(q int, durationNs float64) (Channel, error) {
	qb := m.dev.Qubits[q]
	t1, t2 := qb.T1, qb.T2
	if t1 > 0 && t2 > 2*t1 {
		t2 = 2 * t1
	}
	if t1 > 0 && t2 == 0 {
		t2 = 2 * t1
	}
	ch, err := ThermalRelaxation(t1, t2, durationNs/1000, 0)
	if err != nil {
		return Channel{}, fmt.Errorf("noise model of %s: qubit %s: %w", m.dev.Name, qb.Name, err)
	}
	return ch, nil
}

// gateChannels returns the channels that follow a gate whose calibrated
// average gate error is gateErr and whose relaxation is relax: a
// depolarizing channel (omitted when its parameter is 0), then relax.
func gateChannels(gateErr float64, relax Channel) ([]Channel, error) {
	if !(gateErr >= 0 && gateErr <= 1) {
		return nil, fmt.Errorf("gate error %g outside [0, 1]", gateErr)
	}
	p := DepolarizingParam(gateErr, relax.AverageGateFidelity(nil), relax.Qubits)
	var out []Channel
	if p > 0 {
		dep, err := Depolarizing(p, relax.Qubits)
		if err != nil {
			return nil, err
		}
		out = append(out, dep)
	}
	return append(out, relax), nil
}

// DepolarizingParam returns the parameter p of the n-qubit depolarizing
// channel (ρ ↦ (1−p)ρ + p·I/d, d = 2^n) that, composed with a channel of
// average gate fidelity relaxFid, gives a total average gate error of
// gateErr. Composing with depolarization maps the entanglement fidelity
// F_e to (1−p)·F_e + p/d² and F_avg = (d·F_e + 1)/(d + 1), which solves to
//
//	p = d·(gateErr − (1 − relaxFid)) / (d·relaxFid − 1),
//
// the formula of Qiskit Aer's basic device model. gateErr is first capped at
// d/(d+1) (the error of a completely depolarizing channel); p is 0 when the
// relaxation alone reaches gateErr and is capped at 4^n/(4^n − 1).
func DepolarizingParam(gateErr, relaxFid float64, n int) float64 {
	d := float64(int(1) << n)
	gateErr = min(gateErr, d/(d+1))
	relaxErr := 1 - relaxFid
	if gateErr <= relaxErr {
		return 0
	}
	p := d * (gateErr - relaxErr) / (d*relaxFid - 1)
	return min(p, d*d/(d*d-1))
}

// Device returns the device the model was built from (nil for the ideal
// model). Callers must not change it.
func (m *Model) Device() *device.Device {
	if m == nil {
		return nil
	}
	return m.dev
}

// Options returns the options the model was built with.
func (m *Model) Options() ModelOptions {
	if m == nil {
		return ModelOptions{}
	}
	return m.opt
}

// IsVirtual reports whether op is a gate that chips run with zero duration
// and no error: a single-qubit diagonal gate (rz, p, u1, z, s, t and their
// inverses), implemented as a change of the qubit's reference frame.
func IsVirtual(op *circuit.Op) bool {
	return op.Kind == circuit.GateOp && op.Gate != nil && op.Gate.Qubits == 1 && op.Gate.Diagonal
}

// OpNoise returns the channels that follow op when its qubits run on the
// given device qubits (physical[i] is the device qubit of op.Qubits[i]), in
// the order they apply. Each channel acts on all of the op's qubits in the
// op's argument order. Barriers, measurements, resets, virtual gates and
// every op of the ideal model have none. It fails for a gate on an unusable
// qubit, a two-qubit gate off the coupling map and a gate on three or more
// qubits (which must be transpiled to the basis first).
func (m *Model) OpNoise(op *circuit.Op, physical []int) ([]Channel, error) {
	if m == nil || op.Kind != circuit.GateOp || IsVirtual(op) {
		return nil, nil
	}
	if len(physical) != len(op.Qubits) {
		return nil, fmt.Errorf("gate %s: %d physical qubits for %d arguments", op.Name, len(physical), len(op.Qubits))
	}
	for _, p := range physical {
		if err := m.checkQubit(p); err != nil {
			return nil, fmt.Errorf("gate %s: %w", op.Name, err)
		}
	}
	switch len(physical) {
	case 1:
		return m.oneQ[physical[0]], nil
	case 2:
		chs, ok := m.twoQ[[2]int{physical[0], physical[1]}]
		if !ok {
			return nil, fmt.Errorf("gate %s on %s, %s: no such edge on device %s", op.Name,
				m.dev.Qubits[physical[0]].Name, m.dev.Qubits[physical[1]].Name, m.dev.Name)
		}
		return chs, nil
	}
	return nil, fmt.Errorf("gate %s on %d qubits: device %s calibrates only one- and two-qubit gates (transpile to its basis first)",
		op.Name, len(physical), m.dev.Name)
}

// checkQubit fails unless p is a usable device qubit.
func (m *Model) checkQubit(p int) error {
	if p < 0 || p >= len(m.dev.Qubits) {
		return fmt.Errorf("qubit %d is not on device %s (%d qubits)", p, m.dev.Name, len(m.dev.Qubits))
	}
	if !m.dev.Qubits[p].Usable {
		return fmt.Errorf("qubit %s (index %d) of device %s is not usable", m.dev.Qubits[p].Name, p, m.dev.Name)
	}
	return nil
}

// Readout returns the assignment error of device qubit q (zero for the
// ideal model or a qubit off the device).
func (m *Model) Readout(q int) ReadoutError {
	if m == nil || q < 0 || q >= len(m.readout) {
		return ReadoutError{}
	}
	return m.readout[q]
}

// Idle returns the thermal relaxation of device qubit q over durationNs
// nanoseconds of waiting.
func (m *Model) Idle(q int, durationNs float64) (Channel, error) {
	if m == nil {
		return Identity(1), nil
	}
	if err := m.checkQubit(q); err != nil {
		return Channel{}, err
	}
	return m.relaxation(q, durationNs)
}

// OpDuration returns how long op takes in nanoseconds on the given device
// qubits: Gate1QDuration for a single-qubit gate, the edge's Duration for a
// two-qubit gate, the qubit's ReadoutDuration for a measurement or reset,
// and 0 for virtual gates and barriers (and for every op of the ideal
// model).
func (m *Model) OpDuration(op *circuit.Op, physical []int) float64 {
	if m == nil || len(physical) == 0 {
		return 0
	}
	for _, p := range physical {
		if p < 0 || p >= len(m.dev.Qubits) {
			return 0
		}
	}
	switch op.Kind {
	case circuit.Measure, circuit.Reset:
		return m.dev.Qubits[physical[0]].ReadoutDuration
	case circuit.GateOp:
		if IsVirtual(op) {
			return 0
		}
		switch len(physical) {
		case 1:
			return m.dev.Qubits[physical[0]].Gate1QDuration
		case 2:
			if e, ok := m.dev.EdgeBetween(physical[0], physical[1]); ok {
				return e.Duration
			}
		}
	}
	return 0
}
