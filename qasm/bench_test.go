package qasm

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

// largeProgram returns a program of n gate, measure and barrier statements
// over 64 qubits, about 20 bytes per statement.
func largeProgram(n int) []byte {
	var b strings.Builder
	b.WriteString(header + "qreg q[64];\ncreg c[64];\n")
	for i := 0; i < n; i++ {
		a, t := i%64, (i*7+3)%64
		if a == t {
			t = (t + 1) % 64
		}
		switch i % 8 {
		case 0, 1, 2:
			fmt.Fprintf(&b, "cx q[%d],q[%d];\n", a, t)
		case 3:
			fmt.Fprintf(&b, "rz(%d.%d*pi/4) q[%d];\n", i%5, i%10, a)
		case 4:
			fmt.Fprintf(&b, "u3(0.1,-0.2,%d) q[%d];\n", i%100, a)
		case 5:
			fmt.Fprintf(&b, "h q[%d];\n", a)
		case 6:
			fmt.Fprintf(&b, "measure q[%d] -> c[%d];\n", a, t)
		default:
			fmt.Fprintf(&b, "barrier q[%d],q[%d];\n", a, t)
		}
	}
	return []byte(b.String())
}

func TestParseLarge(t *testing.T) {
	const n = 200_000
	src := largeProgram(n)
	start := time.Now()
	c, _, err := Parse(src, Options{})
	elapsed := time.Since(start)
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Ops) != n {
		t.Errorf("got %d ops, want %d", len(c.Ops), n)
	}
	if elapsed > 2*time.Second {
		t.Errorf("parsing %d statements (%d bytes) took %v, want < 2s", n, len(src), elapsed)
	}
	t.Logf("%d statements, %.1f MB in %v", n, float64(len(src))/1e6, elapsed)
}

func BenchmarkParseLarge(b *testing.B) {
	src := largeProgram(200_000)
	b.SetBytes(int64(len(src)))
	b.ReportAllocs()
	for b.Loop() {
		if _, _, err := Parse(src, Options{}); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkWriteLarge(b *testing.B) {
	c, _, err := Parse(largeProgram(200_000), Options{})
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := String(c); err != nil {
			b.Fatal(err)
		}
	}
}
