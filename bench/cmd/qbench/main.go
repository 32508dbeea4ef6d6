// Command qbench times Qluster's simulators for the peer benchmark harness
// (bench/run). It has three modes, each printing one JSON object:
//
//	qbench [-engine statevector] [-precision double|single] [-workers N] [-repeats K] [-shots S] [-cpuprofile F] FILE.qasm
//	qbench -copybw [-copy-bytes B] [-workers N]
//	qbench -gatebw [-n 28] [-gates 20] [-copy-gbps X] [-workers N] [-repeats K]
//
// The first parses FILE once, then times only the engine's Run, K times. The
// second measures memory copy bandwidth, STREAM-style. The third measures the
// bandwidth a single unfused 1-qubit gate achieves through the engine.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"runtime"
	"runtime/pprof"
)

func main() {
	m := &Main{Stdout: os.Stdout, Stderr: os.Stderr}
	if err := m.ParseFlags(os.Args[1:]); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return
		}
		fmt.Fprintln(os.Stderr, "qbench:", err)
		os.Exit(2)
	}
	if err := m.Run(context.Background()); err != nil {
		fmt.Fprintln(os.Stderr, "qbench:", err)
		os.Exit(1)
	}
}

// Main is the qbench command: its flags and where it writes (the report to
// Stdout, flag usage to Stderr).
type Main struct {
	Stdout, Stderr io.Writer

	Engine    string  // engine name for engines.Choose
	Precision string  // sim.PrecisionDouble or sim.PrecisionSingle
	Workers   int     // goroutines and GOMAXPROCS; 0 means all CPUs
	Repeats   int     // timed runs at most
	Budget    float64 // seconds after which no further run starts
	Shots     int     // shots per run; 0 evolves the state only
	Seed      uint64  // sampling seed
	State     string  // file for the final state (-state mode)
	File      string  // the QASM file (timing and -state modes)
	Profile   string  // CPU profile file for the whole Run ("" for none)

	CopyBW   bool    // -copybw mode
	CopySize int64   // bytes of the copied buffer
	GateBW   bool    // -gatebw mode
	GateN    int     // qubits of the -gatebw state
	Gates    int     // gates the long -gatebw circuit has beyond the short one
	CopyGBps float64 // copy bandwidth for -gatebw; 0 means measure it
}

// ParseFlags reads the command line into m. It fails on unknown flags, on a
// missing or extra FILE in timing mode, and on out-of-range values.
func (m *Main) ParseFlags(args []string) error {
	fs := flag.NewFlagSet("qbench", flag.ContinueOnError)
	if m.Stderr != nil {
		fs.SetOutput(m.Stderr)
	}
	fs.StringVar(&m.Engine, "engine", "statevector", "engine: statevector, stabilizer or auto")
	fs.StringVar(&m.Precision, "precision", "double", "state-vector precision: double or single")
	fs.IntVar(&m.Workers, "workers", 0, "goroutines (and GOMAXPROCS); 0: all CPUs")
	fs.IntVar(&m.Repeats, "repeats", 3, "timed runs")
	fs.Float64Var(&m.Budget, "budget", 60, "stop repeating once this many seconds are spent (at least one run)")
	fs.IntVar(&m.Shots, "shots", 0, "shots per run (0: evolve the state only)")
	fs.Uint64Var(&m.Seed, "seed", 1, "sampling seed")
	fs.StringVar(&m.State, "state", "", "write the final state (complex128, little-endian) to this file instead of timing")
	fs.StringVar(&m.Profile, "cpuprofile", "", "write a CPU profile of the run to this file")
	fs.BoolVar(&m.CopyBW, "copybw", false, "measure copy bandwidth")
	fs.Int64Var(&m.CopySize, "copy-bytes", 2<<30, "bytes of the copied buffer in -copybw mode")
	fs.BoolVar(&m.GateBW, "gatebw", false, "measure the bandwidth of one unfused 1-qubit gate")
	fs.IntVar(&m.GateN, "n", 28, "qubits in -gatebw mode")
	fs.IntVar(&m.Gates, "gates", 20, "in -gatebw mode, gates the long circuit has beyond the one of the short circuit")
	fs.Float64Var(&m.CopyGBps, "copy-gbps", 0, "copy bandwidth to compare with in -gatebw mode (0: measure it)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if m.CopyBW && m.GateBW {
		return errors.New("-copybw and -gatebw exclude each other")
	}
	switch {
	case m.CopyBW || m.GateBW:
		if fs.NArg() != 0 {
			return fmt.Errorf("-copybw and -gatebw take no FILE, got %d arguments", fs.NArg())
		}
	case fs.NArg() != 1:
		return fmt.Errorf("want exactly one FILE.qasm, got %d arguments", fs.NArg())
	default:
		m.File = fs.Arg(0)
	}
	if m.Precision != "double" && m.Precision != "single" {
		return fmt.Errorf("-precision %q must be double or single", m.Precision)
	}
	if m.Repeats < 1 {
		return fmt.Errorf("-repeats %d must be at least 1", m.Repeats)
	}
	if m.Workers < 0 || m.Shots < 0 {
		return errors.New("-workers and -shots must not be negative")
	}
	if m.Gates < 1 {
		return fmt.Errorf("-gates %d must be at least 1", m.Gates)
	}
	if m.GateN < 1 || m.GateN > 34 {
		return fmt.Errorf("-n %d must be between 1 and 34", m.GateN)
	}
	if m.CopySize < 1<<20 {
		return fmt.Errorf("-copy-bytes %d must be at least 1 MiB", m.CopySize)
	}
	return nil
}

// Run carries out the chosen mode and prints its JSON report.
func (m *Main) Run(ctx context.Context) error {
	if m.Workers == 0 {
		m.Workers = runtime.NumCPU()
	}
	runtime.GOMAXPROCS(m.Workers)
	if m.Profile != "" {
		f, err := os.Create(m.Profile)
		if err != nil {
			return fmt.Errorf("cpu profile: %w", err)
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			return fmt.Errorf("cpu profile: %w", err)
		}
		defer pprof.StopCPUProfile()
	}
	var (
		report any
		err    error
	)
	switch {
	case m.CopyBW:
		report = copyBandwidth(m.CopySize, m.Workers, copyRounds)
	case m.GateBW:
		report, err = m.gateBandwidth(ctx)
	case m.State != "":
		report, err = m.writeState(ctx)
	default:
		report, err = m.timeFile(ctx)
	}
	if err != nil {
		return err
	}
	enc := json.NewEncoder(m.Stdout)
	return enc.Encode(report)
}
