package main

import (
	"bufio"
	"context"
	"encoding/binary"
	"fmt"
	"math"
	"os"
	"runtime"
	"runtime/debug"
	"time"

	"github.com/qluster/qluster/circuit"
	"github.com/qluster/qluster/qasm"
	"github.com/qluster/qluster/sim"
	"github.com/qluster/qluster/sim/engines"
)

// timing is the report of timing mode.
type timing struct {
	Engine  string    `json:"engine"`
	File    string    `json:"file"`
	N       int       `json:"n"`
	Ops     int       `json:"ops"`
	Workers int       `json:"workers"`
	Shots   int       `json:"shots"`
	Seconds []float64 `json:"seconds"`
}

// stateReport is the report of -state mode.
type stateReport struct {
	Engine string `json:"engine"`
	N      int    `json:"n"`
	State  string `json:"state"`
}

// parse reads and parses the QASM file at path.
func parse(path string) (*circuit.Circuit, error) {
	c, _, err := qasm.ParseFile(path, qasm.Options{})
	if err != nil {
		return nil, fmt.Errorf("parse %s: %w", path, err)
	}
	return c, nil
}

// options returns the run options for engine name: the final state is asked
// of the state-vector engine when nothing is sampled, so that no engine can
// skip the evolution for want of an output. In single precision it is not
// asked for (the engine would widen it to complex128 for the Result, a
// conversion pass and a second, double-size allocation that qsim's
// single-precision hand-back does not pay); the state-vector engine evolves
// the state all the same.
func (m *Main) options(name string) sim.Options {
	return sim.Options{
		Shots:       m.Shots,
		Seed:        m.Seed,
		Workers:     m.Workers,
		Precision:   m.Precision,
		Statevector: m.Shots == 0 && name != "stabilizer" && m.Precision != sim.PrecisionSingle,
	}
}

// timeFile parses m.File once and times the engine's Run on it.
func (m *Main) timeFile(ctx context.Context) (*timing, error) {
	c, err := parse(m.File)
	if err != nil {
		return nil, err
	}
	opt := m.options(m.Engine)
	eng, err := engines.Choose(m.Engine, c, opt)
	if err != nil {
		return nil, err
	}
	secs, err := timeRuns(ctx, eng, c, opt, m.Repeats, m.Budget)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", m.File, err)
	}
	return &timing{
		Engine: eng.Name(), File: m.File, N: c.NumQubits, Ops: len(c.Ops),
		Workers: m.Workers, Shots: m.Shots, Seconds: secs,
	}, nil
}

// timeRuns runs eng on c up to repeats times, stopping early once more than
// budget seconds are spent (after at least one run), and returns the wall
// seconds of each Run call. Memory is returned to the system between runs,
// outside the timed region, so that one run's state is gone before the next
// is allocated.
func timeRuns(ctx context.Context, eng sim.Engine, c *circuit.Circuit, opt sim.Options, repeats int, budget float64) ([]float64, error) {
	var secs []float64
	spent := 0.0
	for range repeats {
		freeMemory()
		start := time.Now()
		res, err := eng.Run(ctx, c, opt)
		d := time.Since(start).Seconds()
		if err != nil {
			return nil, err
		}
		runtime.KeepAlive(res)
		secs = append(secs, d)
		if spent += d; spent > budget {
			break
		}
	}
	freeMemory()
	return secs, nil
}

// freeMemory runs the garbage collector and returns freed memory to the OS.
func freeMemory() {
	runtime.GC()
	debug.FreeOSMemory()
}

// writeState runs m.File once and writes the final amplitudes to m.State as
// little-endian complex128 (real, imaginary) pairs, the layout numpy reads
// with fromfile(dtype=complex128).
func (m *Main) writeState(ctx context.Context) (*stateReport, error) {
	c, err := parse(m.File)
	if err != nil {
		return nil, err
	}
	opt := m.options(m.Engine)
	opt.Shots, opt.Statevector = 0, true
	eng, err := engines.Choose(m.Engine, c, opt)
	if err != nil {
		return nil, err
	}
	res, err := eng.Run(ctx, c, opt)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", m.File, err)
	}
	if len(res.Statevector) != 1<<c.NumQubits {
		return nil, fmt.Errorf("%s: engine %s returned %d amplitudes, want %d", m.File, res.Engine, len(res.Statevector), 1<<c.NumQubits)
	}
	f, err := os.Create(m.State)
	if err != nil {
		return nil, fmt.Errorf("write state: %w", err)
	}
	w := bufio.NewWriter(f)
	var buf [16]byte
	for _, a := range res.Statevector {
		binary.LittleEndian.PutUint64(buf[:8], math.Float64bits(real(a)))
		binary.LittleEndian.PutUint64(buf[8:], math.Float64bits(imag(a)))
		if _, err := w.Write(buf[:]); err != nil {
			f.Close()
			return nil, fmt.Errorf("write state: %w", err)
		}
	}
	if err := w.Flush(); err != nil {
		f.Close()
		return nil, fmt.Errorf("write state: %w", err)
	}
	if err := f.Close(); err != nil {
		return nil, fmt.Errorf("write state: %w", err)
	}
	return &stateReport{Engine: res.Engine, N: c.NumQubits, State: m.State}, nil
}
