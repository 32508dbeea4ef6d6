// Package sim defines the engine interface every simulator implements
// (statevec today; densitymat, stabilizer and others later) and the options
// and result they share. Engines know nothing of HTTP, storage or devices:
// they take a bound circuit and return counts, probabilities and amplitudes.
package sim

import (
	"context"
	"errors"
	"fmt"
	"os"
	"runtime"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/qluster/qluster/circuit"
)

// Engine runs circuits.
type Engine interface {
	// Name identifies the engine in results ("statevector", …).
	Name() string
	// Run simulates c. It fails with an error wrapping ErrUnsupported for an
	// operation the engine cannot run (an opaque gate, an unbound
	// parameter), ErrTooLarge when the state would not fit MemoryLimit, and
	// ErrTooManyBranches when exact probabilities need more branches than
	// MaxBranches. It honours ctx cancellation between operations.
	Run(ctx context.Context, c *circuit.Circuit, opt Options) (*Result, error)
}

// Errors engines wrap.
var (
	ErrUnsupported     = errors.New("unsupported operation")
	ErrTooLarge        = errors.New("circuit too large")
	ErrTooManyBranches = errors.New("too many measurement branches")
)

// DefaultMaxBranches bounds the branch enumeration used for exact
// probabilities of circuits with mid-circuit measurement, reset or
// conditions.
const DefaultMaxBranches = 4096

// Precisions of Options.Precision.
const (
	// PrecisionDouble stores amplitudes as complex128.
	PrecisionDouble = "double"
	// PrecisionSingle stores amplitudes as complex64.
	PrecisionSingle = "single"
)

// Options control one run.
type Options struct {
	// Shots is the number of samples; 0 means no sampling (Counts empty).
	Shots int
	// Seed makes sampling reproducible: the same circuit, options and seed
	// give the same counts, whatever Workers is.
	Seed uint64
	// Probabilities asks for the exact outcome distribution: over the
	// classical bits if the circuit measures, else over the qubits.
	Probabilities bool
	// Statevector asks for the final amplitudes (only for circuits without
	// measurement or reset, or whose measurements are all terminal: the
	// state before them).
	Statevector bool
	// Workers is the number of goroutines; 0 means GOMAXPROCS.
	Workers int
	// Precision is PrecisionDouble (complex128, the default when empty) or
	// PrecisionSingle (complex64: half the memory, about 1e-6 relative
	// error). Engines without a single-precision path refuse
	// PrecisionSingle with ErrUnsupported.
	Precision string
	// MaxBranches bounds branch enumeration; 0 means DefaultMaxBranches.
	MaxBranches int
	// MemoryLimit caps the engine's state memory in bytes; 0 means
	// MemoryBudget().
	MemoryLimit int64
	// Progress, if set, is called from time to time during the run.
	Progress func(Progress)
}

// Progress reports how far a run has come.
type Progress struct {
	OpsDone, OpsTotal     int
	ShotsDone, ShotsTotal int
}

// Result is what an engine returns. Counts keys and Probabilities keys use
// Qiskit's bit order (circuit.Key, circuit.QubitKey).
type Result struct {
	Engine        string
	Shots         int
	Seed          uint64
	NumQubits     int
	NumClbits     int
	Counts        map[string]int
	Probabilities map[string]float64
	Statevector   []complex128
	Duration      time.Duration
}

// WorkersOrDefault returns opt.Workers, or GOMAXPROCS when it is 0.
func (opt Options) WorkersOrDefault() int {
	if opt.Workers > 0 {
		return opt.Workers
	}
	return runtime.GOMAXPROCS(0)
}

// MaxBranchesOrDefault returns opt.MaxBranches, or DefaultMaxBranches.
func (opt Options) MaxBranchesOrDefault() int {
	if opt.MaxBranches > 0 {
		return opt.MaxBranches
	}
	return DefaultMaxBranches
}

// MemoryLimitOrDefault returns opt.MemoryLimit, or MemoryBudget().
func (opt Options) MemoryLimitOrDefault() int64 {
	if opt.MemoryLimit > 0 {
		return opt.MemoryLimit
	}
	return MemoryBudget()
}

// MemoryBudget returns the bytes a simulation may use on this machine: 80%
// of available memory (MemAvailable from /proc/meminfo), or 4 GiB where that
// cannot be read. QLUSTER_MEMORY_LIMIT (bytes) overrides it.
// The figure from /proc/meminfo is reused for a second, so that many small
// runs do not each read the file.
func MemoryBudget() int64 {
	if s := os.Getenv("QLUSTER_MEMORY_LIMIT"); s != "" {
		if v, err := strconv.ParseInt(s, 10, 64); err == nil && v > 0 {
			return v
		}
	}
	now := time.Now().UnixNano()
	if c := budgetCache.Load(); c != nil && now-c.at < int64(time.Second) {
		return c.bytes
	}
	v := readMemoryBudget()
	budgetCache.Store(&cachedBudget{at: now, bytes: v})
	return v
}

// cachedBudget is a figure of readMemoryBudget and when it was read.
type cachedBudget struct{ at, bytes int64 }

// budgetCache holds the last figure of readMemoryBudget.
var budgetCache atomic.Pointer[cachedBudget]

// readMemoryBudget returns 80% of MemAvailable, or 4 GiB where it cannot
// be read.
func readMemoryBudget() int64 {
	if b, err := os.ReadFile("/proc/meminfo"); err == nil {
		for _, line := range strings.Split(string(b), "\n") {
			f := strings.Fields(line)
			if len(f) >= 2 && f[0] == "MemAvailable:" {
				if kb, err := strconv.ParseInt(f[1], 10, 64); err == nil {
					return kb * 1024 / 10 * 8
				}
			}
		}
	}
	return 4 << 30
}

// CheckMemory returns an error wrapping ErrTooLarge if need bytes exceed
// limit; what names the structure ("state vector of 34 qubits").
func CheckMemory(what string, need, limit int64) error {
	if need > limit || need < 0 {
		return fmt.Errorf("%w: %s needs %s, memory limit is %s", ErrTooLarge, what, FormatBytes(need), FormatBytes(limit))
	}
	return nil
}

// FormatBytes renders n as a human figure ("16 GiB").
func FormatBytes(n int64) string {
	const unit = 1024
	if n < 0 {
		return "more than 8 EiB"
	}
	if n < unit {
		return fmt.Sprintf("%d B", n)
	}
	div, exp := int64(unit), 0
	for m := n / unit; m >= unit; m /= unit {
		div *= unit
		exp++
	}
	return fmt.Sprintf("%.3g %ciB", float64(n)/float64(div), "KMGTPE"[exp])
}
