package qasm

import (
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// fuzzOptions keeps fuzzed expansions small so that each input runs fast.
var fuzzOptions = Options{Name: "fuzz", MaxOps: 20_000, MaxQubits: 4096, MaxClbits: 4096}

// FuzzParse checks that no input panics and that every accepted program
// writes back to text that parses to an Equal circuit.
func FuzzParse(f *testing.F) {
	files, _ := filepath.Glob("testdata/qiskit/*.qasm")
	for _, name := range files {
		if data, err := os.ReadFile(name); err == nil {
			f.Add(data)
		}
	}
	seeds := []string{
		"", "OPENQASM 2.0;", "OPENQASM 3.0;", header + "qreg q[2]; creg c[2]; h q; cx q[0],q[1]; measure q -> c;",
		header + "gate g(a,b) x,y { U(a,b,-a^b) x; CX x,y; barrier x,y; }\nqreg q[2]; creg c[1]; if(c==1) g(1,2) q[0],q[1];",
		header + "opaque o(a) x; qreg q[3]; o(pi/2) q; reset q[1]; barrier q;",
		header + "qreg q[1]; rz(-pi^2*sin(.5)/ln(2)+sqrt(3)-exp(1e-3)) q[0];",
		header + "qreg q[1]; rz(" + strings.Repeat("(", 2000) + "1" + strings.Repeat(")", 2000) + ") q[0];",
		header + doubling(20, "x a;") + "qreg q[1]; g20 q[0];",
		header + "qreg q[1]; creg c[100]; if(c==1267650600228229401496703205375) x q[0];",
		header + "gate h a { U(pi/2,0,pi) a; }\nqreg q[1]; h q[0];",
		header + "qreg q[2]; cx q, q[0];", header + "qreg q[1]; /* unterminated", "\xef\xbb\xbfOPENQASM 2.0;\r\nqreg q[1];\r\n",
		header + "include \"../etc/passwd\";", header + "qreg q[1]; rz(0/0) q[0];", "\xff\xfe\x00",
	}
	for _, tc := range errorCases("") {
		if len(tc.src) < 1<<16 {
			seeds = append(seeds, tc.src)
		}
	}
	for _, s := range seeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		c, _, err := Parse(src, fuzzOptions)
		if err != nil {
			if c != nil {
				t.Fatalf("error %v with a non-nil circuit", err)
			}
			if _, ok := err.(*Error); !ok {
				t.Fatalf("error %T is not *Error: %v", err, err)
			}
			return
		}
		if err := c.Validate(); err != nil {
			t.Fatalf("accepted circuit is invalid: %v", err)
		}
		text, err := String(c)
		if err != nil {
			t.Fatalf("String of a parsed circuit: %v", err)
		}
		d, _, err := Parse([]byte(text), fuzzOptions)
		if err != nil {
			t.Fatalf("written text does not parse: %v\n%s", err, text)
		}
		if !c.Equal(d) {
			t.Fatalf("round trip changed the circuit\nbefore: %s\nafter:  %s", dumpOps(c), dumpOps(d))
		}
	})
}

func TestFastNumberMatchesParseFloat(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	digits := func(n int) string {
		b := make([]byte, n)
		for i := range b {
			b[i] = byte('0' + rng.IntN(10))
		}
		return string(b)
	}
	for i := 0; i < 100_000; i++ {
		var s string
		switch rng.IntN(4) {
		case 0:
			s = digits(1 + rng.IntN(18))
		case 1:
			s = digits(rng.IntN(10)) + "." + digits(1+rng.IntN(16))
		case 2:
			s = digits(1+rng.IntN(12)) + "."
		default:
			s = "0." + strings.Repeat("0", rng.IntN(25)) + digits(1+rng.IntN(8))
		}
		want, _ := strconv.ParseFloat(s, 64)
		if got, ok := fastNumber([]byte(s)); ok && got != want {
			t.Fatalf("fastNumber(%q) = %v, want %v", s, got, want)
		}
	}
}
