package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"github.com/qluster/qluster/device"
	"github.com/qluster/qluster/qasm"
	"github.com/qluster/qluster/transpile/preset"
)

// transpileCommand compiles one OpenQASM 2 circuit for a device.
type transpileCommand struct {
	stdin          io.Reader
	stdout, stderr io.Writer

	Backend    string
	Level      int
	Seed       uint64
	Output     string
	DevicesDir string
	IncludeDir string
}

func newTranspileCommand(stdin io.Reader, stdout, stderr io.Writer) *transpileCommand {
	return &transpileCommand{stdin: stdin, stdout: stdout, stderr: stderr, Level: 2, Output: "qasm"}
}

func (tc *transpileCommand) cobra() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "transpile FILE.qasm|- --backend NAME",
		Short: "Compile an OpenQASM 2 circuit for a device",
		Long: `Transpile compiles an OpenQASM 2.0 file (or standard input for "-") for a device:
layout onto its usable qubits, SABRE routing onto its coupling map, translation
into its basis gates and optimisation (levels 0 to 3; 0 only maps).

With -o qasm (the default) the compiled circuit is printed as OpenQASM 2.0 on
standard output and its figures (two-qubit gates, depth, layouts, time) on
standard error; with -o json one object holds them all. Layouts list, for each
virtual qubit, the physical qubit it starts (initial) or ends (final) on.`,
		Args: func(_ *cobra.Command, args []string) error {
			if len(args) != 1 {
				return usageError{fmt.Errorf("transpile takes exactly one FILE (or - for standard input), got %d", len(args))}
			}
			return nil
		},
		RunE: func(c *cobra.Command, args []string) error { return tc.Run(c.Context(), args[0]) },
	}
	f := cmd.Flags()
	f.StringVar(&tc.Backend, "backend", "", "device to compile for: "+strings.Join(device.Presets(), ", ")+", or one from --devices")
	f.IntVarP(&tc.Level, "optimization-level", "O", tc.Level, "optimisation level 0 (map only) to 3 (heaviest)")
	f.Uint64Var(&tc.Seed, "seed", 0, "seed of the layout and routing trials")
	f.StringVarP(&tc.Output, "output", "o", tc.Output, "output format: qasm or json")
	f.StringVar(&tc.DevicesDir, "devices", "", "directory of extra device JSON files (Qluster schema or Quafu chip format)")
	f.StringVar(&tc.IncludeDir, "include-dir", "", `directory other includes may be read from (default: the file's directory; none for "-")`)
	return cmd
}

// transpileJSON is the JSON shape of qluster transpile's output.
type transpileJSON struct {
	Backend           string              `json:"backend"`
	OptimizationLevel int                 `json:"optimization_level"`
	Seed              uint64              `json:"seed"`
	QASM              string              `json:"qasm"`
	InitialLayout     []int               `json:"initial_layout"`
	FinalLayout       []int               `json:"final_layout"`
	TwoQubitGates     int                 `json:"two_qubit_gates"`
	Depth             int                 `json:"depth"`
	DurationMS        float64             `json:"duration_ms"`
	Passes            []transpilePassJSON `json:"passes"`
}

type transpilePassJSON struct {
	Name       string  `json:"name"`
	DurationMS float64 `json:"duration_ms"`
}

// Run compiles the circuit in path ("-" for stdin) and writes the result.
func (tc *transpileCommand) Run(ctx context.Context, path string) error {
	if tc.Output != "qasm" && tc.Output != "json" {
		return usageError{fmt.Errorf("--output must be qasm or json, got %q", tc.Output)}
	}
	if tc.Level < 0 || tc.Level > preset.MaxLevel {
		return usageError{fmt.Errorf("--optimization-level must be 0 to %d, got %d", preset.MaxLevel, tc.Level)}
	}
	if tc.Backend == "" {
		return usageError{errors.New("--backend is required: " + strings.Join(tc.backendNames(nil), ", "))}
	}
	dev, err := tc.device()
	if err != nil {
		return err
	}
	r := &runCommand{stdin: tc.stdin}
	src, name, err := r.readSource(path)
	if err != nil {
		return err
	}
	includeDir := tc.IncludeDir
	if includeDir == "" && path != "-" {
		includeDir = filepath.Dir(path)
	}
	c, warnings, err := qasm.Parse(src, qasm.Options{Name: name, IncludeDir: includeDir})
	for _, w := range warnings {
		fmt.Fprintln(tc.stderr, w.String())
	}
	if err != nil {
		return err
	}
	res, err := preset.Run(ctx, c, dev, preset.Options{Level: tc.Level, Seed: tc.Seed})
	if err != nil {
		return fmt.Errorf("%s: transpile for %s: %w", name, dev.Name, err)
	}
	text, err := qasm.String(res.Circuit)
	if err != nil {
		return fmt.Errorf("%s: write compiled circuit: %w", name, err)
	}
	if tc.Output == "json" {
		out := transpileJSON{
			Backend: dev.Name, OptimizationLevel: tc.Level, Seed: tc.Seed, QASM: text,
			InitialLayout: nonNil(res.InitialLayout), FinalLayout: nonNil(res.FinalLayout),
			TwoQubitGates: res.TwoQubitGates, Depth: res.Depth, DurationMS: ms(res.Duration.Nanoseconds()),
			Passes: []transpilePassJSON{},
		}
		for _, p := range res.Passes {
			out.Passes = append(out.Passes, transpilePassJSON{Name: p.Name, DurationMS: ms(p.Duration.Nanoseconds())})
		}
		enc := json.NewEncoder(tc.stdout)
		enc.SetIndent("", "  ")
		enc.SetEscapeHTML(false)
		return enc.Encode(out)
	}
	if _, err := io.WriteString(tc.stdout, text); err != nil {
		return err
	}
	fmt.Fprintf(tc.stderr, "%s → %s (level %d, seed %d): %d two-qubit gates, depth %d, %.1f ms\n",
		name, dev.Name, tc.Level, tc.Seed, res.TwoQubitGates, res.Depth, ms(res.Duration.Nanoseconds()))
	fmt.Fprintf(tc.stderr, "initial layout %v\nfinal layout   %v\n", []int(res.InitialLayout), []int(res.FinalLayout))
	return nil
}

// device returns the --backend device: a preset or a file of --devices.
func (tc *transpileCommand) device() (*device.Device, error) {
	var extra []*device.Device
	if tc.DevicesDir != "" {
		var err error
		if extra, err = device.LoadDir(tc.DevicesDir); err != nil {
			return nil, fmt.Errorf("--devices: %w", err)
		}
	}
	for _, d := range extra {
		if d.Name == tc.Backend {
			return d, nil
		}
	}
	d, err := device.Preset(tc.Backend)
	if errors.Is(err, device.ErrUnknownPreset) {
		return nil, usageError{fmt.Errorf("unknown backend %q: want one of %s", tc.Backend, strings.Join(tc.backendNames(extra), ", "))}
	}
	return d, err
}

func (tc *transpileCommand) backendNames(extra []*device.Device) []string {
	names := device.Presets()
	for _, d := range extra {
		names = append(names, d.Name)
	}
	return names
}

func nonNil(l []int) []int {
	if l == nil {
		return []int{}
	}
	return l
}

func ms(ns int64) float64 { return float64(ns) / 1e6 }
