package httpapi_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/qluster/qluster"
	"github.com/qluster/qluster/client"
	"github.com/qluster/qluster/httpapi/apitest"
)

// TestEngineChoiceThroughTheAPI runs, through the API, the jobs whose engine
// or width depends on the circuit and options: a Clifford circuit far wider
// than any state vector (stabilizer engine), and a job in single precision.
func TestEngineChoiceThroughTheAPI(t *testing.T) {
	env := apitest.Start(t, apitest.Options{})
	ctx := ctxT(t)
	c := newClient(t, env, env.AdminToken)
	var ghz strings.Builder
	fmt.Fprintf(&ghz, "OPENQASM 2.0;\ninclude \"qelib1.inc\";\nqreg q[300];\ncreg c[300];\nh q[0];\n")
	for i := range 299 {
		fmt.Fprintf(&ghz, "cx q[%d],q[%d];\n", i, i+1)
	}
	ghz.WriteString("measure q -> c;\n")
	tests := []struct {
		name       string
		qasm       string
		opt        qluster.JobOptions
		wantEngine string
		wantKeys   []string
	}{
		{"300-qubit GHZ", ghz.String(), qluster.JobOptions{}, "stabilizer",
			[]string{strings.Repeat("0", 300), strings.Repeat("1", 300)}},
		{"single precision", "OPENQASM 2.0;\ninclude \"qelib1.inc\";\nqreg q[2];\ncreg c[2];\nh q[0];\nt q[0];\ncx q[0],q[1];\nmeasure q -> c;\n",
			qluster.JobOptions{Precision: "single"}, "statevector", []string{"00", "11"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := c.Submit(ctx, client.SubmitRequest{Shots: intp(200), Options: tt.opt, Circuits: []qluster.CircuitSpec{{QASM: tt.qasm}}})
			if err != nil {
				t.Fatal(err)
			}
			res, err := c.WaitResult(ctx, s.ID, 30*time.Second)
			if err != nil {
				t.Fatal(err)
			}
			r := res.Results[0]
			if r.Engine != tt.wantEngine {
				t.Errorf("engine = %q, want %q", r.Engine, tt.wantEngine)
			}
			total := 0
			for k, n := range r.Counts {
				if k != tt.wantKeys[0] && k != tt.wantKeys[1] {
					t.Errorf("outcome %.20s… seen %d times, want only all zeros or all ones", k, n)
				}
				total += n
			}
			if total != 200 || len(r.Counts) != 2 {
				t.Errorf("counts: %d outcomes, %d shots; want 2 outcomes, 200 shots", len(r.Counts), total)
			}
		})
	}
}
