package noise

import (
	"fmt"

	"github.com/qluster/qluster/circuit"
)

// Step is one operation of a noisy run: a circuit op followed by its noise,
// or (Op nil) noise alone on waiting qubits.
type Step struct {
	// Op is the circuit op, or nil for an idle step.
	Op *circuit.Op
	// Noise lists the channels that follow Op, in order; each acts on
	// Qubits (channel argument i is circuit qubit Qubits[i]). An op with a
	// condition gets its noise only when it runs.
	Noise []Channel
	// Qubits are circuit qubit indices: Op.Qubits for an op step, the
	// waiting qubit for an idle step.
	Qubits []int
	// Readout is the assignment error of a measurement (zero otherwise).
	Readout ReadoutError
}

// Plan returns the steps of circuit c when circuit qubit i runs on device
// qubit physical[i] (nil physical: circuit qubit i is device qubit i). A nil
// Model gives the ops alone.
//
// With ModelOptions.IdleNoise, Plan schedules the ops as soon as possible:
// a gate starts when all its qubits are free (and, if conditioned, when its
// register's bits are written), a barrier aligns its qubits, and a
// measurement starts when its qubit is free and every gate issued before it
// has finished (readout is a chip-wide step: terminal measurements start
// together). Before each op, a qubit that has already been used and waited
// since its last op gets an idle step of thermal relaxation for the time it
// waited; at the end, every used qubit whose last op is not a measurement
// waits until the last gate ends. Qubits not yet used are in |0⟩, which
// relaxation leaves unchanged, and get no idle step.
//
// It fails when physical does not name one distinct usable device qubit per
// circuit qubit, and where OpNoise fails.
func (m *Model) Plan(c *circuit.Circuit, physical []int) ([]Step, error) {
	steps := make([]Step, 0, len(c.Ops))
	if m == nil {
		for i := range c.Ops {
			op := &c.Ops[i]
			steps = append(steps, Step{Op: op, Qubits: op.Qubits})
		}
		return steps, nil
	}
	phys, err := m.layout(c.NumQubits, physical)
	if err != nil {
		return nil, err
	}
	s := scheduler{m: m, c: c, phys: phys,
		free: make([]float64, c.NumQubits), used: make([]bool, c.NumQubits),
		measured: make([]bool, c.NumQubits), clbit: make([]float64, c.NumClbits)}
	for i := range c.Ops {
		op := &c.Ops[i]
		p := make([]int, len(op.Qubits))
		for k, q := range op.Qubits {
			p[k] = phys[q]
		}
		noise, err := m.OpNoise(op, p)
		if err != nil {
			return nil, fmt.Errorf("op %d: %w", i, err)
		}
		step := Step{Op: op, Noise: noise, Qubits: op.Qubits}
		if op.Kind == circuit.Measure {
			step.Readout = m.Readout(p[0])
		}
		if m.opt.IdleNoise {
			idle, err := s.schedule(op, p)
			if err != nil {
				return nil, fmt.Errorf("op %d: %w", i, err)
			}
			steps = append(steps, idle...)
		}
		steps = append(steps, step)
	}
	if m.opt.IdleNoise {
		tail, err := s.finish()
		if err != nil {
			return nil, err
		}
		steps = append(steps, tail...)
	}
	return steps, nil
}

// layout checks physical against the device and returns it, or the
// identity layout for nil.
func (m *Model) layout(n int, physical []int) ([]int, error) {
	if physical == nil {
		if n > len(m.dev.Qubits) {
			return nil, fmt.Errorf("%d circuit qubits on device %s with %d qubits", n, m.dev.Name, len(m.dev.Qubits))
		}
		physical = make([]int, n)
		for i := range physical {
			physical[i] = i
		}
	}
	if len(physical) != n {
		return nil, fmt.Errorf("layout names %d device qubits for %d circuit qubits", len(physical), n)
	}
	seen := map[int]bool{}
	for i, p := range physical {
		if err := m.checkQubit(p); err != nil {
			return nil, fmt.Errorf("circuit qubit %d: %w", i, err)
		}
		if seen[p] {
			return nil, fmt.Errorf("circuit qubit %d: device qubit %d is used twice in the layout", i, p)
		}
		seen[p] = true
	}
	return physical, nil
}

// scheduler tracks per-qubit time for idle noise.
type scheduler struct {
	m        *Model
	c        *circuit.Circuit
	phys     []int
	free     []float64 // when each circuit qubit is next free, ns
	used     []bool    // whether the qubit has had an op
	measured []bool    // whether the qubit's last op is a measurement
	clbit    []float64 // when each clbit was last written
	gateEnd  float64   // latest end of any gate or reset so far
}

// schedule places op and returns the idle steps that precede it.
func (s *scheduler) schedule(op *circuit.Op, p []int) ([]Step, error) {
	start := 0.0
	for _, q := range op.Qubits {
		start = max(start, s.free[q])
	}
	if op.Cond != nil {
		r := s.c.CRegs[op.Cond.CReg]
		for b := r.Offset; b < r.Offset+r.Size; b++ {
			start = max(start, s.clbit[b])
		}
	}
	if op.Kind == circuit.Measure {
		start = max(start, s.gateEnd)
	}
	// A measured qubit waiting for a barrier or another measurement keeps
	// its outcome: no idle noise, so terminal measurements may be deferred.
	gate := op.Kind == circuit.GateOp || op.Kind == circuit.Reset
	idle, err := s.wait(op.Qubits, start, !gate)
	if err != nil {
		return nil, err
	}
	end := start + s.m.OpDuration(op, p)
	for _, q := range op.Qubits {
		s.free[q] = max(s.free[q], end)
		if op.Kind != circuit.Barrier {
			s.used[q] = true
			s.measured[q] = op.Kind == circuit.Measure
		}
	}
	switch op.Kind {
	case circuit.Measure:
		s.clbit[op.Clbits[0]] = end
	case circuit.GateOp, circuit.Reset:
		s.gateEnd = max(s.gateEnd, end)
	}
	return idle, nil
}

// wait returns idle steps bringing each used qubit of qs to time t
// (skipping measured qubits if skipMeasured).
func (s *scheduler) wait(qs []int, t float64, skipMeasured bool) ([]Step, error) {
	var out []Step
	for _, q := range qs {
		if t <= s.free[q] {
			continue
		}
		if !s.used[q] || skipMeasured && s.measured[q] {
			s.free[q] = t
			continue
		}
		ch, err := s.m.Idle(s.phys[q], t-s.free[q])
		if err != nil {
			return nil, err
		}
		out = append(out, Step{Noise: []Channel{ch}, Qubits: []int{q}})
		s.free[q] = t
	}
	return out, nil
}

// finish returns the idle steps that bring every used, unmeasured qubit to
// the end of the circuit.
func (s *scheduler) finish() ([]Step, error) {
	end := s.gateEnd
	qs := make([]int, len(s.free))
	for q := range qs {
		qs[q] = q
	}
	return s.wait(qs, end, true)
}

// Deferrable reports, for each step of a plan of c, whether it is a
// measurement that may be read at the end of the run instead of when it
// comes: one without a condition, whose qubit no later gate, reset or
// noise step touches, whose register no later op tests, and whose clbit no
// later non-deferrable measurement overwrites. Deferring such measurements
// does not change the outcome distribution, and lets engines sample
// terminal measurements from the final state.
func Deferrable(c *circuit.Circuit, steps []Step) []bool {
	regOf := make([]int, c.NumClbits)
	for r, reg := range c.CRegs {
		for b := reg.Offset; b < reg.Offset+reg.Size; b++ {
			regOf[b] = r
		}
	}
	out := make([]bool, len(steps))
	touched := make([]bool, c.NumQubits)
	tested := make([]bool, len(c.CRegs))
	written := make([]bool, c.NumClbits)
	for i := len(steps) - 1; i >= 0; i-- {
		st := &steps[i]
		switch {
		case st.Op == nil || st.Op.Kind == circuit.GateOp || st.Op.Kind == circuit.Reset:
			for _, q := range st.Qubits {
				touched[q] = true
			}
		case st.Op.Kind == circuit.Measure:
			q, b := st.Op.Qubits[0], st.Op.Clbits[0]
			out[i] = st.Op.Cond == nil && !touched[q] && !tested[regOf[b]] && !written[b]
			if !out[i] {
				written[b] = true
			}
		}
		if st.Op != nil && st.Op.Cond != nil {
			tested[st.Op.Cond.CReg] = true
		}
	}
	return out
}
