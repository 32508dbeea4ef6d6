package backend_test

import (
	"context"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/qluster/qluster"
	"github.com/qluster/qluster/backend"
	"github.com/qluster/qluster/circuit"
	"github.com/qluster/qluster/device"
	"github.com/qluster/qluster/qasm"
	"github.com/qluster/qluster/sim"
	"github.com/qluster/qluster/sim/densitymat"
	"github.com/qluster/qluster/sim/noise"
)

func newChip(t *testing.T, name string) *backend.Chip {
	t.Helper()
	d, err := device.Preset(name)
	if err != nil {
		t.Fatal(err)
	}
	ch, err := backend.NewChip(backend.ChipOptions{Device: d})
	if err != nil {
		t.Fatal(err)
	}
	return ch
}

func ptr[T any](v T) *T { return &v }

// ghz returns an n-qubit GHZ circuit with terminal measurements.
func ghz(n int) string {
	src := fmt.Sprintf("OPENQASM 2.0;\ninclude \"qelib1.inc\";\nqreg q[%d];\ncreg c[%d];\nh q[0];\n", n, n)
	for i := 1; i < n; i++ {
		src += fmt.Sprintf("cx q[%d],q[%d];\n", i-1, i)
	}
	return src + "measure q -> c;\n"
}

func TestChipInfo(t *testing.T) {
	for _, name := range device.Presets() {
		t.Run(name, func(t *testing.T) {
			ch := newChip(t, name)
			d := ch.Device()
			info := ch.Info()
			if info.Name != name || info.Kind != qluster.BackendChip || info.Status != qluster.BackendOnline {
				t.Errorf("Info() = %s %s %s, want %s chip online", info.Name, info.Kind, info.Status, name)
			}
			if got, want := info.NumQubits, len(d.UsableQubits()); got != want {
				t.Errorf("NumQubits = %d, want %d usable", got, want)
			}
			if !slices.Equal(info.Basis, d.Basis) || len(info.CouplingMap) != len(d.CouplingMap()) {
				t.Errorf("basis %v, %d coupling pairs; want %v, %d", info.Basis, len(info.CouplingMap), d.Basis, len(d.CouplingMap()))
			}
			if !slices.Equal(info.Engines, []string{"auto", noise.EngineDensityMatrix, noise.EngineTrajectory}) {
				t.Errorf("Engines = %v", info.Engines)
			}
			want := qluster.BackendDefaults{Shots: 1024, Transpile: true, OptimizationLevel: backend.DefaultChipLevel, Engine: "auto"}
			if info.Defaults != want {
				t.Errorf("Defaults = %+v, want %+v", info.Defaults, want)
			}
			back, err := device.Parse(info.Calibration)
			if err != nil {
				t.Fatalf("calibration does not parse as a device: %v", err)
			}
			if len(back.Qubits) != len(d.Qubits) || len(back.Defaults) != len(d.Defaults) {
				t.Errorf("calibration: %d qubits, %d default records; want %d, %d", len(back.Qubits), len(back.Defaults), len(d.Qubits), len(d.Defaults))
			}
		})
	}
}

func TestChipValidate(t *testing.T) {
	ex := newChip(t, "example10")
	dl := newChip(t, "dongling")
	unusable := -1
	for i, q := range dl.Device().Qubits {
		if !q.Usable {
			unusable = i
			break
		}
	}
	off := qluster.JobOptions{Transpile: ptr(false)}
	native := "OPENQASM 2.0;\ninclude \"qelib1.inc\";\nqreg q[3];\ncreg c[2];\nh q[1];\ncx q[1],q[2];\nmeasure q[1] -> c[0];\nmeasure q[2] -> c[1];\n"
	tests := []struct {
		name     string
		chip     *backend.Chip
		src      string
		opt      qluster.JobOptions
		code     string
		contains string
	}{
		{"accepts bell", ex, bell, qluster.JobOptions{}, "", ""},
		{"accepts native circuit without transpile", ex, native, off, "", ""},
		{"rejects non-native gate without transpile", ex, native + "t q[1];\n", off, qluster.EINVALID, "gate t is not in device example10's basis"},
		{"rejects gate off the coupling map without transpile", ex, "OPENQASM 2.0;\ninclude \"qelib1.inc\";\nqreg q[4];\ncx q[1],q[3];\n", off, qluster.EINVALID, "cx [1 3] is not on a coupling edge"},
		{"rejects unusable qubit without transpile", dl, fmt.Sprintf("OPENQASM 2.0;\ninclude \"qelib1.inc\";\nqreg q[%d];\nh q[%d];\n", unusable+1, unusable), off, qluster.EINVALID, fmt.Sprintf("physical qubit %d, not usable", unusable)},
		{"rejects circuit wider than the device", ex, wide(11), qluster.JobOptions{}, qluster.ETOOLARGE, "circuit has 11 qubits; example10 has 10 usable of 10 physical"},
		{"rejects circuit using more than the usable qubits", dl, wide(107), qluster.JobOptions{}, qluster.ETOOLARGE, "circuit uses 107 qubits; dongling has 106 usable"},
		{"rejects interacting group larger than any region", ex, ghz(10), qluster.JobOptions{}, qluster.ETOOLARGE, "largest connected region of example10 has 9"},
		{"rejects state vector", ex, bell, qluster.JobOptions{Statevector: true}, qluster.EINVALID, "no state vector"},
		{"rejects single precision", ex, bell, qluster.JobOptions{Precision: "single"}, qluster.EINVALID, "double precision only"},
		{"rejects ideal engine", ex, bell, qluster.JobOptions{Engine: "statevector"}, qluster.EINVALID, "noisy engines"},
		{"rejects probabilities from trajectories", ex, bell, qluster.JobOptions{Engine: "trajectory", Probabilities: true}, qluster.EINVALID, "density_matrix"},
		{"rejects probabilities without measurements", ex, wide(2), qluster.JobOptions{Probabilities: true}, qluster.EINVALID, "measurements"},
		{"rejects level 4", ex, bell, qluster.JobOptions{OptimizationLevel: ptr(4)}, qluster.EINVALID, "level"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.chip.Validate(parse(t, tt.src), qluster.JobSpec{Shots: 100, Options: tt.opt})
			if got := qluster.ErrorCode(err); got != tt.code || (err != nil && !strings.Contains(err.Error(), tt.contains)) {
				t.Errorf("Validate: %v (code %q); want code %q containing %q", err, got, tt.code, tt.contains)
			}
		})
	}
}

// binomialOK reports whether count is within 5 standard deviations (plus
// one) of shots·p.
func binomialOK(count, shots int, p float64) bool {
	return math.Abs(float64(count)-float64(shots)*p) <= 5*math.Sqrt(float64(shots)*p*(1-p))+1
}

func TestChipBellNoisy(t *testing.T) {
	ctx := context.Background()
	for _, name := range []string{"example10", "line20"} {
		t.Run(name, func(t *testing.T) {
			ch := newChip(t, name)
			c := parse(t, bell)
			exact, err := ch.Run(ctx, c, backend.RunOptions{Seed: 11, Probabilities: true})
			if err != nil {
				t.Fatal(err)
			}
			p := exact.Probabilities
			if exact.Engine != noise.EngineDensityMatrix || len(p) != 4 {
				t.Fatalf("exact run: engine %q, probabilities %v; want density_matrix over 4 outcomes", exact.Engine, p)
			}
			// The chip's errors are percent-level: most weight on 00 and
			// 11, some visibly on 01 and 10.
			if p["00"]+p["11"] < 0.85 || p["01"]+p["10"] < 1e-3 {
				t.Errorf("probabilities %v: want 00+11 ≥ 0.85 and 01+10 ≥ 1e-3 (noise)", p)
			}
			const shots = 4000
			for _, engine := range []string{noise.EngineDensityMatrix, noise.EngineTrajectory} {
				res, err := ch.Run(ctx, c, backend.RunOptions{Shots: shots, Seed: 11, Engine: engine})
				if err != nil {
					t.Fatal(err)
				}
				if res.Engine != engine {
					t.Errorf("engine %q, want %q", res.Engine, engine)
				}
				total := 0
				for _, k := range []string{"00", "01", "10", "11"} {
					total += res.Counts[k]
					if !binomialOK(res.Counts[k], shots, p[k]) {
						t.Errorf("%s: counts[%s] = %d, want %.0f (5σ)", engine, k, res.Counts[k], shots*p[k])
					}
				}
				if total != shots {
					t.Errorf("%s: counts %v sum to %d, want %d", engine, res.Counts, total, shots)
				}
			}
		})
	}
}

// TestChipCompactionExact checks that simulating only the touched qubits
// gives the distribution of the whole compiled circuit on the device.
func TestChipCompactionExact(t *testing.T) {
	ctx := context.Background()
	ch := newChip(t, "example10")
	res, err := ch.Run(ctx, parse(t, ghz(3)), backend.RunOptions{Seed: 5, Probabilities: true})
	if err != nil {
		t.Fatal(err)
	}
	full, _, err := qasm.Parse([]byte(res.Compiled.QASM), qasm.Options{})
	if err != nil {
		t.Fatalf("compiled QASM does not parse: %v\n%s", err, res.Compiled.QASM)
	}
	if full.NumQubits != ch.Device().NumQubits() {
		t.Fatalf("compiled circuit has %d qubits, want the device's %d", full.NumQubits, ch.Device().NumQubits())
	}
	model, err := noise.FromDevice(ch.Device(), noise.ModelOptions{})
	if err != nil {
		t.Fatal(err)
	}
	want, err := densitymat.New(model, densitymat.Options{}).Run(ctx, full, sim.Options{Probabilities: true})
	if err != nil {
		t.Fatal(err)
	}
	for k, pw := range want.Probabilities {
		if math.Abs(res.Probabilities[k]-pw) > 1e-9 {
			t.Errorf("p(%s) = %.12f, want %.12f (whole device)", k, res.Probabilities[k], pw)
		}
	}
	if len(res.Probabilities) != len(want.Probabilities) {
		t.Errorf("%d outcomes, want %d", len(res.Probabilities), len(want.Probabilities))
	}
}

func TestChipCompiledAndCompact(t *testing.T) {
	ctx := context.Background()
	ch := newChip(t, "dongling")
	var engine string
	var physical []int
	ch.SetSimulatedHook(func(e string, p []int) { engine, physical = e, p })
	c := parse(t, ghz(5))
	res, err := ch.Run(ctx, c, backend.RunOptions{Shots: 500, Seed: 3})
	if err != nil {
		t.Fatal(err)
	}
	if engine != noise.EngineDensityMatrix || len(physical) != 5 || res.Engine != engine {
		t.Errorf("simulated %d qubits %v on %q (result says %q); want 5 on density_matrix", len(physical), physical, engine, res.Engine)
	}
	cc := res.Compiled
	if cc == nil {
		t.Fatal("no compiled info")
	}
	if len(cc.InitialLayout) != 5 || len(cc.FinalLayout) != 5 || cc.TwoQubitGates < 4 || cc.Depth < 5 {
		t.Errorf("compiled = layouts %v %v, %d 2q gates, depth %d; want 5-qubit layouts, ≥ 4 2q gates, depth ≥ 5",
			cc.InitialLayout, cc.FinalLayout, cc.TwoQubitGates, cc.Depth)
	}
	for _, p := range cc.InitialLayout {
		if !slices.Contains(physical, p) {
			t.Errorf("initial layout %v not within the simulated qubits %v", cc.InitialLayout, physical)
		}
	}
	back, _, err := qasm.Parse([]byte(cc.QASM), qasm.Options{})
	if err != nil {
		t.Fatalf("compiled QASM does not parse: %v", err)
	}
	for i := range back.Ops {
		if op := &back.Ops[i]; op.Kind == circuit.GateOp && !slices.Contains(ch.Device().Basis, op.Name) {
			t.Errorf("compiled op %s not in the basis %v", op.Name, ch.Device().Basis)
		}
	}
	total := 0
	for k, n := range res.Counts {
		if len(k) != 5 {
			t.Errorf("key %q: want 5 bits", k)
		}
		total += n
	}
	if total != 500 || res.Counts["00000"]+res.Counts["11111"] < 250 {
		t.Errorf("counts %v: want 500 shots, mostly 00000 and 11111", res.Counts)
	}

	t.Run("transpile off runs as written", func(t *testing.T) {
		ex := newChip(t, "example10")
		ex.SetSimulatedHook(func(e string, p []int) { physical = p })
		src := "OPENQASM 2.0;\ninclude \"qelib1.inc\";\nqreg q[4];\ncreg c[2];\nh q[2];\ncx q[2],q[3];\nmeasure q[2] -> c[0];\nmeasure q[3] -> c[1];\n"
		res, err := ex.Run(ctx, parse(t, src), backend.RunOptions{Shots: 100, Seed: 1, Transpile: ptr(false)})
		if err != nil {
			t.Fatal(err)
		}
		if res.Compiled != nil || !slices.Equal(physical, []int{2, 3}) {
			t.Errorf("compiled %v, simulated %v; want none and [2 3]", res.Compiled, physical)
		}
	})
	t.Run("idle declared qubits are not placed", func(t *testing.T) {
		src := "OPENQASM 2.0;\ninclude \"qelib1.inc\";\nqreg q[120];\ncreg c[2];\nh q[100];\ncx q[100],q[110];\nmeasure q[100] -> c[0];\nmeasure q[110] -> c[1];\n"
		c := parse(t, src)
		if err := ch.Validate(c, qluster.JobSpec{Shots: 10}); err != nil {
			t.Fatalf("Validate: %v", err)
		}
		res, err := ch.Run(ctx, c, backend.RunOptions{Shots: 100, Seed: 2})
		if err != nil {
			t.Fatal(err)
		}
		l := res.Compiled.InitialLayout
		if len(physical) != 2 || len(l) != 120 || l[0] != -1 || l[100] < 0 || l[110] < 0 || !ch.Device().Coupled(l[100], l[110]) && !ch.Device().Coupled(l[110], l[100]) {
			t.Errorf("simulated %v, layout of q[100], q[110] = %d, %d (len %d); want 2 qubits on an edge, idle qubits -1", physical, l[100], l[110], len(l))
		}
		if res.Counts["00"]+res.Counts["11"] < 80 {
			t.Errorf("counts %v, want mostly 00 and 11", res.Counts)
		}
	})
	t.Run("wide circuit takes trajectories", func(t *testing.T) {
		ch.SetSimulatedHook(func(e string, p []int) { engine, physical = e, p })
		res, err := ch.Run(ctx, parse(t, ghz(14)), backend.RunOptions{Shots: 20, Seed: 3, OptimizationLevel: ptr(1)})
		if err != nil {
			t.Fatal(err)
		}
		if res.Engine != noise.EngineTrajectory || len(physical) != 14 {
			t.Errorf("engine %q on %d qubits, want trajectory on 14", res.Engine, len(physical))
		}
	})
	t.Run("same seed same result", func(t *testing.T) {
		again, err := ch.Run(ctx, c, backend.RunOptions{Shots: 500, Seed: 3})
		if err != nil {
			t.Fatal(err)
		}
		if again.Compiled.QASM != cc.QASM || again.Counts["00000"] != res.Counts["00000"] {
			t.Errorf("rerun with seed 3 differs: %v vs %v", again.Counts, res.Counts)
		}
	})
	t.Run("cancelled", func(t *testing.T) {
		cctx, cancel := context.WithCancel(ctx)
		cancel()
		_, err := ch.Run(cctx, c, backend.RunOptions{Shots: 10})
		if !errors.Is(err, context.Canceled) {
			t.Errorf("err = %v, want context.Canceled", err)
		}
	})
}

func TestCompact(t *testing.T) {
	c := parse(t, "OPENQASM 2.0;\ninclude \"qelib1.inc\";\nqreg q[6];\ncreg c[2];\nbarrier q;\nh q[4];\ncx q[4],q[1];\nmeasure q[1] -> c[1];\n")
	small, physical := backend.Compact(c)
	if !slices.Equal(physical, []int{1, 4}) || small.NumQubits != 2 || small.NumClbits != 2 {
		t.Fatalf("Compact: %d qubits on %v, want 2 on [1 4]", small.NumQubits, physical)
	}
	want := [][]int{{0, 1}, {1}, {1, 0}, {0}}
	for i, op := range small.Ops {
		if !slices.Equal(op.Qubits, want[i]) {
			t.Errorf("op %d (%s) on %v, want %v", i, op.Kind, op.Qubits, want[i])
		}
	}
}

// pairDevice returns a 3-qubit line chip whose gate and readout errors are
// scaled by f.
func pairDevice(name string, f float64) *device.Device {
	d := &device.Device{Name: name, Basis: []string{"cz", "rx", "ry", "rz"}}
	for i := range 3 {
		d.Qubits = append(d.Qubits, device.Qubit{
			Index: i, Name: fmt.Sprintf("Q%d", i), Usable: true, T1: 100, T2: 80,
			Gate1QDuration: 30, Gate1QError: 1e-3 * f, ReadoutP10: 0.01 * f, ReadoutP01: 0.02 * f, ReadoutDuration: 1000,
		})
	}
	d.Edges = []device.Edge{
		{A: 0, B: 1, Gate: "cz", Error: 0.01 * f, Duration: 40},
		{A: 1, B: 2, Gate: "cz", Error: 0.01 * f, Duration: 40},
	}
	return d
}

func TestChoose(t *testing.T) {
	mk := func(d *device.Device) *backend.Chip {
		ch, err := backend.NewChip(backend.ChipOptions{Device: d})
		if err != nil {
			t.Fatal(err)
		}
		return ch
	}
	// The worse chip sorts first, so that order alone cannot pick the
	// better one.
	reg := backend.NewRegistry(
		backend.NewStateVector(backend.StateVectorOptions{MemoryLimit: 1 << 20}),
		mk(pairDevice("aaa-noisy", 3)), mk(pairDevice("zzz-clean", 1)),
	)
	spec := qluster.JobSpec{Shots: 100}
	tests := []struct {
		name, src string
		spec      qluster.JobSpec
		want      string
		code      string
	}{
		{"picks the cleaner chip", bell, spec, "zzz-clean", ""},
		{"takes sv when no chip is wide enough", ghz(5), spec, "sv", ""},
		{"takes sv when no chip supports an option", bell, qluster.JobSpec{Options: qluster.JobOptions{Statevector: true}}, "sv", ""},
		{"too large for all", wide(17), spec, "", qluster.ETOOLARGE},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := reg.Choose([]*circuit.Circuit{parse(t, tt.src)}, tt.spec)
			if got != tt.want || qluster.ErrorCode(err) != tt.code {
				t.Errorf("Choose = %q, %v (code %q); want %q, code %q", got, err, qluster.ErrorCode(err), tt.want, tt.code)
			}
			if err != nil && !strings.Contains(err.Error(), "zzz-clean: circuit has 17 qubits") {
				t.Errorf("error %q does not give each backend's reason", err)
			}
		})
	}
	t.Run("estimate ranks the chips", func(t *testing.T) {
		c := parse(t, bell)
		var ps []float64
		for _, name := range []string{"aaa-noisy", "zzz-clean"} {
			b, _ := reg.Get(name)
			p, err := b.(backend.Estimator).EstimateSuccess(context.Background(), c, backend.RunOptions{})
			if err != nil {
				t.Fatal(err)
			}
			ps = append(ps, p)
		}
		// Bell compiled to cz: one cz, two readouts and a few non-virtual
		// one-qubit gates.
		if !(ps[0] < ps[1] && ps[1] < 0.99*0.985*0.985 && ps[1] > 0.9) {
			t.Errorf("estimates noisy %.4f, clean %.4f; want noisy < clean, clean in (0.9, %.4f)", ps[0], ps[1], 0.99*0.985*0.985)
		}
	})
}

func TestNewServiceRegistry(t *testing.T) {
	write := func(t *testing.T, files map[string]string) string {
		dir := t.TempDir()
		for name, body := range files {
			if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		return dir
	}
	mini, err := device.Marshal(pairDevice("mini", 1))
	if err != nil {
		t.Fatal(err)
	}
	override, err := device.Marshal(pairDevice("line20", 1))
	if err != nil {
		t.Fatal(err)
	}
	reserved, err := device.Marshal(pairDevice("sv", 1))
	if err != nil {
		t.Fatal(err)
	}
	t.Run("presets and files", func(t *testing.T) {
		reg, err := backend.NewServiceRegistry(backend.ServiceOptions{DevicesDir: write(t, map[string]string{
			"mini.json": string(mini), "l.json": string(override), "notes.txt": "ignored",
		})})
		if err != nil {
			t.Fatal(err)
		}
		want := append([]string{"mini", "sv"}, device.Presets()...)
		slices.Sort(want)
		if got := reg.Names(); !slices.Equal(got, want) {
			t.Errorf("Names() = %v, want %v", got, want)
		}
		b, _ := reg.Get("line20")
		if n := b.Info().NumQubits; n != 3 {
			t.Errorf("line20 from the file has %d qubits, want 3 (the file replaces the preset)", n)
		}
	})
	t.Run("no directory", func(t *testing.T) {
		reg, err := backend.NewServiceRegistry(backend.ServiceOptions{})
		if err != nil || len(reg.Names()) != len(device.Presets())+1 {
			t.Errorf("NewServiceRegistry() = %v, %v; want sv and the presets", reg.Names(), err)
		}
	})
	for _, tt := range []struct{ name, file, body, want string }{
		{"bad file names the file", "broken.json", `{"schema": "qluster.device/v1", "name": 3}`, "broken.json"},
		{"reserved name", "sv.json", string(reserved), `sv.json: device name "sv" is reserved`},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := backend.NewServiceRegistry(backend.ServiceOptions{DevicesDir: write(t, map[string]string{tt.file: tt.body})})
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %v, want one containing %q", err, tt.want)
			}
		})
	}
}

func TestChipConcurrentRuns(t *testing.T) {
	ch := newChip(t, "grid25")
	c := parse(t, ghz(4))
	first, err := ch.Run(context.Background(), c, backend.RunOptions{Shots: 200, Seed: 9})
	if err != nil {
		t.Fatal(err)
	}
	errs := make(chan error, 4)
	for range 4 {
		go func() {
			res, err := ch.Run(context.Background(), c, backend.RunOptions{Shots: 200, Seed: 9})
			if err == nil && (res.Compiled.QASM != first.Compiled.QASM || res.Counts["0000"] != first.Counts["0000"]) {
				err = fmt.Errorf("concurrent run differs: %v vs %v", res.Counts, first.Counts)
			}
			errs <- err
		}()
	}
	for range 4 {
		if err := <-errs; err != nil {
			t.Error(err)
		}
	}
}
