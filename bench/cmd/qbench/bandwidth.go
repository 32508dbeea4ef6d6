package main

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/qluster/qluster/qasm"
	"github.com/qluster/qluster/sim/engines"
)

// copyRounds is how many timed copies -copybw makes; the best counts.
const copyRounds = 10

// copyReport is the report of -copybw mode. Bandwidths count the bytes read
// plus the bytes written (STREAM's convention for copy): 2·Bytes per copy.
type copyReport struct {
	Mode     string    `json:"mode"`
	Bytes    int64     `json:"bytes"`
	Workers  int       `json:"workers"`
	GBps     []float64 `json:"gbps"`
	BestGBps float64   `json:"best_gbps"`
}

// copyBandwidth copies a buffer of size bytes ([]complex128) into another
// with workers goroutines, each copying one contiguous chunk, rounds times
// after touching both buffers, and reports the bandwidths (1 GB = 1e9 B).
func copyBandwidth(size int64, workers, rounds int) *copyReport {
	n := int(size / 16)
	src := make([]complex128, n)
	dst := make([]complex128, n)
	adviseHuge(src)
	adviseHuge(dst)
	chunks := split(n, workers)
	parallel(chunks, func(lo, hi int) {
		for i := lo; i < hi; i++ {
			src[i] = complex(float64(i), 0)
		}
		clear(dst[lo:hi])
	})
	rep := &copyReport{Mode: "copybw", Bytes: int64(n) * 16, Workers: workers}
	for range rounds {
		start := time.Now()
		parallel(chunks, func(lo, hi int) { copy(dst[lo:hi], src[lo:hi]) })
		gbps := 2 * float64(rep.Bytes) / time.Since(start).Seconds() / 1e9
		rep.GBps = append(rep.GBps, gbps)
		rep.BestGBps = max(rep.BestGBps, gbps)
	}
	if dst[n-1] != src[n-1] {
		panic("copy bandwidth: buffers differ after copy")
	}
	return rep
}

// split cuts [0, n) into at most parts contiguous chunks whose bounds are
// multiples of 256 elements (4 KiB of complex128), except the last.
func split(n, parts int) [][2]int {
	const align = 256
	per := (n + parts - 1) / parts
	per = (per + align - 1) / align * align
	var out [][2]int
	for lo := 0; lo < n; lo += per {
		out = append(out, [2]int{lo, min(lo+per, n)})
	}
	return out
}

// parallel calls f on every chunk, one goroutine each, and waits.
func parallel(chunks [][2]int, f func(lo, hi int)) {
	var wg sync.WaitGroup
	for _, c := range chunks {
		wg.Go(func() { f(c[0], c[1]) })
	}
	wg.Wait()
}

// gateReport is the report of -gatebw mode.
type gateReport struct {
	Mode     string        `json:"mode"`
	N        int           `json:"n"`
	Timed    int           `json:"timed_gates"`
	Workers  int           `json:"workers"`
	CopyGBps float64       `json:"copy_gbps"`
	Gates    []gateFigures `json:"gates"`
}

// gateFigures are the figures of one gate on one qubit. GBps counts
// 2·16·2^n bytes (the state read and written once) per gate; Fraction is
// GBps over the copy bandwidth. A non-positive per-gate time (the engine
// merged the gates after all) leaves GBps and Fraction zero and sets Note.
type gateFigures struct {
	Gate           string  `json:"gate"`
	Qubit          int     `json:"qubit"`
	ShortSeconds   float64 `json:"short_seconds"`
	LongSeconds    float64 `json:"long_seconds"`
	SecondsPerGate float64 `json:"seconds_per_gate"`
	GBps           float64 `json:"gbps"`
	Fraction       float64 `json:"fraction"`
	Note           string  `json:"note,omitempty"`
}

// gateCircuit returns a QASM program on n qubits applying gates h gates to
// qubit q, with a barrier between consecutive gates so that no fusion pass
// may merge them.
func gateCircuit(n, q, gates int) string {
	var b strings.Builder
	fmt.Fprintf(&b, "OPENQASM 2.0;\ninclude \"qelib1.inc\";\nqreg q[%d];\n", n)
	for i := range gates {
		if i > 0 {
			b.WriteString("barrier q;\n")
		}
		fmt.Fprintf(&b, "h q[%d];\n", q)
	}
	return b.String()
}

// gateBandwidth times circuits of 1 and 1+m.Gates h gates on qubits 0, n/2
// and n-1 of an m.GateN-qubit state on the state-vector engine; the
// difference of the best times, over m.Gates, is the time of one gate, free
// of allocation, first-touch page faults and setup.
func (m *Main) gateBandwidth(ctx context.Context) (*gateReport, error) {
	rep := &gateReport{Mode: "gatebw", N: m.GateN, Timed: m.Gates, Workers: m.Workers, CopyGBps: m.CopyGBps}
	if rep.CopyGBps <= 0 {
		rep.CopyGBps = copyBandwidth(m.CopySize, m.Workers, copyRounds).BestGBps
		freeMemory()
	}
	n := m.GateN
	qubits := slices.Compact([]int{0, n / 2, n - 1})
	opt := m.options("statevector")
	for _, q := range qubits {
		var best [2]float64
		for i, gates := range []int{1, 1 + m.Gates} {
			c, _, err := qasm.Parse([]byte(gateCircuit(n, q, gates)), qasm.Options{Name: "gatebw"})
			if err != nil {
				return nil, fmt.Errorf("gate circuit: %w", err)
			}
			eng, err := engines.Choose("statevector", c, opt)
			if err != nil {
				return nil, err
			}
			secs, err := timeRuns(ctx, eng, c, opt, m.Repeats, m.Budget)
			if err != nil {
				return nil, fmt.Errorf("gate circuit on qubit %d: %w", q, err)
			}
			best[i] = slices.Min(secs)
		}
		g := gateFigures{Gate: "h", Qubit: q, ShortSeconds: best[0], LongSeconds: best[1],
			SecondsPerGate: (best[1] - best[0]) / float64(m.Gates)}
		if g.SecondsPerGate > 0 {
			g.GBps = 2 * 16 * float64(int64(1)<<n) / g.SecondsPerGate / 1e9
			g.Fraction = g.GBps / rep.CopyGBps
		} else {
			g.Note = "gates took no time: merged by the engine?"
		}
		rep.Gates = append(rep.Gates, g)
	}
	return rep, nil
}
