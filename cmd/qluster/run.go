package main

import (
	"context"
	"crypto/rand"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/spf13/cobra"

	ql "github.com/qluster/qluster"
	"github.com/qluster/qluster/backend"
	"github.com/qluster/qluster/circuit"
	"github.com/qluster/qluster/device"
	"github.com/qluster/qluster/qasm"
	"github.com/qluster/qluster/sim"
	"github.com/qluster/qluster/sim/engines"
)

// maxSourceBytes caps the size of a circuit file read by qluster run.
const maxSourceBytes = 256 << 20

// runCommand runs one OpenQASM 2 circuit locally, without a server.
type runCommand struct {
	stdin          io.Reader
	stdout, stderr io.Writer

	Shots         int
	Seed          uint64
	SeedSet       bool
	Output        string
	Probabilities bool
	Statevector   bool
	IncludeDir    string
	Engine        string
	Workers       int
	MaxBranches   int
	Precision     string
	Backend       string
	DevicesDir    string
	Transpile     bool
	Level         int
	// transpileSet and levelSet record that --transpile and
	// --optimization-level were given.
	transpileSet, levelSet bool
	// progressAfter is how long a run goes before progress is shown on a
	// terminal; isTerminal reports whether stderr is one.
	progressAfter time.Duration
	isTerminal    func() bool
}

func newRunCommand(stdin io.Reader, stdout, stderr io.Writer) *runCommand {
	return &runCommand{
		stdin: stdin, stdout: stdout, stderr: stderr,
		Shots: 1024, Output: "text", Engine: engines.Auto, Backend: backend.StateVectorName, Transpile: true,
		progressAfter: time.Second,
		isTerminal:    func() bool { return isTerminal(stderr) },
	}
}

func (r *runCommand) cobra() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "run FILE.qasm|-",
		Short: "Run an OpenQASM 2 circuit locally on a simulator",
		Long: `Run parses an OpenQASM 2.0 file (or standard input for "-") and simulates it.

With --backend sv (the default) it runs on the ideal simulator. With
--backend NAME of a chip (a built-in device or one from --devices) it runs as
the service's chip backend would: the circuit is compiled for the device
(unless --transpile=false, when it must already be native), the physical
qubits it touches are simulated with the noise of their calibration
(density matrix or trajectories, see --engine), and the output shows the
engine and what the compiler did.

Counts and probabilities use Qiskit's bit order: classical register bits with
the highest index on the left, registers in reverse declaration order separated
by a space. Without measurements, probabilities are over the qubits (qubit 0
rightmost) and the state vector is indexed by Σ qubit_k·2^k.`,
		Args: func(_ *cobra.Command, args []string) error {
			if len(args) != 1 {
				return usageError{fmt.Errorf("run takes exactly one FILE (or - for standard input), got %d", len(args))}
			}
			return nil
		},
		RunE: func(c *cobra.Command, args []string) error {
			r.SeedSet = c.Flags().Changed("seed")
			r.transpileSet = c.Flags().Changed("transpile")
			r.levelSet = c.Flags().Changed("optimization-level")
			return r.Run(c.Context(), args[0])
		},
	}
	f := cmd.Flags()
	f.IntVar(&r.Shots, "shots", r.Shots, "number of shots to sample (0: no sampling)")
	f.Uint64Var(&r.Seed, "seed", 0, "random seed for sampling (default: random, printed in the output)")
	f.StringVarP(&r.Output, "output", "o", r.Output, "output format: text or json")
	f.BoolVar(&r.Probabilities, "probabilities", false, "print the exact outcome distribution")
	f.BoolVar(&r.Statevector, "statevector", false, "print the final state vector (before terminal measurements)")
	f.StringVar(&r.IncludeDir, "include-dir", "", `directory other includes may be read from (default: the file's directory; none for "-")`)
	f.StringVar(&r.Engine, "engine", r.Engine, "simulator: "+strings.Join(engines.Names(), ", ")+" (auto: stabilizer for Clifford circuits, else statevector); on chips "+
		strings.Join(backend.ChipEngines, ", ")+" (auto: density matrix up to a dozen qubits, else trajectories)")
	f.StringVar(&r.Precision, "precision", "", "amplitude precision: double (default) or single")
	f.StringVar(&r.Backend, "backend", r.Backend, "sv (ideal simulator) or an emulated chip: "+strings.Join(device.Presets(), ", ")+", or one from --devices")
	f.StringVar(&r.DevicesDir, "devices", "", "directory of extra device JSON files (Qluster schema or Quafu chip format)")
	f.BoolVar(&r.Transpile, "transpile", r.Transpile, "on chips, compile the circuit for the device (false: it must already be native)")
	f.IntVarP(&r.Level, "optimization-level", "O", backend.DefaultChipLevel, "on chips, optimisation level 0 (map only) to 3 (heaviest)")
	f.IntVar(&r.Workers, "workers", 0, "simulation goroutines (default: number of CPUs)")
	f.IntVar(&r.MaxBranches, "max-branches", sim.DefaultMaxBranches, "bound on measurement branches enumerated for exact probabilities")
	return cmd
}

// Run executes the circuit in path ("-" for stdin) and writes the result.
func (r *runCommand) Run(ctx context.Context, path string) error {
	if r.Shots < 0 {
		return usageError{fmt.Errorf("--shots must be ≥ 0, got %d", r.Shots)}
	}
	if r.Output != "text" && r.Output != "json" {
		return usageError{fmt.Errorf("--output must be text or json, got %q", r.Output)}
	}
	if r.Precision != "" && r.Precision != sim.PrecisionDouble && r.Precision != sim.PrecisionSingle {
		return usageError{fmt.Errorf("--precision must be double or single, got %q", r.Precision)}
	}
	var chip *backend.Chip
	if r.Backend != backend.StateVectorName {
		var err error
		if chip, err = r.chip(); err != nil {
			return err
		}
	} else if r.transpileSet || r.levelSet {
		return usageError{errors.New("--transpile and --optimization-level apply to chip backends, not sv")}
	}
	src, name, err := r.readSource(path)
	if err != nil {
		return err
	}
	includeDir := r.IncludeDir
	if includeDir == "" && path != "-" {
		includeDir = filepath.Dir(path)
	}
	c, warnings, err := qasm.Parse(src, qasm.Options{Name: name, IncludeDir: includeDir})
	for _, w := range warnings {
		fmt.Fprintln(r.stderr, w.String())
	}
	if err != nil {
		return err
	}
	if !r.SeedSet {
		r.Seed = randomSeed()
	}
	if chip != nil {
		return r.runChip(ctx, chip, name, c)
	}
	opt := sim.Options{
		Shots: r.Shots, Seed: r.Seed, Probabilities: r.Probabilities, Statevector: r.Statevector,
		Workers: r.Workers, MaxBranches: r.MaxBranches, Precision: r.Precision,
	}
	engine, err := engines.Choose(r.Engine, c, opt)
	if err != nil {
		return usageError{err}
	}
	stopProgress := r.startProgress(&opt)
	res, err := engine.Run(ctx, c, opt)
	stopProgress()
	if err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	if r.Output == "json" {
		return writeJSON(r.stdout, res)
	}
	return writeText(r.stdout, name, c, res)
}

func (r *runCommand) readSource(path string) ([]byte, string, error) {
	var (
		in   io.Reader
		name = path
	)
	if path == "-" {
		in, name = r.stdin, "<stdin>"
	} else {
		f, err := os.Open(path)
		if err != nil {
			return nil, "", err
		}
		defer f.Close()
		in = f
	}
	src, err := io.ReadAll(io.LimitReader(in, maxSourceBytes+1))
	if err != nil {
		return nil, "", fmt.Errorf("read %s: %w", name, err)
	}
	if len(src) > maxSourceBytes {
		return nil, "", fmt.Errorf("%s: larger than %s", name, sim.FormatBytes(maxSourceBytes))
	}
	return src, name, nil
}

// startProgress installs a progress callback that, once the run has taken
// progressAfter and stderr is a terminal, redraws one status line. The
// returned function clears the line.
func (r *runCommand) startProgress(opt *sim.Options) (stop func()) {
	if !r.isTerminal() {
		return func() {}
	}
	start := time.Now()
	var mu sync.Mutex
	shown := false
	opt.Progress = func(p sim.Progress) {
		if time.Since(start) < r.progressAfter {
			return
		}
		mu.Lock()
		defer mu.Unlock()
		shown = true
		line := fmt.Sprintf("ops %d/%d", p.OpsDone, p.OpsTotal)
		if p.ShotsTotal > 0 {
			line += fmt.Sprintf("  shots %d/%d", p.ShotsDone, p.ShotsTotal)
		}
		fmt.Fprintf(r.stderr, "\r\033[K%s  %.1fs", line, time.Since(start).Seconds())
	}
	return func() {
		mu.Lock()
		defer mu.Unlock()
		if shown {
			fmt.Fprint(r.stderr, "\r\033[K")
		}
	}
}

func randomSeed() uint64 {
	var b [8]byte
	if _, err := rand.Read(b[:]); err != nil {
		return uint64(time.Now().UnixNano())
	}
	// Keep seeds within 2^53 so JSON clients that read numbers as float64
	// (JavaScript, jq) see the exact value.
	return binary.LittleEndian.Uint64(b[:]) >> 11
}

func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}

// circuitSummary is the header line of text output.
func circuitSummary(name string, c *circuit.Circuit, res *sim.Result) string {
	return fmt.Sprintf("%s: %d qubits, %d clbits, %d shots, seed %d, engine %s, %s",
		name, c.NumQubits, c.NumClbits, res.Shots, res.Seed, res.Engine, formatDuration(res.Duration))
}

func formatDuration(d time.Duration) string {
	switch {
	case d < time.Millisecond:
		return fmt.Sprintf("%.1f µs", float64(d)/float64(time.Microsecond))
	case d < time.Second:
		return fmt.Sprintf("%.1f ms", float64(d)/float64(time.Millisecond))
	}
	return fmt.Sprintf("%.2f s", d.Seconds())
}

// chip returns the --backend chip: a preset or a device of --devices.
func (r *runCommand) chip() (*backend.Chip, error) {
	tc := &transpileCommand{Backend: r.Backend, DevicesDir: r.DevicesDir}
	dev, err := tc.device()
	if err != nil {
		var ue usageError
		if errors.As(err, &ue) {
			return nil, usageError{fmt.Errorf("%w (or sv, the ideal simulator)", ue.error)}
		}
		return nil, err
	}
	return backend.NewChip(backend.ChipOptions{Device: dev, Workers: r.Workers})
}

// chipRunJSON is the JSON shape of qluster run's output on a chip: the
// ideal simulator's fields and what the compiler did.
type chipRunJSON struct {
	runJSON
	Backend  string              `json:"backend"`
	Compiled *ql.CompiledCircuit `json:"compiled,omitempty"`
}

// runChip runs c on chip as the service's chip backend does and writes
// the result.
func (r *runCommand) runChip(ctx context.Context, chip *backend.Chip, name string, c *circuit.Circuit) error {
	opt := backend.RunOptions{
		Name: name, Shots: r.Shots, Seed: r.Seed, Probabilities: r.Probabilities, Statevector: r.Statevector,
		Precision: r.Precision, Engine: r.Engine, Workers: r.Workers, Transpile: &r.Transpile, OptimizationLevel: &r.Level,
	}
	var so sim.Options
	stopProgress := r.startProgress(&so)
	opt.Progress = so.Progress
	res, err := chip.Run(ctx, c, opt)
	stopProgress()
	if err != nil {
		return fmt.Errorf("%s on %s: %w", name, chip.Info().Name, err)
	}
	sr := &sim.Result{
		Engine: res.Engine, Shots: res.Shots, Seed: res.Seed, NumQubits: c.NumQubits, NumClbits: c.NumClbits,
		Counts: res.Counts, Probabilities: res.Probabilities,
		Duration: time.Duration(res.DurationMS * float64(time.Millisecond)),
	}
	if r.Output == "json" {
		out := chipRunJSON{
			runJSON: runJSON{
				Counts: res.Counts, Shots: res.Shots, Seed: res.Seed, NumQubits: c.NumQubits, NumClbits: c.NumClbits,
				Engine: res.Engine, DurationMS: res.DurationMS, Probabilities: res.Probabilities,
			},
			Backend: chip.Info().Name, Compiled: res.Compiled,
		}
		enc := json.NewEncoder(r.stdout)
		enc.SetIndent("", "  ")
		enc.SetEscapeHTML(false)
		return enc.Encode(out)
	}
	if err := writeText(r.stdout, name, c, sr); err != nil {
		return err
	}
	var b strings.Builder
	fmt.Fprintf(&b, "\nbackend %s (noisy emulation, engine %s)\n", chip.Info().Name, res.Engine)
	if cc := res.Compiled; cc != nil {
		fmt.Fprintf(&b, "compiled at level %d: %d two-qubit gates, depth %d\ninitial layout %v\nfinal layout   %v\n",
			r.Level, cc.TwoQubitGates, cc.Depth, cc.InitialLayout, cc.FinalLayout)
	} else {
		fmt.Fprintln(&b, "not transpiled: ran as written")
	}
	_, err = io.WriteString(r.stdout, b.String())
	return err
}
