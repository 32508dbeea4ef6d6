package backend_test

import (
	"context"
	"errors"
	"math"
	"strconv"
	"testing"

	"github.com/qluster/qluster"
	"github.com/qluster/qluster/backend"
	"github.com/qluster/qluster/circuit"
	"github.com/qluster/qluster/qasm"
)

const bell = `OPENQASM 2.0;
include "qelib1.inc";
qreg q[2];
creg c[2];
h q[0];
cx q[0],q[1];
measure q -> c;
`

func parse(t *testing.T, src string) *circuit.Circuit {
	t.Helper()
	c, _, err := qasm.Parse([]byte(src), qasm.Options{})
	if err != nil {
		t.Fatalf("parse: %v", err)
	}
	return c
}

// wide returns a circuit of n qubits with one T gate per qubit (not Clifford,
// so the state vector runs it).
func wide(n int) string {
	src := "OPENQASM 2.0;\ninclude \"qelib1.inc\";\nqreg q[" + strconv.Itoa(n) + "];\n"
	for i := range n {
		src += "h q[" + strconv.Itoa(i) + "];\nt q[" + strconv.Itoa(i) + "];\n"
	}
	return src
}

func TestStateVectorQubits(t *testing.T) {
	tests := []struct {
		limit int64
		want  int
	}{
		{0, 0}, {15, 0}, {16, 0}, {31, 0}, {32, 1}, {16 << 10, 10}, {16<<10 + 1, 10}, {16<<11 - 1, 10},
		{16 << 30, 30}, {math.MaxInt64, 58},
	}
	for _, tt := range tests {
		if got := backend.StateVectorQubits(tt.limit); got != tt.want {
			t.Errorf("StateVectorQubits(%d) = %d, want %d", tt.limit, got, tt.want)
		}
	}
}

func TestStateVectorInfo(t *testing.T) {
	sv := backend.NewStateVector(backend.StateVectorOptions{MemoryLimit: 16 << 20, Node: "n1"})
	info := sv.Info()
	if info.Name != "sv" || info.Kind != qluster.BackendSimulator || info.Status != qluster.BackendOnline ||
		info.NumQubits != 21 || info.CliffordQubits != 4096 || info.MaxShots != backend.DefaultMaxShots || info.Node != "n1" {
		t.Errorf("Info() = %+v, want sv, simulator, online, 21 qubits (single precision), 4096 Clifford, %d shots, node n1", info, backend.DefaultMaxShots)
	}
	if len(info.Engines) == 0 || info.Engines[0] != "auto" {
		t.Errorf("Engines = %v, want auto first", info.Engines)
	}
}

func TestStateVectorValidate(t *testing.T) {
	sv := backend.NewStateVector(backend.StateVectorOptions{MemoryLimit: 16 << 10, MaxShots: 1000, MaxOutputQubits: 3})
	tests := []struct {
		name string
		src  string
		spec qluster.JobSpec
		code string
	}{
		{"accepts bell", bell, qluster.JobSpec{Shots: 1000}, ""},
		{"accepts zero shots", bell, qluster.JobSpec{}, ""},
		{"rejects negative shots", bell, qluster.JobSpec{Shots: -1}, qluster.EINVALID},
		{"rejects too many shots", bell, qluster.JobSpec{Shots: 1001}, qluster.EINVALID},
		{"accepts memory", bell, qluster.JobSpec{Shots: 1, Options: qluster.JobOptions{Memory: true}}, ""},
		{"accepts single precision", bell, qluster.JobSpec{Options: qluster.JobOptions{Precision: "single"}}, ""},
		{"accepts one qubit more in single precision", wide(11), qluster.JobSpec{Options: qluster.JobOptions{Precision: "single"}}, ""},
		{"rejects two qubits more in single precision", wide(12), qluster.JobSpec{Options: qluster.JobOptions{Precision: "single"}}, qluster.ETOOLARGE},
		{"accepts wide Clifford", ghz(128), qluster.JobSpec{Shots: 10}, ""},
		{"accepts wide Clifford on the stabilizer", ghz(128), qluster.JobSpec{Shots: 10, Options: qluster.JobOptions{Engine: "stabilizer"}}, ""},
		{"rejects wider Clifford", ghz(129), qluster.JobSpec{Shots: 10}, qluster.ETOOLARGE},
		{"rejects wide Clifford on the state vector", ghz(12), qluster.JobSpec{Shots: 10, Options: qluster.JobOptions{Engine: "statevector"}}, qluster.ETOOLARGE},
		{"rejects wide non-Clifford on the stabilizer", wide(12), qluster.JobSpec{Shots: 10, Options: qluster.JobOptions{Engine: "stabilizer"}}, qluster.ETOOLARGE},
		{"rejects wide Clifford with a state vector", ghz(12), qluster.JobSpec{Options: qluster.JobOptions{Statevector: true}}, qluster.ETOOLARGE},
		{"rejects unknown precision", bell, qluster.JobSpec{Options: qluster.JobOptions{Precision: "quad"}}, qluster.EINVALID},
		{"accepts double precision", bell, qluster.JobSpec{Options: qluster.JobOptions{Precision: "double"}}, ""},
		{"accepts widest circuit", wide(10), qluster.JobSpec{}, ""},
		{"rejects wider circuit", wide(11), qluster.JobSpec{}, qluster.ETOOLARGE},
		{"rejects wide statevector", wide(4), qluster.JobSpec{Options: qluster.JobOptions{Statevector: true}}, qluster.ETOOLARGE},
		{"rejects wide probabilities", wide(4), qluster.JobSpec{Options: qluster.JobOptions{Probabilities: true}}, qluster.ETOOLARGE},
		{"accepts narrow probabilities", wide(3), qluster.JobSpec{Options: qluster.JobOptions{Probabilities: true}}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := sv.Validate(parse(t, tt.src), tt.spec)
			if got := qluster.ErrorCode(err); got != tt.code {
				t.Errorf("Validate: code %q (%v), want %q", got, err, tt.code)
			}
		})
	}
}

func TestStateVectorRun(t *testing.T) {
	sv := backend.NewStateVector(backend.StateVectorOptions{MemoryLimit: 1 << 30})
	ctx := context.Background()
	t.Run("bell counts", func(t *testing.T) {
		res, err := sv.Run(ctx, parse(t, bell), backend.RunOptions{Name: "b", Shots: 2000, Seed: 7})
		if err != nil {
			t.Fatal(err)
		}
		if res.Name != "b" || res.Shots != 2000 || res.Seed != 7 || res.Engine == "" {
			t.Errorf("result header = %+v, want name b, 2000 shots, seed 7, an engine", res)
		}
		if len(res.Counts) != 2 || res.Counts["00"]+res.Counts["11"] != 2000 {
			t.Errorf("counts = %v, want only 00 and 11 summing to 2000", res.Counts)
		}
		again, err := sv.Run(ctx, parse(t, bell), backend.RunOptions{Name: "b", Shots: 2000, Seed: 7})
		if err != nil || again.Counts["00"] != res.Counts["00"] {
			t.Errorf("same seed: got %v (%v), want %v", again.Counts, err, res.Counts)
		}
	})
	t.Run("statevector on request", func(t *testing.T) {
		src := "OPENQASM 2.0;\ninclude \"qelib1.inc\";\nqreg q[1];\nx q[0];\n"
		res, err := sv.Run(ctx, parse(t, src), backend.RunOptions{Statevector: true})
		if err != nil {
			t.Fatal(err)
		}
		want := [][2]float64{{0, 0}, {1, 0}}
		if len(res.Statevector) != 2 || math.Abs(res.Statevector[1][0]-1) > 1e-12 || math.Abs(res.Statevector[0][0]) > 1e-12 {
			t.Errorf("statevector = %v, want %v", res.Statevector, want)
		}
		if res.Counts == nil {
			t.Errorf("counts = nil, want an empty map")
		}
	})
	t.Run("named engine", func(t *testing.T) {
		res, err := sv.Run(ctx, parse(t, bell), backend.RunOptions{Shots: 10, Engine: "statevector"})
		if err != nil || res.Engine != "statevector" {
			t.Errorf("engine = %q (%v), want statevector", res.Engine, err)
		}
	})
	t.Run("cancelled", func(t *testing.T) {
		cctx, cancel := context.WithCancel(ctx)
		cancel()
		_, err := sv.Run(cctx, parse(t, wide(16)), backend.RunOptions{Shots: 10})
		if !errors.Is(err, context.Canceled) {
			t.Errorf("err = %v, want context.Canceled", err)
		}
	})
	t.Run("opaque gate is invalid", func(t *testing.T) {
		src := "OPENQASM 2.0;\nqreg q[1];\nopaque foo q;\nfoo q[0];\n"
		_, err := sv.Run(ctx, parse(t, src), backend.RunOptions{Shots: 1})
		if got := qluster.ErrorCode(err); got != qluster.EINVALID {
			t.Errorf("code %q (%v), want %q", got, err, qluster.EINVALID)
		}
	})
}

func TestRegistry(t *testing.T) {
	sv := backend.NewStateVector(backend.StateVectorOptions{})
	r := backend.NewRegistry(sv)
	if b, err := r.Get("sv"); err != nil || b != sv {
		t.Errorf("Get(sv) = %v, %v; want the sv backend", b, err)
	}
	_, err := r.Get("x")
	if got, want := err, `unknown backend "x" (available: sv)`; got == nil || got.Error() != want || qluster.ErrorCode(got) != qluster.ENOTFOUND {
		t.Errorf("Get(x) error = %v (code %q), want %q (not_found)", got, qluster.ErrorCode(got), want)
	}
	if err := r.Register(sv); qluster.ErrorCode(err) != qluster.ECONFLICT {
		t.Errorf("Register twice: %v, want conflict", err)
	}
	other := backend.NewStateVector(backend.StateVectorOptions{Name: "a"})
	if err := r.Register(other); err != nil {
		t.Fatal(err)
	}
	if got := r.Names(); len(got) != 2 || got[0] != "a" || got[1] != "sv" {
		t.Errorf("Names() = %v, want [a sv]", got)
	}
	if got := r.Backends(); len(got) != 2 || got[0] != other {
		t.Errorf("Backends() = %v, want a then sv", got)
	}
	if got := r.List(); len(got) != 2 || got[0].Name != "a" || got[1].Name != "sv" {
		t.Errorf("List() = %v, want infos of a then sv", got)
	}
	if err := r.Check("sv", parse(t, bell), qluster.JobSpec{Shots: -1}); qluster.ErrorCode(err) != qluster.EINVALID {
		t.Errorf("Check(sv, shots -1) = %v, want invalid", err)
	}
	if err := r.Check("nope", parse(t, bell), qluster.JobSpec{}); qluster.ErrorCode(err) != qluster.ENOTFOUND {
		t.Errorf("Check(nope) = %v, want not_found", err)
	}
	r.Unregister("a")
	if got := r.Names(); len(got) != 1 {
		t.Errorf("after Unregister: %v, want [sv]", got)
	}
}
