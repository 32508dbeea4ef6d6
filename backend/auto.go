package backend

import (
	"context"
	"errors"
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/qluster/qluster"
	"github.com/qluster/qluster/circuit"
	"github.com/qluster/qluster/device"
	"github.com/qluster/qluster/sim/noise"
)

// AutoName is the backend name that asks for automatic choice (Choose).
const AutoName = "auto"

// Limits of automatic backend choice.
const (
	// ChooseMaxCircuits is how many circuits of a job Choose compiles per
	// candidate; a job's later circuits are validated but not estimated.
	ChooseMaxCircuits = 8
	// ChooseTimeout bounds one Choose call.
	ChooseTimeout = 10 * time.Second
	// EstimateMaxLevel caps the optimisation level Choose compiles at to
	// estimate success: the job's level (the backend's default when it
	// names none), but at most 2, so that the estimate places the circuit
	// where the run will (level 2's noise-aware layout) without level 3's
	// extra routing trials. A few milliseconds for small circuits.
	EstimateMaxLevel = 2
)

// Estimator is a backend that can estimate how likely a circuit is to run
// without error. Chip implements it; ideal simulators do not (they are
// always right, and Choose takes them only when no chip fits).
type Estimator interface {
	// EstimateSuccess returns the estimated success probability of c run
	// with opt, in [0, 1].
	EstimateSuccess(ctx context.Context, c *circuit.Circuit, opt RunOptions) (float64, error)
}

// Choose picks the backend that runs a job submitted to backend "auto"
// (httpapi.ChooseFunc). The rule:
//
//  1. Candidates are the online backends for which every circuit of the
//     job passes Validate with spec.
//  2. Among candidates that are Estimators (the emulated chips), it picks
//     the one with the highest estimated success probability of the job:
//     the product, over its first ChooseMaxCircuits circuits, of
//     EstimateSuccess. For a chip that is the product of the fidelities of
//     every gate and readout of the circuit as compiled with the job's
//     seed; the compiler's layout places the circuit on the chip's best
//     region, so the choice is of a chip and a region. Ties go to the
//     first name in order.
//  3. Only when no chip fits does it pick an ideal simulator (the first
//     candidate by name).
//
// With none, the error (ETOOLARGE when every backend refused the job as too
// large, else EINVALID) lists each backend's reason.
func (r *Registry) Choose(circuits []*circuit.Circuit, spec qluster.JobSpec) (string, error) {
	ctx, cancel := context.WithTimeout(context.Background(), ChooseTimeout)
	defer cancel()
	seed := uint64(0)
	if spec.Seed != nil {
		seed = *spec.Seed
	}
	opt := RunOptionsFor(spec, "", seed)
	var (
		reasons  []string
		allLarge = true
		best     string
		bestP    = -1.0
		ideal    string
	)
	refuse := func(name string, err error) {
		reasons = append(reasons, name+": "+qluster.ErrorMessage(err))
		if qluster.ErrorCode(err) != qluster.ETOOLARGE {
			allLarge = false
		}
	}
	for _, b := range r.Backends() {
		info := b.Info()
		if info.Status != qluster.BackendOnline {
			reasons = append(reasons, fmt.Sprintf("%s: %s", info.Name, info.Status))
			allLarge = false
			continue
		}
		if err := validateAll(b, circuits, spec); err != nil {
			refuse(info.Name, err)
			continue
		}
		est, ok := b.(Estimator)
		if !ok {
			if ideal == "" {
				ideal = info.Name
			}
			continue
		}
		p := 1.0
		var err error
		for i, c := range circuits {
			if i == ChooseMaxCircuits {
				break
			}
			var q float64
			if q, err = est.EstimateSuccess(ctx, c, opt); err != nil {
				break
			}
			p *= q
		}
		if err != nil {
			if ctx.Err() != nil {
				return "", fmt.Errorf("choosing a backend: %w", ctx.Err())
			}
			refuse(info.Name, err)
			continue
		}
		if p > bestP {
			best, bestP = info.Name, p
		}
	}
	switch {
	case best != "":
		return best, nil
	case ideal != "":
		return ideal, nil
	}
	code := qluster.EINVALID
	if allLarge && len(reasons) > 0 {
		code = qluster.ETOOLARGE
	}
	if len(reasons) == 0 {
		return "", qluster.Errorf(code, "no backend is registered")
	}
	return "", qluster.Errorf(code, "no backend can run the job: %s", strings.Join(reasons, "; "))
}

// validateAll validates every circuit against b, naming the first that
// fails when there are several.
func validateAll(b Backend, circuits []*circuit.Circuit, spec qluster.JobSpec) error {
	for i, c := range circuits {
		if err := b.Validate(c, spec); err != nil {
			if len(circuits) > 1 {
				return qluster.Errorf(qluster.ErrorCode(err), "circuits[%d]: %s", i, qluster.ErrorMessage(err))
			}
			return err
		}
	}
	return nil
}

// EstimateSuccess returns the estimated success probability of circ on the
// chip: the product of the fidelities of every operation of the circuit as
// it would run (compiled with opt.Seed at the job's level, at most
// EstimateMaxLevel, when transpilation is on; else as written): 1 − Gate1QError per non-virtual single-qubit
// gate, 1 − Edge.Error per two-qubit gate, 1 − (ReadoutP10 + ReadoutP01)/2
// per measurement. Decoherence while idle is not counted. Errors are those
// of Validate and of compilation.
func (c *Chip) EstimateSuccess(ctx context.Context, circ *circuit.Circuit, opt RunOptions) (float64, error) {
	if err := c.check(circ, opt); err != nil {
		return 0, err
	}
	phys := circ
	if c.transpiling(opt) {
		res, err := c.compileCircuit(ctx, circ, min(c.levelFor(opt), EstimateMaxLevel), opt.Seed, opt.Workers)
		if err != nil {
			return 0, err
		}
		phys = res.Circuit
	}
	return c.estimator.success(phys)
}

// estimator holds a device's per-operation fidelities as logarithms.
type estimator struct {
	dev     *device.Device
	gate1Q  []float64 // log(1 − Gate1QError) by qubit
	readout []float64 // log(1 − mean readout error) by qubit
}

func newEstimator(d *device.Device) estimator {
	e := estimator{dev: d, gate1Q: make([]float64, len(d.Qubits)), readout: make([]float64, len(d.Qubits))}
	for i, q := range d.Qubits {
		e.gate1Q[i] = math.Log1p(-q.Gate1QError)
		e.readout[i] = math.Log1p(-(q.ReadoutP10 + q.ReadoutP01) / 2)
	}
	return e
}

// success returns the product of the fidelities of c's operations, c being
// a circuit over the device's physical qubits.
func (e estimator) success(c *circuit.Circuit) (float64, error) {
	logP := 0.0
	for i := range c.Ops {
		op := &c.Ops[i]
		for _, q := range op.Qubits {
			if q >= len(e.dev.Qubits) {
				return 0, errors.New("estimate: circuit wider than the device")
			}
		}
		switch op.Kind {
		case circuit.Measure:
			logP += e.readout[op.Qubits[0]]
		case circuit.GateOp:
			switch {
			case noise.IsVirtual(op):
			case len(op.Qubits) == 1:
				logP += e.gate1Q[op.Qubits[0]]
			case len(op.Qubits) == 2:
				edge, ok := e.dev.EdgeBetween(op.Qubits[0], op.Qubits[1])
				if !ok {
					return 0, fmt.Errorf("estimate: %s on %v is not on a coupling edge", op.Name, op.Qubits)
				}
				logP += math.Log1p(-edge.Error)
			default:
				return 0, fmt.Errorf("estimate: gate %s on %d qubits is not native", op.Name, len(op.Qubits))
			}
		}
	}
	return math.Exp(logP), nil
}
